import type { ChargebackResponse } from '../../contract/schemas.js';
import type { CsvValue } from '../../ui/csv.js';
import { toCsv } from '../../ui/csv.js';
import { GROUP_BY_LABEL, currenciesOf } from './report-words.js';

/**
 * The report as CSV: one line per group and a totals line, a pool-cost column per currency. Cells go through
 * the shared serializer, which defuses text a spreadsheet would run as a formula (a project named "=…").
 */
export function chargebackCsv(report: ChargebackResponse, unit: string): string {
  const currencies = currenciesOf(report);
  const headers = [
    GROUP_BY_LABEL[report.groupBy],
    `Own ${unit}`,
    `Pool ${unit}`,
    `Total ${unit}`,
    'People',
    ...currencies.map((c) => `Pool cost (${c})`),
    `Pool ${unit} without a price`,
  ];
  const line = (label: string, f: ChargebackResponse['totals']): CsvValue[] => [
    label,
    f.own,
    f.pool,
    f.total,
    f.people,
    ...currencies.map((c) => f.poolCost.find((x) => x.currency === c)?.amount ?? 0),
    f.unpriced,
  ];
  return toCsv(headers, [...report.groups.map((g) => line(g.label, g)), line('Total', report.totals)]);
}
