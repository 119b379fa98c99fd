// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../src/contract/schemas.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { ApiError } from '../../src/platform/api-client.js';
import { settingsFromRow } from '../../server/adapters/table-storage/entities.js';
import SettingsPage from '../../src/tab/settings/index.js';
import { EMPLOYEE_ME, IT_ME, MANAGER_ME, SETTINGS, fakeApi, renderWithApp } from './render.js';

// A first render of a Fluent page can take over a second on a busy machine.

/** The text of everything a control points at with aria-describedby: its hint and its message. */
function describedBy(control: HTMLElement): string {
  return (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

const isDisabled = (button: HTMLElement) => button.hasAttribute('disabled') || button.getAttribute('aria-disabled') === 'true';

function renderSettings(handlers: Parameters<typeof fakeApi>[0] = {}, me = IT_ME) {
  const fake = fakeApi({ getSettings: () => structuredClone(SETTINGS), putSettings: (input: { body: unknown }) => input.body, ...handlers });
  renderWithApp(<SettingsPage />, { api: fake.api, me });
  return fake;
}

const puts = (calls: { name: string; input: Record<string, any> }[]) => calls.filter((c) => c.name === 'putSettings');

describe('Settings', () => {
  it('loads the settings into the form', async () => {
    renderSettings();
    const blockSize = await screen.findByLabelText<HTMLInputElement>('Block size');
    expect(blockSize.value).toBe('100');
    expect(screen.getByLabelText<HTMLInputElement>('Shortest lead time').value).toBe('5');
    expect(screen.getByLabelText<HTMLInputElement>('Name of service 1').value).toBe('Cloud rendering');
    expect(screen.getByLabelText<HTMLInputElement>('Name of account manager 1').value).toBe('Riley Account');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Friday' }).checked).toBe(true);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Saturday' }).checked).toBe(false);
    expect(isDisabled(screen.getByRole('button', { name: 'Save' }))).toBe(true);
    screen.getByText('No changes.');
  });

  it('saves an edit once, even on a double click, with the whole settings object and its own key', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const blockSize = await screen.findByLabelText('Block size');
    await user.clear(blockSize);
    await user.type(blockSize, '200');
    screen.getByText('You have unsaved changes.');
    await user.dblClick(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(screen.getByRole('status').textContent).toBe('Saved.');
    expect(puts(calls)).toHaveLength(1);
    expect(puts(calls)[0]!.input.body).toEqual({ ...SETTINGS, blockSize: 200 });
    expect(puts(calls)[0]!.input.idempotencyKey).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect(isDisabled(screen.getByRole('button', { name: 'Save' }))).toBe(true);

    await user.clear(blockSize);
    await user.type(blockSize, '300');
    expect(screen.queryByText('Settings saved')).toBeNull();
    // Two clicks before the page re-renders (so before Save shows as busy): still one save.
    const save = screen.getByRole('button', { name: 'Save' });
    act(() => {
      fireEvent.click(save);
      fireEvent.click(save);
    });
    await screen.findByText('Settings saved');
    expect(puts(calls)).toHaveLength(2);
    expect(puts(calls)[1]!.input.idempotencyKey).not.toBe(puts(calls)[0]!.input.idempotencyKey);
  });

  it('refuses a block size of 0 next to the field, without calling the API', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const blockSize = await screen.findByLabelText('Block size');
    await user.clear(blockSize);
    await user.type(blockSize, '0');
    expect(blockSize.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(blockSize)).toContain('Must be at least 1');
    const save = screen.getByRole('button', { name: 'Save' });
    expect(isDisabled(save)).toBe(true);
    await user.click(save);
    await user.type(blockSize, '{Enter}');
    // The Autodesk section beside the form reads its connections on its own.
    expect(calls.map((c) => c.name).filter((name) => name !== 'usageConnections')).toEqual(['getSettings']);
    screen.getByText('Fix the problem marked above to save.');
  });

  it('shows the limit on pool credits one person may hold, explains it, and saves a change; a negative one is refused', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const limit = await screen.findByLabelText<HTMLInputElement>('Pool held per person, at most');
    expect(limit.value).toBe('100');
    expect(describedBy(limit)).toMatch(/nobody can hold the whole pool/);
    await user.clear(limit);
    await user.type(limit, '-1');
    expect(limit.getAttribute('aria-invalid')).toBe('true');
    expect(isDisabled(screen.getByRole('button', { name: 'Save' }))).toBe(true);
    await user.clear(limit);
    await user.type(limit, '250');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(puts(calls)[0]!.input.body).toEqual({ ...SETTINGS, maxPoolHeldPerPerson: 250 });
  });

  it('refuses a Teams webhook that is not https', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const webhook = await screen.findByLabelText('Teams webhook URL (optional)');
    await user.click(webhook);
    await user.paste('http://contoso.webhook.office.com/workflows/1');
    expect(describedBy(webhook)).toContain('must start with https://');
    expect(isDisabled(screen.getByRole('button', { name: 'Save' }))).toBe(true);
    await user.clear(webhook);
    await user.paste('https://contoso.webhook.office.com/workflows/1');
    expect(webhook.getAttribute('aria-invalid')).not.toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(puts(calls)[0]!.input.body.teamsWebhookUrl).toBe('https://contoso.webhook.office.com/workflows/1');
  });

  it('accepts plain http to the local Teams stand-in on 127.0.0.1, and says so in the hint', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const webhook = await screen.findByLabelText('Teams webhook URL (optional)');
    expect(describedBy(webhook)).toContain('http://127.0.0.1');
    await user.click(webhook);
    await user.paste('http://127.0.0.1:7072/webhook');
    expect(webhook.getAttribute('aria-invalid')).not.toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(puts(calls)[0]!.input.body.teamsWebhookUrl).toBe('http://127.0.0.1:7072/webhook');
  });

  it('chooses how pool draws are posted to the channel and saves it as feedDigest', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const digest = await screen.findByLabelText<HTMLSelectElement>('Post pool draws');
    expect(digest.value).toBe('off');
    expect([...digest.options].map((o) => o.textContent)).toEqual(['One card per draw', 'Hourly digest', 'Daily digest']);
    await user.selectOptions(digest, 'Daily digest');
    screen.getByText('You have unsaved changes.');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(puts(calls)[0]!.input.body).toEqual({ ...SETTINGS, feedDigest: 'daily' });
  });

  it("shows the API's objection to the digest mode next to its field", async () => {
    const user = userEvent.setup();
    renderSettings({
      putSettings: () => new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid.', { issues: [{ path: ['feedDigest'], message: 'Digests are not available yet' }] }),
    });
    const digest = await screen.findByLabelText('Post pool draws');
    await user.selectOptions(digest, 'Hourly digest');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Not saved');
    expect(describedBy(digest)).toContain('Digests are not available yet');
    expect(digest.getAttribute('aria-invalid')).toBe('true');
  });

  it('lists services by name, without their internal ids; a renamed saved service keeps its id, a new one takes it from its name', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const services = await screen.findByRole('table', { name: 'Services' });
    expect(within(services).getAllByRole('columnheader').map((h) => h.textContent)).not.toContain('Slug');
    expect(within(services).queryByText('cloud_rendering')).toBeNull();
    expect(screen.queryByLabelText(/Slug/)).toBeNull();
    const first = screen.getByLabelText('Name of service 1');
    await user.clear(first);
    await user.type(first, 'Rendering (GPU)');
    await user.click(screen.getByRole('button', { name: 'Add service' }));
    await user.type(screen.getByLabelText('Name of service 5'), 'Simulation');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    const body = puts(calls)[0]!.input.body;
    expect(body.services[0]).toMatchObject({ slug: 'cloud_rendering', name: 'Rendering (GPU)' });
    // "simulation" is taken by a saved service: the new one gets an id of its own.
    expect(body.services[4]).toMatchObject({ slug: 'simulation_2', name: 'Simulation' });
  });

  it('adds a holiday and a service, removes another, and saves the lists', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    await user.click(await screen.findByRole('button', { name: 'Add holiday' }));
    const holiday = screen.getByLabelText('Holiday 1');
    expect(document.activeElement).toBe(holiday);
    expect(describedBy(holiday)).toContain('must be YYYY-MM-DD');
    await user.type(holiday, '2026-12-25');
    await user.click(screen.getByRole('button', { name: 'Add service' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Name of service 5'));
    await user.type(screen.getByLabelText('Name of service 5'), 'Fluid simulation');
    await user.clear(screen.getByLabelText('Typical credits of service 5'));
    await user.type(screen.getByLabelText('Typical credits of service 5'), '12.5');
    await user.click(screen.getByRole('button', { name: 'Remove service 4 (Other)' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    const body = puts(calls)[0]!.input.body;
    expect(body.holidays).toEqual(['2026-12-25']);
    expect(body.services.map((s: { slug: string }) => s.slug)).toEqual(['cloud_rendering', 'simulation', 'generative_design', 'fluid_simulation']);
    expect(body.services[3]).toEqual({ slug: 'fluid_simulation', name: 'Fluid simulation', typicalCredits: 12.5 });
  });

  it("shows the API's validation issues next to their fields until the value is changed", async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings({
      putSettings: () => new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid.', { issues: [{ path: 'reseller.emailDomain', message: 'Not a reseller we know' }] }),
    });
    const domain = await screen.findByLabelText('Reseller email domain');
    await user.clear(domain);
    await user.type(domain, 'resell.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Not saved');
    screen.getByText('Check this: Reseller email domain: Not a reseller we know.');
    expect(describedBy(domain)).toContain('Not a reseller we know');
    expect(domain.getAttribute('aria-invalid')).toBe('true');
    // The field the server named is brought into view and focused, wherever the Save bar is.
    await waitFor(() => expect(document.activeElement).toBe(domain));
    expect(puts(calls)).toHaveLength(1);
    await user.type(domain, 's');
    expect(describedBy(domain)).not.toContain('Not a reseller we know');
  });

  it('choosing Flex tokens presets what Flex needs (no allotment, packs expiring after 12 months); back on Cloud Credits the allotment is 100 again', async () => {
    const user = userEvent.setup();
    const { calls } = renderSettings();
    const unit = await screen.findByLabelText('Unit');
    await user.selectOptions(unit, 'Flex tokens');
    expect(screen.getByLabelText<HTMLInputElement>('Individual allotment').value).toBe('0');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Purchased packs expire' }).checked).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>('Months until a pack expires').value).toBe('12');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    expect(puts(calls)[0]!.input.body).toMatchObject({ unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
    await user.selectOptions(unit, 'Cloud Credits');
    expect(screen.getByLabelText<HTMLInputElement>('Individual allotment').value).toBe('100');
  });

  it('discards changes back to what was loaded', async () => {
    const user = userEvent.setup();
    renderSettings();
    const blockSize = await screen.findByLabelText<HTMLInputElement>('Block size');
    await user.clear(blockSize);
    await user.type(blockSize, '0');
    await user.click(screen.getByRole('checkbox', { name: 'Saturday' }));
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(blockSize.value).toBe('100');
    expect(blockSize.getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Saturday' }).checked).toBe(false);
    screen.getByText('No changes.');
  });

  for (const [who, me] of [['an employee', EMPLOYEE_ME], ['an account manager', MANAGER_ME]] as const) {
    it(`is IT's alone: ${who} gets a note, and the page asks for no settings (they hold the webhook URL and mail sender)`, async () => {
      const { calls } = renderSettings({}, me);
      await screen.findByText(/Only IT reads and changes the settings/);
      expect(screen.queryByLabelText('Block size')).toBeNull();
      expect(screen.queryByLabelText('Teams webhook URL (optional)')).toBeNull();
      expect(calls).toEqual([]);
    });
  }

  it('offers a retry when the settings cannot be loaded', async () => {
    const user = userEvent.setup();
    let failures = 1;
    renderSettings({ getSettings: () => (failures-- > 0 ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : structuredClone(SETTINGS)) });
    await screen.findByText('Could not load the settings');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Block size').value).toBe('100'));
  });
});

describe('the limit on pool credits in holds (schema)', () => {
  it('is 100 credits (one block) by default, also in settings saved before it existed', () => {
    expect(DEFAULT_POLICY.maxPoolHeldPerPerson).toBe(100);
    const { maxPoolHeldPerPerson: _dropped, ...older } = DEFAULT_POLICY;
    expect(Settings.parse(older).maxPoolHeldPerPerson).toBe(100);
    expect(settingsFromRow({ partitionKey: 't', rowKey: 'settings', data: JSON.stringify(older) }).maxPoolHeldPerPerson).toBe(100);
  });

  it('takes 0 to 100000 credits with at most two decimals', () => {
    for (const ok of [0, 12.5, 100_000]) expect(Settings.safeParse({ ...DEFAULT_POLICY, maxPoolHeldPerPerson: ok }).success, String(ok)).toBe(true);
    for (const bad of [-1, 0.001, 100_001, '100', null]) expect(Settings.safeParse({ ...DEFAULT_POLICY, maxPoolHeldPerPerson: bad }).success, String(bad)).toBe(false);
  });
});
