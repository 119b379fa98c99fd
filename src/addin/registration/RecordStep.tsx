import { Button, makeStyles } from '@fluentui/react-components';
import { Suspense, lazy, useRef, useState } from 'react';
import type { MemberRecord } from '../../contract/schemas.js';
import { LazyApiErrorBar } from '../../ui/LazyApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { usePane } from '../pane-context.js';
import type { PaneEvent } from './person-situation.js';

// The reason dialog loads when someone declines, not with the pane.
const ReasonDialog = lazy(() => import('../../ui/ReasonDialog.js').then((m) => ({ default: m.ReasonDialog })));

const useStyles = makeStyles({ error: { flexBasis: '100%' } });

const BUTTON: Record<PaneEvent, string> = { account_created: 'Mark account created', already_registered: 'Already registered', declined: 'Decline…' };

/**
 * One registration step as a button with its own action, so each step keeps its own idempotency key: a
 * retry of "Mark account created" never collides with a later "Decline". Declining asks for the reason first.
 */
export function RecordStep(props: { event: PaneEvent; record: MemberRecord; onDone: (event: PaneEvent) => void }) {
  const styles = useStyles();
  const { api } = usePane();
  const [asking, setAsking] = useState(false);
  const reason = useRef<string | undefined>(undefined);
  const action = useAction(async (idempotencyKey) => {
    await api('registrationEvent', {
      params: { memberId: props.record.member.id },
      body: { type: props.event, ...(reason.current ? { reason: reason.current } : {}) },
      idempotencyKey,
    });
    setAsking(false);
    props.onDone(props.event);
  });

  return (
    <>
      <Button
        appearance={props.event === 'account_created' ? 'primary' : 'secondary'}
        disabled={action.busy}
        onClick={() => (props.event === 'declined' ? setAsking(true) : void action.run())}
      >
        {action.busy && !asking ? 'Saving…' : BUTTON[props.event]}
      </Button>
      {action.error && !asking ? (
        <div className={styles.error}>
          <LazyApiErrorBar error={action.error} title="Not saved" onRetry={() => void action.run()} />
        </div>
      ) : null}
      {asking && (
        <Suspense fallback={null}>
          <ReasonDialog
            kind="declined"
            record={props.record}
            busy={action.busy}
            error={action.error}
            onConfirm={(text) => {
              reason.current = text;
              void action.run();
            }}
            onClose={() => setAsking(false)}
          />
        </Suspense>
      )}
    </>
  );
}
