import { useCallback, useEffect, useRef, useState } from 'react';
import type { MailboxHelper } from '../../../mail/graph-mail.js';
import { useApp } from '../../app-context.js';
import type { SearchPhase } from '../../../mail/mailbox-search.js';
import { STARTED, searchMailbox } from '../../../mail/mailbox-search.js';

const NOT_WIRED = {
  baseUrl: '',
  token: () => Promise.reject(new Error('Microsoft 365 sign-in is not available here')),
};

export interface MailboxSearch {
  phase: SearchPhase;
  search: () => void;
  /** The connected mailbox, once a search has started (the Junk results' Move to Inbox uses it). */
  mailbox: MailboxHelper | undefined;
}

/**
 * The helper's search: loads the Graph mail module only now (the rest of the tab never does), gets the
 * mailbox permission once, then runs both looks. A new search replaces an unfinished one.
 */
export function useMailboxSearch(): MailboxSearch {
  const { settings, graph } = useApp();
  const [phase, setPhase] = useState<SearchPhase>({ phase: 'idle' });
  const [mailbox, setMailbox] = useState<MailboxHelper>();
  const run = useRef(0);
  useEffect(() => () => void run.current++, []);

  const search = useCallback(() => {
    const id = ++run.current;
    const current = () => run.current === id;
    setPhase({ phase: 'starting' });
    void (async () => {
      try {
        const { connectMailbox } = await import('../../../mail/graph-mail.js');
        const connected = await connectMailbox(graph ?? NOT_WIRED);
        if (!current()) return;
        setMailbox(connected);
        setPhase({ phase: 'searching', results: STARTED });
        const results = await searchMailbox(connected, settings, (partial) => current() && setPhase({ phase: 'searching', results: partial }));
        if (current()) setPhase({ phase: 'done', results });
      } catch (error) {
        if (current()) setPhase({ phase: 'failed', error });
      }
    })();
  }, [graph, settings]);

  return { phase, search, mailbox };
}

export type MoveState = { status: 'idle' } | { status: 'moving' } | { status: 'moved' } | { status: 'failed'; error: unknown };

/** One Junk message's Move to Inbox, remembered once done (the button is disabled while it moves). */
export function useMoveToInbox(mailbox: MailboxHelper | undefined, id: string): { state: MoveState; move: () => void } {
  const [state, setState] = useState<MoveState>({ status: 'idle' });
  const move = useCallback(() => {
    if (!mailbox) return;
    setState({ status: 'moving' });
    mailbox.moveToInbox(id).then(
      () => setState({ status: 'moved' }),
      (error: unknown) => setState({ status: 'failed', error }),
    );
  }, [mailbox, id]);
  return { state, move };
}
