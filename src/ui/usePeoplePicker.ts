import { useCallback, useEffect, useRef, useState } from 'react';
import type { PeoplePickerProps, PeoplePickerState, PeopleSearchStatus, PickedPerson } from './PeoplePicker.types.js';

/** The contract's longest query; longer text is cut before it is sent. */
const MAX_QUERY = 100;

interface Found {
  status: PeopleSearchStatus;
  searched: string;
  people: PickedPerson[];
  error: unknown;
}

const IDLE: Found = { status: 'idle', searched: '', people: [], error: undefined };

/**
 * The picker's state: what is typed, and the directory's answer for it. A search starts `debounceMs`
 * after the last keystroke; a newer keystroke cancels the one waiting or in flight, so answers never
 * arrive out of order.
 */
export function usePeoplePicker({ api, onSelect, debounceMs = 250, limit = 10 }: PeoplePickerProps): PeoplePickerState {
  const [text, setTextState] = useState('');
  const [found, setFound] = useState<Found>(IDLE);
  const [generation, setGeneration] = useState(0);
  /** Set when the text was filled in by choosing someone: that is not a new search. */
  const picked = useRef<string | undefined>(undefined);
  /** Set by Try again: search at once, without waiting for typing to pause. */
  const now = useRef(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const query = text.trim().slice(0, MAX_QUERY);

  useEffect(() => {
    if (!query || picked.current === text) {
      setFound((f) => (f.status === 'idle' && f.people.length === 0 ? f : IDLE));
      return;
    }
    setFound((f) => ({ ...f, status: 'loading', error: undefined }));
    const controller = new AbortController();
    const delay = now.current ? 0 : debounceMs;
    now.current = false;
    const timer = setTimeout(() => {
      api('directorySearch', { query: { q: query, limit }, signal: controller.signal }).then(
        (answer) => {
          if (!controller.signal.aborted) setFound({ status: 'done', searched: query, people: answer.items, error: undefined });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setFound({ status: 'error', searched: query, people: [], error });
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, query, text, limit, debounceMs, generation]);

  const setText = useCallback((next: string) => {
    picked.current = undefined;
    setTextState(next);
  }, []);

  const retry = useCallback(() => {
    now.current = true;
    setGeneration((g) => g + 1);
  }, []);

  const select = useCallback(
    (id: string | undefined) => {
      const person = found.people.find((p) => p.id === id);
      if (!person) return;
      picked.current = person.displayName;
      setTextState(person.displayName);
      onSelectRef.current(person);
    },
    [found.people],
  );

  return { text, setText, status: found.status, searched: found.searched, people: found.people, error: found.error, retry, select };
}
