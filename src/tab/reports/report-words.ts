import type { ChargebackResponse } from '../../contract/schemas.js';

export type GroupBy = ChargebackResponse['groupBy'];

/** What each grouping is called on screen and in the CSV's first column. */
export const GROUP_BY_LABEL: Record<GroupBy, string> = {
  office: 'Office',
  department: 'Department',
  project: 'Project',
  service: 'Service',
  person: 'Person',
};

export const GROUP_BY_OPTIONS = Object.keys(GROUP_BY_LABEL) as GroupBy[];

/** An amount of money in its currency; a currency code Intl does not know is written after the figure. */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** The currencies a report's pool cost is in, in a stable order: one CSV column each. */
export function currenciesOf(report: ChargebackResponse): string[] {
  return [...new Set(report.totals.poolCost.map((c) => c.currency))].sort();
}
