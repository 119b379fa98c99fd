/** A price in its currency for the person's locale, e.g. "$1,250.00"; an unknown code is shown as written. */
export function formatPrice(price: number, currency: string | null): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(price);
    } catch {
      // Not an ISO 4217 code Intl knows: fall through to the plain number and the code.
    }
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(price)}${currency ? ` ${currency}` : ''}`;
}
