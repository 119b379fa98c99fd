/** The firm's policy, from the knowledge-base article; IT edits it as settings. Amounts here are credits. */
export interface ServiceInfo {
  slug: string;
  name: string;
  /** A rough cost per typical job, in credits, so people can estimate before logging. */
  typicalCredits: number;
}

export interface Person {
  name: string;
  email: string;
}

export interface Policy {
  unitName: 'Cloud Credits' | 'Flex tokens';
  individualAllotment: number;
  allotmentRenewal: 'once' | 'yearly';
  blockSize: number;
  packExpiryMonths: number | null;
  leadTimeDays: { min: number; max: number };
  applyDays: { min: number; max: number };
  /** ISO weekdays (1 = Monday … 7 = Sunday) that count as working days. */
  workingDays: number[];
  holidays: string[];
  stuckAfterWorkingDays: number;
  holdExpiryDays: number;
  services: ServiceInfo[];
  accountManagers: Person[];
  reseller: { name: string; emailDomain: string };
  homeUseKbUrl: string;
  quarantine: { autodeskSenders: string[]; digestSender: string; digestSubject: string };
  teamsWebhookUrl: string | null;
  alerts: { poolLowPercentOfLastPurchase: number; safetyMarginDays: number; forecastHorizonDays: number };
}

export const DEFAULT_POLICY: Policy = {
  unitName: 'Cloud Credits',
  individualAllotment: 100,
  allotmentRenewal: 'once',
  blockSize: 100,
  packExpiryMonths: null,
  leadTimeDays: { min: 5, max: 7 },
  applyDays: { min: 1, max: 2 },
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
  stuckAfterWorkingDays: 2,
  holdExpiryDays: 7,
  services: [
    { slug: 'cloud_rendering', name: 'Cloud rendering', typicalCredits: 5 },
    { slug: 'simulation', name: 'Simulation', typicalCredits: 20 },
    { slug: 'generative_design', name: 'Generative design', typicalCredits: 25 },
    { slug: 'other', name: 'Other', typicalCredits: 1 },
  ],
  accountManagers: [],
  reseller: { name: 'ImaginiT', emailDomain: 'imaginit.com' },
  homeUseKbUrl: 'https://support.example.com/kb/10423',
  quarantine: {
    autodeskSenders: ['noreply@autodesk.com', 'noreply@signin.autodesk.com', 'no-reply@autodeskcommunications.com'],
    digestSender: 'spamquarantine@',
    digestSubject: 'Spam Quarantine Notification',
  },
  teamsWebhookUrl: null,
  alerts: { poolLowPercentOfLastPurchase: 20, safetyMarginDays: 2, forecastHorizonDays: 60 },
};

export function isKnownService(policy: Policy, slug: string): boolean {
  return policy.services.some((s) => s.slug === slug);
}

/** ISO weekday of a YYYY-MM-DD or ISO timestamp, 1 = Monday … 7 = Sunday, in UTC. */
function isoWeekday(date: Date): number {
  const day = date.getUTCDay();
  return day === 0 ? 7 : day;
}

export function isWorkingDay(policy: Policy, day: Date): boolean {
  const ymd = day.toISOString().slice(0, 10);
  return policy.workingDays.includes(isoWeekday(day)) && !policy.holidays.includes(ymd);
}

/** Whole working days that have passed from `from` to `to` (the day of `from` itself not counted). */
export function workingDaysBetween(policy: Policy, from: string, to: string): number {
  const start = new Date(from.slice(0, 10) + 'T00:00:00Z');
  const end = new Date(to.slice(0, 10) + 'T00:00:00Z');
  let count = 0;
  for (let d = new Date(start.getTime() + 86_400_000); d <= end; d = new Date(d.getTime() + 86_400_000)) {
    if (isWorkingDay(policy, d)) count++;
  }
  return count;
}
