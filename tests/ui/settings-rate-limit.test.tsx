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


describe('rate limit settings (schema)', () => {
  it('defaults to 120 changes a minute with bursts of 30', () => {
    expect(DEFAULT_POLICY.rateLimit).toEqual({ perMinute: 120, burst: 30 });
  });

  it('loads settings saved before the limit existed, with the default', () => {
    const { rateLimit: _dropped, ...older } = DEFAULT_POLICY;
    expect(Settings.parse(older).rateLimit).toEqual({ perMinute: 120, burst: 30 });
    // The table adapter merges a stored row over the defaults at the top level.
    expect(settingsFromRow({ partitionKey: 't', rowKey: 'settings', data: JSON.stringify(older) }).rateLimit).toEqual({ perMinute: 120, burst: 30 });
  });

  it('takes whole numbers in range and refuses anything else', () => {
    expect(Settings.parse({ ...DEFAULT_POLICY, rateLimit: { perMinute: 600, burst: 100 } }).rateLimit).toEqual({ perMinute: 600, burst: 100 });
    for (const rateLimit of [
      { perMinute: 0, burst: 30 },
      { perMinute: 120, burst: 0 },
      { perMinute: 1.5, burst: 30 },
      { perMinute: 100_001, burst: 30 },
      { perMinute: 120, burst: 10_001 },
      { perMinute: '120', burst: 30 },
      { perMinute: 120 },
      { perMinute: 120, burst: 30, perHour: 1000 },
    ]) {
      expect(Settings.safeParse({ ...DEFAULT_POLICY, rateLimit }).success, JSON.stringify(rateLimit)).toBe(false);
    }
    expect(validateDraft({ ...DEFAULT_POLICY, rateLimit: { perMinute: 0, burst: 30 } }).issues).toEqual([{ path: 'rateLimit.perMinute', message: 'Must be at least 1' }]);
  });

  it('shows each issue next to its field', () => {
    expect(placeOf('rateLimit.perMinute')).toBe('rateLimit.perMinute');
    expect(placeOf('rateLimit.burst')).toBe('rateLimit.burst');
    expect(placeOf('readRateLimit.perMinute')).toBe('readRateLimit.perMinute');
    expect(placeOf('readRateLimit.burst')).toBe('readRateLimit.burst');
  });

  it('has a read limit of its own: 600 a minute with bursts of 100, also for settings saved before it existed', () => {
    expect(DEFAULT_POLICY.readRateLimit).toEqual({ perMinute: 600, burst: 100 });
    const { readRateLimit: _dropped, ...older } = DEFAULT_POLICY;
    expect(Settings.parse(older).readRateLimit).toEqual({ perMinute: 600, burst: 100 });
    expect(settingsFromRow({ partitionKey: 't', rowKey: 'settings', data: JSON.stringify(older) }).readRateLimit).toEqual({ perMinute: 600, burst: 100 });
    for (const readRateLimit of [{ perMinute: 0, burst: 100 }, { perMinute: 600, burst: 10_001 }, { perMinute: 600 }, { perMinute: 600, burst: 100, perHour: 1 }]) {
      expect(Settings.safeParse({ ...DEFAULT_POLICY, readRateLimit }).success, JSON.stringify(readRateLimit)).toBe(false);
    }
    expect(validateDraft({ ...DEFAULT_POLICY, readRateLimit: { perMinute: 600, burst: 0 } }).issues).toEqual([{ path: 'readRateLimit.burst', message: 'Must be at least 1' }]);
  });
});

describe('rate limit settings (form)', () => {
  it('IT changes the limit, is stopped at a wrong value, and saves it', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ getSettings: () => structuredClone(SETTINGS), putSettings: (input: { body: unknown }) => input.body });
    renderWithApp(<SettingsPage />, { api: fake.api, me: IT_ME });
    const perMinute = await screen.findByRole<HTMLInputElement>('spinbutton', { name: 'Changes per minute, per person' });
    const burst = screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Changes at once (burst)' });
    expect(perMinute.value).toBe('120');
    expect(burst.value).toBe('30');

    await user.clear(burst);
    await user.type(burst, '0');
    expect(burst.getAttribute('aria-invalid')).toBe('true');
    await user.clear(burst);
    await user.type(burst, '60');
    await user.clear(perMinute);
    await user.type(perMinute, '600');
    expect(burst.getAttribute('aria-invalid')).not.toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    const put = fake.calls.filter((c) => c.name === 'putSettings');
    expect(put).toHaveLength(1);
    expect((put[0]!.input as { body: Settings }).body.rateLimit).toEqual({ perMinute: 600, burst: 60 });
  });

  it('IT changes the read limit beside the change limit, and saves it', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ getSettings: () => structuredClone(SETTINGS), putSettings: (input: { body: unknown }) => input.body });
    renderWithApp(<SettingsPage />, { api: fake.api, me: IT_ME });
    const perMinute = await screen.findByRole<HTMLInputElement>('spinbutton', { name: 'Reads per minute, per person' });
    const burst = screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Reads at once (burst)' });
    expect(perMinute.value).toBe('600');
    expect(burst.value).toBe('100');
    await user.clear(burst);
    await user.type(burst, '0');
    expect(burst.getAttribute('aria-invalid')).toBe('true');
    await user.clear(burst);
    await user.type(burst, '200');
    await user.clear(perMinute);
    await user.type(perMinute, '1200');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved');
    const put = fake.calls.filter((c) => c.name === 'putSettings');
    expect(put).toHaveLength(1);
    const saved = (put[0]!.input as { body: Settings }).body;
    expect(saved.readRateLimit).toEqual({ perMinute: 1200, burst: 200 });
    expect(saved.rateLimit).toEqual({ perMinute: 120, burst: 30 });
  });

});
