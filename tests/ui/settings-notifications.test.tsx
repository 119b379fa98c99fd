// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../src/contract/schemas.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import SettingsPage from '../../src/tab/settings/index.js';
import { placeOf, validateDraft } from '../../src/tab/settings/settings-form.js';
import { settingsFromRow } from '../../server/adapters/table-storage/entities.js';
import { IT_ME, SETTINGS, fakeApi, renderWithApp } from './render.js';


describe('notification settings (schema)', () => {
  it('defaults to Teams and mail off, with no sender: both are opt-in Graph features', () => {
    expect(DEFAULT_POLICY.notifications).toEqual({ teams: false, mail: false, mailSender: null });
  });

  it('loads settings saved before notifications existed, with the defaults', () => {
    const { notifications: _dropped, ...older } = DEFAULT_POLICY;
    expect(Settings.parse(older).notifications).toEqual({ teams: false, mail: false, mailSender: null });
    // The table adapter merges a stored row over the defaults at the top level.
    expect(settingsFromRow({ partitionKey: 't', rowKey: 'settings', data: JSON.stringify(older) }).notifications).toEqual(DEFAULT_POLICY.notifications);
  });

  it('takes a sender address and refuses anything else', () => {
    const withSender = { ...DEFAULT_POLICY, notifications: { teams: false, mail: true, mailSender: 'desk@contoso.example' } };
    expect(Settings.parse(withSender).notifications).toEqual(withSender.notifications);
    const bad = validateDraft({ ...DEFAULT_POLICY, notifications: { teams: true, mail: true, mailSender: 'not an address' } });
    expect(bad.issues).toEqual([{ path: 'notifications.mailSender', message: 'Not an email address' }]);
    expect(Settings.safeParse({ ...DEFAULT_POLICY, notifications: { teams: 'yes', mail: true, mailSender: null } }).success).toBe(false);
    expect(Settings.safeParse({ ...DEFAULT_POLICY, notifications: { teams: true, mail: true, mailSender: null, sms: true } }).success).toBe(false);
  });

  it('shows each notification issue next to its field', () => {
    expect(placeOf('notifications.mailSender')).toBe('notifications.mailSender');
    expect(placeOf('notifications.teams')).toBe('notifications.teams');
  });
});

describe('notification settings (form)', () => {
  it('turns Teams notifications off and sets a sender, and saves them', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ getSettings: () => structuredClone(SETTINGS), putSettings: (input: { body: unknown }) => input.body });
    renderWithApp(<SettingsPage />, { api: fake.api, me: IT_ME });
    const teams = await screen.findByRole<HTMLInputElement>('switch', { name: 'Notify in Teams' });
    const mail = screen.getByRole<HTMLInputElement>('switch', { name: 'Notify by mail' });
    expect(teams.checked).toBe(true);
    expect(mail.checked).toBe(true);
    await user.click(teams);
    expect(teams.checked).toBe(false);

    const sender = screen.getByLabelText<HTMLInputElement>('Send mail from (optional)');
    await user.type(sender, 'nope');
    expect(sender.getAttribute('aria-invalid')).toBe('true');
    await user.clear(sender);
    await user.type(sender, 'desk@contoso.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    const put = fake.calls.filter((c) => c.name === 'putSettings');
    expect(put).toHaveLength(1);
    expect((put[0]!.input as { body: Settings }).body.notifications).toEqual({ teams: false, mail: true, mailSender: 'desk@contoso.example' });
  });
});
