/**
 * Azure Functions' timer schedules (NCRONTAB: `{second} {minute} {hour} {day} {month} {day-of-week}`, in
 * UTC), read so that the status can say when the next pull runs and the local host can wait for it as the
 * Azure timer does. Each field is `*`, a number, a range `a-b`, a step (`*`, a number or a range, then `/n`), or a list of
 * those; day-of-week 0 (Sunday) to 6. A day is due when both the day and the day-of-week fields allow it.
 */
export interface Schedule {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
] as const;

/** Every day at 04:00 UTC: after Autodesk has closed the day before in every zone a firm works in. */
export const DEFAULT_PULL_SCHEDULE = '0 0 4 * * *';

function field(text: string, spec: (typeof FIELDS)[number]): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `The ${spec.name} field "${part}" is not a number, a range, a step or *.`;
    const low = match[1] === '*' ? spec.min : Number(match[2]);
    const high = match[1] === '*' ? spec.max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? spec.max : low;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (low < spec.min || high > spec.max || low > high || step < 1) return `The ${spec.name} field "${part}" is outside ${spec.min}-${spec.max}.`;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

/** The schedule an NCRONTAB expression says, or why it is not one. */
export function parseSchedule(expression: string): { ok: true; schedule: Schedule } | { ok: false; problem: string } {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) return { ok: false, problem: `"${expression}" has ${parts.length} fields; NCRONTAB has six: second minute hour day month day-of-week.` };
  const sets: Set<number>[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const parsed = field(parts[i]!, spec);
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    sets.push(parsed);
  }
  const [seconds, minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { ok: true, schedule: { seconds, minutes, hours, days, months, weekdays } };
}

const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);

/** The first moment after `after` the schedule is due (UTC), or null when it never is (31 February). */
export function nextRun(schedule: Schedule, after: Date): Date | null {
  const [hours, minutes, seconds] = [sorted(schedule.hours), sorted(schedule.minutes), sorted(schedule.seconds)];
  const start = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
  // Four years and a day reach every calendar day a schedule can name (29 February included).
  for (let d = 0; d <= 4 * 366; d++) {
    const day = new Date(start + d * 86_400_000);
    if (!schedule.months.has(day.getUTCMonth() + 1) || !schedule.days.has(day.getUTCDate()) || !schedule.weekdays.has(day.getUTCDay())) continue;
    for (const h of hours) {
      for (const m of minutes) {
        for (const s of seconds) {
          const at = day.getTime() + ((h * 60 + m) * 60 + s) * 1000;
          if (at > after.getTime()) return new Date(at);
        }
      }
    }
  }
  return null;
}
