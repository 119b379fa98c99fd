// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UsageConnection } from '../../src/contract/usage-sources.js';
import SettingsPage from '../../src/tab/settings/index.js';
import { publicPolicy, withUnit } from '../../src/core/policy/policy.js';
import { IT_ME, SETTINGS, fakeApi, renderWithApp } from './render.js';

const DISCONNECTED: UsageConnection = {
  kind: 'token_flex',
  mode: 'three_legged',
  clientId: 'fakeApsClient0001',
  contractNumber: '110001234567',
  connectedAt: '2026-10-01T09:00:00.000Z',
  connectedBy: 'Taylor Systems',
  disconnected: { at: '2026-11-02T08:00:00.000Z', reason: 'The refresh token was used, revoked or has expired (invalid_grant).' },
};

afterEach(() => vi.restoreAllMocks());

/** The tenant's saved policy: Flex tokens, the unit Autodesk's usage APIs report, unless a test says otherwise. */
const FLEX_SETTINGS = withUnit(SETTINGS, 'Flex tokens');

function renderWith(connections: UsageConnection[], extra: Parameters<typeof fakeApi>[0] = {}, saved = FLEX_SETTINGS) {
  let current = connections;
  const fake = fakeApi({
    getSettings: () => structuredClone(saved),
    usageConnections: () => ({ connections: current, consentAvailable: true }),
    ...extra,
  });
  renderWithApp(<SettingsPage />, { api: fake.api, me: IT_ME, settings: publicPolicy(saved) });
  return { fake, set: (next: UsageConnection[]) => (current = next) };
}

describe('the Autodesk section of Settings', () => {
  it('says Autodesk disconnected, since when and what to do, in words without codes', async () => {
    renderWith([DISCONNECTED]);
    const card = await screen.findByRole('group', { name: 'Token Flex usage' });
    within(card).getByText('Autodesk disconnected');
    expect(card.textContent).toMatch(/consent was withdrawn at Autodesk/);
    expect(card.textContent).toMatch(/Connect again below/);
    expect(card.textContent).not.toMatch(/invalid_grant|three_legged|token_flex/);
  });

  it('in a tenant counting Cloud Credits, says before the button to switch to Flex tokens first, and does not connect', async () => {
    const user = userEvent.setup();
    const open = vi.spyOn(window, 'open');
    const { fake } = renderWith([], {}, SETTINGS);
    const form = await screen.findByRole('group', { name: 'Connect an Autodesk usage API' });
    const button = within(form).getByRole('button', { name: 'Connect Token Flex usage' });
    const words = within(form).getByText(/Autodesk's usage APIs count Flex tokens: switch Credit Desk to Flex tokens in Settings first/);
    expect(words.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.click(button);
    expect(open).not.toHaveBeenCalled();
    expect(fake.calls.filter((c) => c.name === 'connectUsageSource' || c.name === 'putUsageSourceClient')).toEqual([]);
  });

  it("starts an admin's consent in a window opened by the click, and reads the connections again once it closes", async () => {
    const user = userEvent.setup();
    const popup = { closed: false, location: { href: '' }, close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
    const { fake, set } = renderWith([], { connectUsageSource: () => ({ authorizeUrl: 'https://aps.example/authentication/v2/authorize?state=s', expiresAt: '2026-11-02T08:10:00.000Z' }) });
    await user.click(await screen.findByRole('button', { name: 'Connect Token Flex usage' }));
    expect(open).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(popup.location.href).toBe('https://aps.example/authentication/v2/authorize?state=s'));
    set([{ ...DISCONNECTED, disconnected: null }]);
    popup.closed = true;
    await screen.findByText('Token Flex usage connected', {}, { timeout: 5_000 });
    expect(screen.getByRole('group', { name: 'Token Flex usage' }).textContent).toMatch(/Contract 110001234567/);
    expect(fake.calls.filter((c) => c.name === 'usageConnections').length).toBeGreaterThanOrEqual(2);
  });

  it('sends a client ID and secret once, and clears the secret from the screen', async () => {
    const user = userEvent.setup();
    const { fake } = renderWith([], { putUsageSourceClient: (input: { body: { clientId: string } }) => ({ ...DISCONNECTED, kind: 'usage_insights', mode: 'two_legged', clientId: input.body.clientId, disconnected: null }) });
    await user.click(await screen.findByRole('radio', { name: /^Usage insights/ }));
    await user.click(screen.getByRole('radio', { name: /^Client ID and secret/ }));
    await user.type(screen.getByRole('textbox', { name: /^Client ID/ }), 'firmClientId0001');
    const secret = screen.getByLabelText<HTMLInputElement>(/^Client secret/);
    expect(secret.type).toBe('password');
    await user.type(secret, 'firm-client-secret-Zq81');
    await user.click(screen.getByRole('button', { name: 'Connect Usage insights' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.name === 'putUsageSourceClient')).toHaveLength(1));
    expect(fake.calls.find((c) => c.name === 'putUsageSourceClient')!.input).toMatchObject({ params: { kind: 'usage_insights' }, body: { clientId: 'firmClientId0001', clientSecret: 'firm-client-secret-Zq81' } });
    await waitFor(() => expect(secret.value).toBe(''));
  });

  it('disconnects a connection', async () => {
    const user = userEvent.setup();
    const { fake, set } = renderWith([{ ...DISCONNECTED, disconnected: null }], { disconnectUsageSource: () => ({ kind: 'token_flex', removed: true, revokedAtAutodesk: true }) });
    const button = await screen.findByRole('button', { name: 'Disconnect Token Flex usage' });
    set([]);
    await user.click(button);
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Token Flex usage' })).toBeNull());
    expect(fake.calls.find((c) => c.name === 'disconnectUsageSource')!.input).toMatchObject({ params: { kind: 'token_flex' } });
  });
});
