// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/platform/api-client.js';
import { useRowAction } from '../../src/ui/useAction.js';

/** Runs one step and returns the key it was sent with. */
async function keyOf(attempt: ReturnType<typeof useRowAction>, row: string, step: string, failWith?: ApiError): Promise<string> {
  let sent = '';
  await attempt(row, step, async (key) => {
    sent = key;
    if (failWith) throw failWith;
  });
  return sent;
}

describe('useRowAction', () => {
  it('keeps a row step’s key while a lost answer may be retried, and drops it once answered or refused', async () => {
    const { result } = renderHook(() => useRowAction());
    const attempt = result.current;
    const lost = await keyOf(attempt, 'jo', 'declined', new ApiError(0, 'NETWORK', 'No answer.'));
    expect(await keyOf(attempt, 'jo', 'declined')).toBe(lost);
    // Answered: declining again later (after a new request) is a new change.
    expect(await keyOf(attempt, 'jo', 'declined')).not.toBe(lost);

    const refused = await keyOf(attempt, 'jo', 'left', new ApiError(409, 'INVALID_TRANSITION', 'No.'));
    expect(await keyOf(attempt, 'jo', 'left')).not.toBe(refused);
  });

  it('gives each row and step its own key, and returns how each attempt ended', async () => {
    const { result } = renderHook(() => useRowAction());
    const failure = new ApiError(503, 'STORAGE_UNAVAILABLE', 'Busy.');
    const jo = await keyOf(result.current, 'jo', 'account_created', failure);
    const lee = await keyOf(result.current, 'lee', 'account_created', failure);
    const joOther = await keyOf(result.current, 'jo', 'already_registered', failure);
    expect(new Set([jo, lee, joOther]).size).toBe(3);
    expect(await result.current('jo', 'account_created', () => Promise.reject(failure))).toEqual({ ok: false, error: failure });
    expect(await result.current('jo', 'account_created', () => Promise.resolve())).toEqual({ ok: true });
  });

  it('does nothing for a row with an attempt in flight, while other rows go on', async () => {
    const { result } = renderHook(() => useRowAction());
    let answer: () => void = () => {};
    const first = result.current('jo', 'account_created', () => new Promise<void>((resolve) => (answer = resolve)));
    let ran = false;
    const run = async () => {
      ran = true;
    };
    expect(await result.current('jo', 'declined', run)).toBe('busy');
    expect(ran).toBe(false);
    expect(await result.current('lee', 'account_created', run)).toEqual({ ok: true });
    answer();
    expect(await first).toEqual({ ok: true });
    expect(await result.current('jo', 'declined', run)).toEqual({ ok: true });
  });
});
