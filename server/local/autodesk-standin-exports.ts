/**
 * The Autodesk stand-in's export jobs, for both usage APIs: queued → processing → done (a CSV behind a
 * pre-signed link that works for a bounded time) or failed. A job moves on one step per status check,
 * so tests wait on polls, not on time; the file is made when the job finishes, from the usage Autodesk
 * shows that day (late-posted charges included once their day has come).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenFlexColumn, UsagePerson } from './autodesk-standin-usage.js';
import { tokenFlexCsv, usageReportCsv, visibleCharges } from './autodesk-standin-usage.js';

export type JobState = 'queued' | 'processing' | 'done' | 'failed';

export interface ExportJob {
  id: string;
  api: 'token_flex' | 'usage_insights';
  from: string;
  to: string;
  /** Token Flex: the asked columns and usage categories. */
  columns: TokenFlexColumn[];
  categories: ReadonlySet<string>;
  fileName: string;
  createdAt: number;
  polls: number;
  state: JobState;
  download?: { id: string; expiresAt: number };
}

interface Download {
  body: string;
  fileName: string;
  expiresAt: number;
}

export interface JobRules {
  /** Status checks until a job is finished (the first one sees it processing). */
  pollsToFinish: number;
  /** Jobs finishing now fail. */
  failExports: boolean;
}

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly downloads = new Map<string, Download>();

  constructor(
    private readonly seed: string,
    private readonly people: readonly UsagePerson[],
    private readonly now: () => number,
    private readonly downloadTtlMs: number,
  ) {}

  create(job: Omit<ExportJob, 'id' | 'createdAt' | 'polls' | 'state'>): ExportJob {
    const createdAt = this.now();
    // Token Flex's request keys are "<request time>#<uuid>"; usage insights' ids are opaque.
    const id = job.api === 'token_flex' ? `${new Date(createdAt).toISOString().slice(0, 19)}#${randomUUID()}` : randomBytes(32).toString('hex');
    const created: ExportJob = { ...job, id, createdAt, polls: 0, state: 'queued' };
    this.jobs.set(id, created);
    return created;
  }

  get(api: ExportJob['api'], id: string): ExportJob | undefined {
    const job = this.jobs.get(id);
    return job?.api === api ? job : undefined;
  }

  /** A status check: moves the job on one step (processing, then done or failed once its checks are used up). */
  check(job: ExportJob, rules: JobRules): ExportJob {
    if (job.state === 'done' || job.state === 'failed') return job;
    job.polls++;
    if (job.polls < rules.pollsToFinish) job.state = 'processing';
    else if (rules.failExports) job.state = 'failed';
    else this.finish(job);
    return job;
  }

  private finish(job: ExportJob): void {
    const asOf = new Date(this.now()).toISOString().slice(0, 10);
    const charges = visibleCharges(this.seed, this.people, job.from, job.to, asOf).filter((c) => job.api === 'usage_insights' || job.categories.has(c.product.usageCategory));
    const body = job.api === 'token_flex' ? tokenFlexCsv(charges, job.columns) : usageReportCsv(charges);
    const download = { id: randomBytes(24).toString('base64url'), expiresAt: this.now() + this.downloadTtlMs };
    this.downloads.set(download.id, { body, fileName: job.fileName, expiresAt: download.expiresAt });
    job.download = download;
    job.state = 'done';
  }

  /** Whether a finished job's link has run out. */
  expired(job: ExportJob): boolean {
    return job.download !== undefined && job.download.expiresAt <= this.now();
  }

  file(id: string): Download | undefined {
    return this.downloads.get(id);
  }
}
