import type { ResponseOf } from '../../src/contract/index.js';
import type { Member, Transfer } from '../../src/core/ledger/index.js';
import type { ChargebackFigures, ChargebackGroupBy } from '../../src/core/reports/index.js';
import { unitsToCredits } from '../../src/core/ledger/index.js';
import { MAX_REPORT_DAYS, chargebackReport, reportDays } from '../../src/core/reports/index.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { allPages } from './paging.js';

export interface ChargebackQuery {
  from: string;
  to: string;
  groupBy: ChargebackGroupBy;
}

/** Usage and pool draws in a date range, grouped, with the cost of pool use: account managers and IT only. */
export async function getChargebackReport(deps: AppDeps, caller: Caller, query: ChargebackQuery): Promise<AppResult<ResponseOf<'chargebackReport'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can read chargeback reports.');
  const days = reportDays(query.from, query.to);
  if (days < 1) return failure('VALIDATION_FAILED', 'The range ends before it starts.', { fields: ['from', 'to'] });
  if (days > MAX_REPORT_DAYS) {
    return failure('RANGE_TOO_LONG', `A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}.`, { maxDays: MAX_REPORT_DAYS, days });
  }
  const tenant = caller.tenant;
  // For now this pages through every transfer of the tenant (the store has no index by day) and lets the
  // core pick the range; reading all of them also brings the reversals of in-range usage recorded later.
  // Fine for a firm's few thousand entries a year; an index by usage day is the fix when it is not.
  const [transfers, lots, members] = await Promise.all([
    allPages<Transfer>((cursor) => deps.store.listTransfers(tenant, {}, { cursor, limit: 1000 })),
    deps.store.listLots(tenant),
    allPages<{ member: Member }>((cursor) => deps.store.listMembers(tenant, {}, { cursor, limit: 1000 })),
  ]);
  const report = chargebackReport({ ...query, transfers, lots, members: members.map((m) => m.member) });
  return success({
    from: report.from,
    to: report.to,
    groupBy: report.groupBy,
    groups: report.groups.map(({ key, label, ...figures }) => ({ key, label, ...figuresView(figures) })),
    totals: figuresView(report.totals),
  });
}

function figuresView(f: ChargebackFigures) {
  return {
    own: unitsToCredits(f.own),
    pool: unitsToCredits(f.pool),
    total: unitsToCredits(f.total),
    people: f.people,
    poolCost: f.poolCost,
    unpriced: unitsToCredits(f.unpriced),
  };
}
