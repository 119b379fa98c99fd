/** Numbers and dates for the person's locale. */
const creditFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatCredits = (credits: number): string => creditFormat.format(credits);

export const formatDay = (iso: string): string => dateFormat.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));

export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso));

/** "3 days ago", "in 2 hours": relative where it reads better, within a month; a date beyond. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(Math.round(seconds), 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
  return formatDay(iso);
}

/** Today as YYYY-MM-DD in the person's own time zone. */
export function localToday(now: Date = new Date()): string {
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}

/** The unit the policy counts in, as the tab and the pane write it (DESIGN 3.6 `unitName`). */
export interface UnitWords {
  /** "credits" or "tokens", for sentences. */
  word: 'credits' | 'tokens';
  /** "Credits" or "Tokens", for labels and column headers. */
  label: 'Credits' | 'Tokens';
  /** "Cloud Credits" or "Flex tokens", the product's own name. */
  name: string;
  flex: boolean;
  /** "12.5 tokens", "1 credit". */
  amount: (n: number) => string;
  /** "1 pack", "3 blocks": what purchases come in (Flex tokens in packs, credits in blocks). */
  blocks: (n: number) => string;
}

export function unitWords(settings: { unitName: string } | undefined): UnitWords {
  const flex = settings?.unitName === 'Flex tokens';
  const word = flex ? 'tokens' : 'credits';
  return {
    word,
    label: flex ? 'Tokens' : 'Credits',
    name: settings?.unitName ?? 'Cloud Credits',
    flex,
    amount: (n) => `${formatCredits(n)} ${n === 1 ? word.slice(0, -1) : word}`,
    blocks: (n) => `${formatCredits(n)} ${flex ? 'pack' : 'block'}${n === 1 ? '' : 's'}`,
  };
}
