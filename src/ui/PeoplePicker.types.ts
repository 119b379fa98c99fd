import type { DirectoryPersonView } from '../contract/schemas.js';
import type { ApiClient } from '../platform/api-client.js';

export type PickedPerson = DirectoryPersonView;

export interface PeoplePickerProps {
  /** The API client: the picker calls `directorySearch`. */
  api: ApiClient;
  /** Called with the person chosen from the list (by click, or arrows and Enter). */
  onSelect: (person: PickedPerson) => void;
  label?: string;
  placeholder?: string;
  /** Wait this long after the last keystroke before searching (default 250 ms). */
  debounceMs?: number;
  /** People shown at most (default 10, the API allows 25). */
  limit?: number;
}

export type PeopleSearchStatus = 'idle' | 'loading' | 'done' | 'error';

export interface PeoplePickerState {
  /** What is typed in the box. */
  text: string;
  setText: (text: string) => void;
  status: PeopleSearchStatus;
  /** The query the results (or the error) belong to. */
  searched: string;
  people: PickedPerson[];
  error: unknown;
  retry: () => void;
  /** Picks a person by id from the current results. */
  select: (id: string | undefined) => void;
}
