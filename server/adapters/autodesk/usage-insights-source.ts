/**
 * The usage insights Export Usage API (teams with Autodesk's Business Success Plan) as a `UsageSource`:
 *
 *   POST /insights/v1/exports              an export of the usage report (USAGE_REPORT_BY_PRODUCT) for a window
 *   GET  /insights/v1/exports/{exportId}   SUBMITTED, then COMPLETED (with downloads[].downloadURL, good for
 *                                          a few minutes), ERROR or EXPIRED
 *
 * Autodesk says the API gives the fields of Autodesk Account's usage export, so the file is the importer's
 * `usage_report_2026` shape (Email, First name, Last name, Team, Product, Feature, Day used, Tokens used,
 * hashed_autodesk_id): a pulled day and the same day uploaded by hand have the same row identity.
 *
 * Assumed where Autodesk's pages say nothing: with outputFormat CSV the USAGE_REPORT download is one plain
 * CSV file (not a zip) with the 2026 column names; a window may span at most 365 days (the documented
 * "within 1 year"), so a longer backfill is split by the caller.
 */
import type { DayWindow, PullProgress, UsageExport, UsageSource } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { ApsApiOptions } from './aps-http.js';
import { ApsSession } from './aps-http.js';
import { checkWindow, pollExport, windowDays } from './export-job.js';

/** The longest window one export may ask for. */
export const INSIGHTS_MAX_DAYS = 365;

interface InsightsExport {
  id: string;
  /** SUBMITTED, COMPLETED, EXPIRED or ERROR. */
  status: string;
  downloads?: { type: string; downloadURL: string }[];
}

export interface UsageInsightsSourceOptions extends ApsApiOptions {
  /** One team's usage; without it, every team the admin manages. */
  teamId?: string | null;
}

export class UsageInsightsSource implements UsageSource {
  readonly kind = 'usage_insights' as const;

  constructor(private readonly options: UsageInsightsSourceOptions) {}

  async exportUsage(window: DayWindow, options: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void } = {}): Promise<UsageExport> {
    checkWindow(window);
    if (windowDays(window) > INSIGHTS_MAX_DAYS) throw new RangeError(`the usage insights API exports at most ${INSIGHTS_MAX_DAYS} days at once: split ${window.from} to ${window.to}`);
    const session = new ApsSession(this.options, options.signal);
    const created = await session.json<InsightsExport>('POST', '/insights/v1/exports', {
      ...(this.options.teamId ? { teamId: this.options.teamId } : {}),
      outputFormat: 'CSV',
      reports: ['USAGE_REPORT'],
      usageReports: ['USAGE_REPORT_BY_PRODUCT'],
      startDate: `${window.from}T00:00:00Z`,
      endDate: `${window.to}T23:59:59Z`,
    });
    if (typeof created?.id !== 'string') throw new UsageSourceError('unavailable', 'Autodesk accepted the export request without an export id.');
    const url = await pollExport(session, options.onProgress, async () => {
      const status = await session.json<InsightsExport>('GET', `/insights/v1/exports/${encodeURIComponent(created.id)}`);
      if (status.status === 'ERROR') return { failed: 'Autodesk reported that the usage export failed.' };
      if (status.status === 'EXPIRED') return { expired: 'Autodesk let the usage export expire before it was downloaded.' };
      if (status.status !== 'COMPLETED') return null;
      const report = status.downloads?.find((d) => d.type === 'USAGE_REPORT');
      if (!report?.downloadURL) return { failed: 'Autodesk completed the usage export without the usage report in it.' };
      return { url: report.downloadURL };
    });
    return { fileName: `autodesk-usage-insights-${window.from}-to-${window.to}.csv`, body: await session.download(url), window };
  }
}
