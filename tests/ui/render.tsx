import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { DEFAULT_POLICY, publicPolicy } from '../../src/core/policy/policy.js';
import type { RouteName } from '../../src/contract/routes.js';
import type { MeResponse, PublicPolicy, Settings } from '../../src/contract/schemas.js';
import type { ApiClient } from '../../src/platform/api-client.js';
import { ApiError } from '../../src/platform/api-client.js';
import type { AppContextValue } from '../../src/tab/app-context.js';
import { AppContext, isIt } from '../../src/tab/app-context.js';
import { ShowsSupportDetails } from '../../src/ui/shows-support-details.js';

export const EMPLOYEE_ME: MeResponse = {
  member: { id: 'emp-1', email: 'avery.chen@contoso.example', displayName: 'Avery Chen', office: 'Boston' },
  registration: { state: 'registered', since: '2026-10-01T10:00:00.000Z' },
  credits: { own: 40, pool: 250, held: 0, available: 290 },
  mayDrawFromPool: false,
  roles: [],
};

export const MANAGER_ME: MeResponse = { ...EMPLOYEE_ME, member: { ...EMPLOYEE_ME.member, id: 'am-1', displayName: 'Riley Account' }, roles: ['AccountManager'] };
export const IT_ME: MeResponse = { ...EMPLOYEE_ME, member: { ...EMPLOYEE_ME.member, id: 'it-1', displayName: 'Taylor Systems' }, roles: ['ITAdmin'] };

/** A tenant IT has set up: account managers named and every opt-in Graph feature on (tests of a feature off say so). */
export const SETTINGS: Settings = {
  ...DEFAULT_POLICY,
  accountManagers: [{ name: 'Riley Account', email: 'riley.account@contoso.example' }],
  notifications: { teams: true, mail: true, mailSender: null },
  features: { messageTrace: true, mailboxHelper: true },
};
/** What the shell loads for everyone (GET /api/policy). */
export const POLICY: PublicPolicy = publicPolicy(SETTINGS);

export interface ApiCall {
  name: RouteName;
  input: Record<string, unknown>;
}

type Handler = (input: any) => unknown;

/**
 * A fake API for component tests: answers from `handlers` by route name, records every call, and turns an
 * `ApiError` thrown (or returned) by a handler into a rejected call, as the real client does.
 */
export function fakeApi(handlers: Partial<Record<RouteName, Handler>>): { api: ApiClient; calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  const api = (async (name: RouteName, input: Record<string, unknown>) => {
    calls.push({ name, input });
    const handler = handlers[name];
    if (!handler) throw new ApiError(404, 'NOT_FOUND', `No fake for ${name}`);
    const answer = await handler(input);
    if (answer instanceof ApiError) throw answer;
    return answer;
  }) as unknown as ApiClient;
  return { api, calls };
}

/** Renders a page inside the Fluent theme and the app context, as the shell does. */
export function renderWithApp(ui: ReactElement, options: { api: ApiClient; me?: MeResponse; settings?: PublicPolicy; refreshMe?: () => Promise<void>; updateSettings?: (settings: PublicPolicy) => void; navigate?: (page: string) => void }) {
  const value: AppContextValue = {
    api: options.api,
    me: options.me ?? EMPLOYEE_ME,
    settings: options.settings ?? POLICY,
    host: 'browser',
    theme: 'light',
    refreshMe: options.refreshMe ?? (async () => {}),
    updateSettings: options.updateSettings ?? (() => {}),
    navigate: options.navigate ?? (() => {}),
  };
  return render(
    <FluentProvider theme={teamsLightTheme}>
      <AppContext.Provider value={value}>
        <ShowsSupportDetails.Provider value={isIt(value.me)}>{ui}</ShowsSupportDetails.Provider>
      </AppContext.Provider>
    </FluentProvider>,
  );
}
