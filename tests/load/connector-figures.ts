/**
 * Whether pulled usage is in the ledger exactly once: the ledger's imported usage per day and person set
 * against what Autodesk itself charged. A row posted twice (its identity in two postings) and a daily total
 * posted again after it grew (another identity, same usage) both show as more than Autodesk charged, so
 * the comparison is made on amounts, not on row identities. Pure: the bench and the chaos run feed it.
 */

/** Usage of one person on one day, in hundredths: imported into the ledger, or charged by Autodesk. */
export interface UsageCell {
  day: string;
  person: string;
  units: number;
}

export interface LedgerComparison {
  /** (day, person) with more in the ledger than Autodesk charged: usage counted twice. */
  duplicates: number;
  /** (day, person) with less in the ledger than Autodesk charged: usage not imported. */
  missing: number;
  /** The days of each, sorted. */
  daysTwice: string[];
  daysMissing: string[];
}

const keyOf = (cell: Pick<UsageCell, 'day' | 'person'>) => `${cell.day}\u001f${cell.person}`;

function totals(cells: readonly UsageCell[]): Map<string, { day: string; units: number }> {
  const byKey = new Map<string, { day: string; units: number }>();
  for (const cell of cells) {
    const key = keyOf(cell);
    const total = byKey.get(key) ?? { day: cell.day, units: 0 };
    total.units += cell.units;
    byKey.set(key, total);
  }
  return byKey;
}

export function compareWithAutodesk(ledger: readonly UsageCell[], autodesk: readonly UsageCell[]): LedgerComparison {
  const inLedger = totals(ledger);
  const charged = totals(autodesk);
  const twice = new Set<string>();
  const missing = new Set<string>();
  let duplicates = 0;
  let short = 0;
  for (const key of new Set([...inLedger.keys(), ...charged.keys()])) {
    const held = inLedger.get(key);
    const owed = charged.get(key);
    const day = (held ?? owed)!.day;
    const difference = (held?.units ?? 0) - (owed?.units ?? 0);
    if (difference > 0) {
      duplicates++;
      twice.add(day);
    } else if (difference < 0) {
      short++;
      missing.add(day);
    }
  }
  return { duplicates, missing: short, daysTwice: [...twice].sort(), daysMissing: [...missing].sort() };
}
