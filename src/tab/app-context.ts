import { createContext, useContext } from 'react';
import type { MeResponse, PublicPolicy } from '../contract/schemas.js';
import type { ApiClient } from '../platform/api-client.js';
import type { DelegatedGraph } from '../platform/auth.js';
import type { HostName, ThemeName } from '../platform/host.js';
import type { UnitWords } from '../ui/format.js';
import { unitWords } from '../ui/format.js';

export interface AppContextValue {
  api: ApiClient;
  me: MeResponse;
  /** The policy everyone may read (GET /api/policy); the Settings page loads IT's whole settings itself. */
  settings: PublicPolicy;
  host: HostName;
  theme: ThemeName;
  /** Reloads the caller's record, e.g. after logging usage. */
  refreshMe: () => Promise<void>;
  /** Puts newly saved settings in force for every page. */
  updateSettings: (settings: PublicPolicy) => void;
  navigate: (page: string) => void;
  /** Microsoft Graph as the signed-in person (the quarantine helper's mailbox search); absent where not wired. */
  graph?: DelegatedGraph | undefined;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app shell');
  return value;
}

export const isManager = (me: MeResponse) => me.roles.includes('AccountManager');
export const isIt = (me: MeResponse) => me.roles.includes('ITAdmin');
export const seesEveryone = (me: MeResponse) => isManager(me) || isIt(me);

/** The policy's unit ("credits" or, in Flex mode, "tokens"), for every page that names it. */
export function useUnit(): UnitWords {
  return unitWords(useApp().settings);
}
