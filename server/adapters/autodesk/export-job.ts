/** What both connectors share about an export job: the window they ask for, and polling it until made. */
import type { DayWindow, PullProgress } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { ApsSession } from './aps-http.js';
import { backoffDelay } from './backoff.js';

/** One status poll: the download link once made, why it cannot be, or null while Autodesk is still at it. */
export type ExportCheck = { url: string } | { failed: string } | { expired: string } | null;

/**
 * Polls with back-off (the first poll after the first delay) until the export is made, and gives its
 * download link. Failed: 'export_failed'; gone: 'export_expired'; still not made after the policy's
 * polls: 'unavailable' (too slow).
 */
export async function pollExport(session: ApsSession, onProgress: ((progress: PullProgress) => void) | undefined, check: () => Promise<ExportCheck>): Promise<string> {
  onProgress?.({ stage: 'requested', polls: 0 });
  for (let polls = 1; polls <= session.policy.maxPolls; polls++) {
    await session.sleep(backoffDelay(session.policy, polls - 1));
    const result = await check();
    if (result && 'url' in result) {
      onProgress?.({ stage: 'downloading', polls });
      return result.url;
    }
    if (result && 'failed' in result) throw new UsageSourceError('export_failed', result.failed);
    if (result && 'expired' in result) throw new UsageSourceError('export_expired', result.expired);
    onProgress?.({ stage: 'processing', polls });
  }
  throw new UsageSourceError('unavailable', `Autodesk had not made the export after ${session.policy.maxPolls} status checks.`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A window of real days, `from` not after `to`: otherwise the caller's mistake, not Autodesk's refusal. */
export function checkWindow(window: DayWindow): void {
  const valid = (d: string) => ISO_DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!valid(window.from) || !valid(window.to) || window.from > window.to) throw new RangeError(`not a window of days: ${window.from} to ${window.to}`);
}

/** Days in the window, both ends counted. */
export function windowDays(window: DayWindow): number {
  return (Date.parse(`${window.to}T00:00:00Z`) - Date.parse(`${window.from}T00:00:00Z`)) / 86_400_000 + 1;
}
