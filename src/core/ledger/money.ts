/** Amounts are integers in hundredths of a credit (or token): 1 credit = 100 units. Never floats. */
export type Units = number;

export const UNITS_PER_CREDIT = 100;

/** Converts a validated credit amount (at most two decimals) to units, rounding away float noise. */
export function creditsToUnits(credits: number): Units {
  return Math.round(credits * UNITS_PER_CREDIT);
}

export function unitsToCredits(units: Units): number {
  return units / UNITS_PER_CREDIT;
}

/** True when the number is a credit amount with at most two decimals (e.g. 12.5, 0.01; not 0.001). */
export function hasAtMostTwoDecimals(credits: number): boolean {
  if (!Number.isFinite(credits)) return false;
  const units = credits * UNITS_PER_CREDIT;
  // Float noise is relative to the magnitude (a few ulps): a fixed tolerance let 1e-9 through (it became
  // 0 units) and turned away large two-decimal amounts.
  return Math.abs(units - Math.round(units)) <= Math.abs(units) * Number.EPSILON * 4;
}

export function isUnits(value: number): boolean {
  return Number.isSafeInteger(value);
}
