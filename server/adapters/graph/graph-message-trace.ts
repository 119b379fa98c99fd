import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { HeldMessage, MessageTrace, TraceResult } from '../../ports/message-trace.js';
import { MESSAGE_TRACE_PERMISSION } from '../../ports/message-trace.js';
import type { GraphCallOptions } from './graph-client.js';
import { GraphCalls } from './graph-client.js';
import { odataString } from './graph-directory.js';

/** Message trace is in Graph's beta (`/beta/admin/exchange/tracing/messageTraces`). */
const TRACE_VERSION = 'beta';
const TRACE_PATH = '/admin/exchange/tracing/messageTraces';
/** Exchange keeps message trace for 10 days: an older `since` is moved up to this. */
export const MESSAGE_TRACE_DAYS = 10;
const DAY_MS = 86_400_000;
const HELD: readonly HeldMessage['status'][] = ['quarantined', 'filteredAsSpam'];

interface TraceRow {
  receivedDateTime?: string | null;
  senderAddress?: string | null;
  recipientAddress?: string | null;
  subject?: string | null;
  status?: string | null;
}
interface TracePage {
  value?: TraceRow[];
  '@odata.nextLink'?: string;
}

/** The app's credential needs ExchangeMessageTrace.Read.All (admin consent); a question's budget 10 s, 2 retries by default. */
export interface GraphMessageTraceOptions extends GraphCallOptions {
  /** Pages followed at most (default 5). */
  maxPages?: number;
  /** Now (default: the system clock). */
  now?: () => Date;
}

class TraceTimeout extends Error {}

/** A Graph failure in words, for the tab. */
function describe(error: unknown): string {
  if (error instanceof GraphError) {
    if (error.statusCode === 429) return 'Graph is throttling message trace (429); try again later.';
    if (error.statusCode > 0) return `Message trace answered ${error.statusCode}${error.code ? ` (${error.code})` : ''}.`;
    return `Graph could not be reached (${error.code ?? 'network error'}: ${error.message}).`;
  }
  return `Message trace could not be asked: ${error instanceof Error ? error.message : String(error)}`;
}

/** Exchange message trace in Microsoft Graph, with the app's own identity. Never throws. */
export class GraphMessageTraceAdapter implements MessageTrace {
  private readonly versionRoot: string;
  private readonly maxPages: number;

  private readonly graph: GraphCalls;

  constructor(private readonly options: GraphMessageTraceOptions) {
    this.graph = new GraphCalls(options, { timeoutMs: 10_000, maxRetries: 2, noToken: () => new Error('No token for Microsoft Graph.') });
    this.versionRoot = `${this.graph.baseUrl}${TRACE_VERSION}/`;
    this.maxPages = options.maxPages ?? 5;
  }

  async heldMessages(tenant: string, recipient: string, since: Date, senders: readonly string[]): Promise<TraceResult> {
    const address = recipient.trim().toLowerCase();
    if (!address) return { kind: 'none' };
    const now = (this.options.now ?? (() => new Date()))();
    const from = new Date(Math.max(since.getTime(), now.getTime() - MESSAGE_TRACE_DAYS * DAY_MS));
    const filter = [
      `receivedDateTime ge ${from.toISOString()}`,
      `receivedDateTime le ${now.toISOString()}`,
      `recipientAddress eq ${odataString(address)}`,
      `(${HELD.map((s) => `status eq '${s}'`).join(' or ')})`,
    ].join(' and ');
    const wanted = new Set(senders.map((s) => s.trim().toLowerCase()));

    const budget = this.graph.budget(() => new TraceTimeout(`Message trace did not answer within ${this.graph.timeoutMs / 1000} s.`));
    try {
      const rows = await Promise.race([this.list(this.graph.for(tenant), budget.prepare, filter), budget.expired]);
      const messages = rows
        .filter((r) => wanted.has((r.senderAddress ?? '').toLowerCase()) && (HELD as readonly string[]).includes(r.status ?? ''))
        .map((r): HeldMessage => ({
          receivedDateTime: r.receivedDateTime ?? '',
          senderAddress: (r.senderAddress ?? '').toLowerCase(),
          subject: r.subject ?? '',
          status: r.status as HeldMessage['status'],
        }))
        .sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
      return messages.length > 0 ? { kind: 'found', messages } : { kind: 'none' };
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 403) {
        return {
          kind: 'missing_permission',
          permission: MESSAGE_TRACE_PERMISSION,
          message: `Graph refused message trace (403): the app needs the application permission ${MESSAGE_TRACE_PERMISSION} with admin consent.`,
        };
      }
      const timedOut = error instanceof TraceTimeout || (budget.signal.aborted && !(error instanceof GraphError && error.statusCode > 0));
      return { kind: 'unavailable', message: timedOut ? `Message trace did not answer within ${this.graph.timeoutMs / 1000} s.` : describe(error) };
    } finally {
      budget.dispose();
    }
  }

  /** The trace rows, following `@odata.nextLink` for at most `maxPages` pages. */
  private async list(client: Client, prepare: (r: GraphRequest) => GraphRequest, filter: string): Promise<TraceRow[]> {
    const rows: TraceRow[] = [];
    // The client puts query values in as they are: encode the filter here (an address may hold + or &).
    let request = prepare(client.api(TRACE_PATH).version(TRACE_VERSION)).filter(encodeURIComponent(filter).replace(/'/g, '%27'));
    for (let page = 1; ; page++) {
      const answer = (await request.get()) as TracePage;
      rows.push(...(answer.value ?? []));
      const next = answer['@odata.nextLink'];
      if (!next || page >= this.maxPages) return rows;
      if (!next.startsWith(this.versionRoot)) throw new Error(`Message trace sent a next-page link outside ${this.versionRoot}.`);
      request = prepare(client.api(`/${next.slice(this.versionRoot.length)}`).version(TRACE_VERSION));
    }
  }

}
