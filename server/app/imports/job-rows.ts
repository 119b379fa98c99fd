import type { ImportRowToPost } from '../../../src/core/usage-import/index.js';
import { dayNumber, dayString } from '../../../src/core/policy/index.js';
import { flat } from './flat-string.js';

/** Equal values share one string (members, services and projects repeat row after row). */
class Interned {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string): number {
    let n = this.index.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(flat(value));
      this.index.set(value, n);
    }
    return n;
  }
}

const NONE = 0xffffffff;

/**
 * The rows an import job posts, held for the job's whole run and so kept compact: numbers in typed arrays,
 * repeated strings once, the row ids and job names flat. A list of row objects takes about 300 bytes a row
 * (30 MB at 100,000 rows), this about 100. Ordered member by member, each member's rows by date and line.
 */
export class JobRows {
  private capacity = 1024;
  private lines = new Uint32Array(this.capacity);
  private days = new Int32Array(this.capacity);
  private amounts = new Float64Array(this.capacity);
  private memberOf = new Uint32Array(this.capacity);
  private serviceOf = new Uint32Array(this.capacity);
  private projectOf = new Uint32Array(this.capacity);
  private readonly rowIds: string[] = [];
  private readonly jobs: (string | undefined)[] = [];
  private readonly members = new Interned();
  private readonly services = new Interned();
  private readonly projects = new Interned();
  private order: Uint32Array | null = null;
  length = 0;

  /** Each row's legacy id (see legacyRowId), until the job knows the ledger has none. */
  private legacyIds: (string | undefined)[] | null = [];
  /** A day total's row (by push order): the row ids its lines had before day totals had ids of their own. */
  private readonly earlierIds = new Map<number, string[]>();

  /** Adds a row; its number in the order of pushing. */
  push(row: ImportRowToPost, legacyId?: string): number {
    if (this.order) throw new Error('The job rows are already ordered.');
    if (this.length === this.capacity) this.grow();
    const n = this.length++;
    this.lines[n] = row.line;
    this.days[n] = dayNumber(row.date);
    this.amounts[n] = row.amount;
    this.memberOf[n] = this.members.of(row.memberId);
    this.serviceOf[n] = this.services.of(row.service);
    this.projectOf[n] = row.project === undefined ? NONE : this.projects.of(row.project);
    this.rowIds.push(flat(row.rowId));
    this.jobs.push(row.job === undefined ? undefined : flat(row.job));
    this.legacyIds?.push(legacyId === undefined ? undefined : flat(legacyId));
    return n;
  }

  /** Another line of the day total pushed as row `n`: its amount counts with the others. */
  addAmount(n: number, amount: number): void {
    if (this.order) throw new Error('The job rows are already ordered.');
    this.amounts[n] = this.amounts[n]! + amount;
  }

  /** Ids a line of the day total pushed as row `n` was posted under before day totals had ids of their own. */
  addEarlierIds(n: number, ids: readonly string[]): void {
    this.earlierIds.set(n, [...(this.earlierIds.get(n) ?? []), ...ids.map(flat)]);
  }

  /** The ids a day total's lines were posted under before day totals had ids of their own (see collectRows). */
  earlierIdsAt(position: number): readonly string[] {
    return this.earlierIds.get(this.index(position)) ?? [];
  }

  /** The legacy id of the row at a position of the job's order. */
  legacyIdAt(position: number): string | undefined {
    return this.legacyIds?.[this.index(position)];
  }

  /** The ledger has no row under a legacy id: they need not be held. */
  forgetLegacyIds(): void {
    this.legacyIds = null;
  }

  /** Member by member (by id), each member's rows by date and line: a transaction then holds few members. */
  sort(): void {
    const rank = new Uint32Array(this.members.values.length);
    [...this.members.values.keys()].sort((a, b) => (this.members.values[a]! < this.members.values[b]! ? -1 : 1)).forEach((m, r) => (rank[m] = r));
    const order = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i++) order[i] = i;
    order.sort((a, b) => rank[this.memberOf[a]!]! - rank[this.memberOf[b]!]! || this.days[a]! - this.days[b]! || this.lines[a]! - this.lines[b]!);
    this.order = order;
  }

  /** The row at a position of the job's order. */
  at(position: number): ImportRowToPost {
    const n = this.index(position);
    const project = this.projectOf[n]!;
    const job = this.jobs[n];
    return {
      rowId: this.rowIds[n]!,
      line: this.lines[n]!,
      memberId: this.members.values[this.memberOf[n]!]!,
      date: dayString(this.days[n]!),
      service: this.services.values[this.serviceOf[n]!]!,
      amount: this.amounts[n]!,
      ...(project === NONE ? {} : { project: this.projects.values[project]! }),
      ...(job === undefined ? {} : { job }),
    };
  }

  /** Rows from one position up to (not including) another. */
  slice(from: number, to: number): ImportRowToPost[] {
    const rows: ImportRowToPost[] = [];
    for (let p = from; p < Math.min(to, this.length); p++) rows.push(this.at(p));
    return rows;
  }

  memberAt(position: number): string {
    return this.members.values[this.memberOf[this.index(position)]!]!;
  }

  memberIds(): readonly string[] {
    return this.members.values;
  }

  /** The first and last day of the rows, or null when there are none. */
  dayRange(): { from: string; to: string } | null {
    if (this.length === 0) return null;
    let [from, to] = [Infinity, -Infinity];
    for (let i = 0; i < this.length; i++) [from, to] = [Math.min(from, this.days[i]!), Math.max(to, this.days[i]!)];
    return { from: dayString(from), to: dayString(to) };
  }

  private index(position: number): number {
    if (!this.order) throw new Error('The job rows are not ordered yet.');
    const n = this.order[position];
    if (n === undefined) throw new RangeError(`No row at position ${position} of ${this.length}.`);
    return n;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Uint32Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(this.capacity);
      next.set(old);
      return next;
    };
    this.lines = grown(this.lines, (n) => new Uint32Array(n));
    this.days = grown(this.days, (n) => new Int32Array(n));
    this.amounts = grown(this.amounts, (n) => new Float64Array(n));
    this.memberOf = grown(this.memberOf, (n) => new Uint32Array(n));
    this.serviceOf = grown(this.serviceOf, (n) => new Uint32Array(n));
    this.projectOf = grown(this.projectOf, (n) => new Uint32Array(n));
  }
}
