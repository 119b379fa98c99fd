import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { HeldMessage, MessageTrace, TraceResult } from '../../ports/message-trace.js';
import { MESSAGE_TRACE_PERMISSION, MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID } from '../../ports/message-trace.js';
import type { GraphCallOptions } from './graph-client.js';
import { GRAPH_VERSION, GraphCalls } from './graph-client.js';
import { odataString } from './graph-directory.js';

/** Message trace is served by Graph v1.0 (`/v1.0/admin/exchange/tracing/messageTraces`); beta is not for production. */
const TRACE_VERSION = GRAPH_VERSION;
const TRACE_PATH = '/admin/exchange/tracing/messageTraces';
/** Exchange answers at most 10 days per question: an older `since` is moved up to this. */
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

/**
 * The app's credential needs ExchangeMessageTrace.Read.All (admin consent), and the tenant a service principal
 * for Microsoft's message trace app; a question's budget 10 s, 2 retries by default.
 */
export interface GraphMessageTraceOptions extends GraphCallOptions {
  /** Pages followed at most per question (default 5; Graph's pages hold 1000 rows). */
  maxPages?: number;
  /** Now (default: the system clock). */
  now?: () => Date;
}

class TraceTimeout extends Error {}

/** What IT does when Graph refuses message trace: 401 is the missing service principal, 403 the permission. */
export function messageTraceFix(status: 401 | 403): string {
  const servicePrincipal = `provision the service principal of Microsoft's message trace application in the tenant (Microsoft Graph PowerShell: New-MgServicePrincipal -AppId ${MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID}; it can take several hours to reach message trace)`;
  const permission = `grant Credit Desk's app the Microsoft Graph application permission ${MESSAGE_TRACE_PERMISSION} with admin consent`;
  return status === 401
    ? `Microsoft 365 does not let Credit Desk use message trace yet. IT: ${servicePrincipal}, and ${permission}.`
    : `Credit Desk is not allowed to read message trace yet. IT: ${permission}, and ${servicePrincipal}.`;
}

/** A Graph failure in words, for the tab. */
function describe(error: unknown): string {
  if (error instanceof GraphError) {
    if (error.statusCode === 429) return 'Microsoft 365 is limiting message trace questions (about 100 every 5 minutes); Credit Desk asks again in a few minutes.';
    if (error.statusCode > 0) return `Message trace answered ${error.statusCode}${error.code ? ` (${error.code})` : ''}.`;
    return `Graph could not be reached (${error.code ?? 'network error'}: ${error.message}).`;
  }
  return `Message trace could not be asked: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Exchange message trace in Microsoft Graph v1.0, with the app's own identity. One question per Autodesk
 * sender and held status (filters of `eq` joined by `and`, as documented), whatever the number of people:
 * the rows are sorted to the recipients here. Never throws.
 */
export class GraphMessageTraceAdapter implements MessageTrace {
  private readonly versionRoot: string;
  private readonly maxPages: number;

  private readonly graph: GraphCalls;

  constructor(private readonly options: GraphMessageTraceOptions) {
    this.graph = new GraphCalls(options, { timeoutMs: 10_000, maxRetries: 2, noToken: () => new Error('No token for Microsoft Graph.') });
    this.versionRoot = `${this.graph.baseUrl}${TRACE_VERSION}/`;
    this.maxPages = options.maxPages ?? 5;
  }

  async heldMessages(tenant: string, recipients: readonly string[], since: Date, senders: readonly string[]): Promise<ReadonlyMap<string, TraceResult>> {
    const wanted = new Set(recipients.map((r) => r.trim().toLowerCase()).filter(Boolean));
    const answer = (result: TraceResult) => new Map([...wanted].map((r) => [r, result]));
    const senderSet = [...new Set(senders.map((s) => s.trim().toLowerCase()).filter(Boolean))];
    if (wanted.size === 0) return new Map();
    if (senderSet.length === 0) return answer({ kind: 'none' });
    const now = (this.options.now ?? (() => new Date()))();
    const from = new Date(Math.max(since.getTime(), now.getTime() - MESSAGE_TRACE_DAYS * DAY_MS));
    const window = `receivedDateTime ge ${from.toISOString()} and receivedDateTime le ${now.toISOString()}`;
    const filters = senderSet.flatMap((sender) => HELD.map((status) => `${window} and senderAddress eq ${odataString(sender)} and status eq '${status}'`));

    const budget = this.graph.budget(() => new TraceTimeout(`Message trace did not answer within ${this.graph.timeoutMs / 1000} s.`));
    try {
      const client = this.graph.for(tenant);
      const rows: TraceRow[] = [];
      // One after another: message trace allows about 100 questions per 5 minutes for the whole tenant.
      for (const filter of filters) rows.push(...(await Promise.race([this.list(client, budget.prepare, filter), budget.expired])));
      const held = new Map<string, HeldMessage[]>();
      for (const r of rows) {
        const recipient = (r.recipientAddress ?? '').toLowerCase();
        if (!wanted.has(recipient) || !(HELD as readonly string[]).includes(r.status ?? '')) continue;
        const message: HeldMessage = { receivedDateTime: r.receivedDateTime ?? '', senderAddress: (r.senderAddress ?? '').toLowerCase(), subject: r.subject ?? '', status: r.status as HeldMessage['status'] };
        held.set(recipient, [...(held.get(recipient) ?? []), message]);
      }
      return new Map(
        [...wanted].map((r): [string, TraceResult] => {
          const messages = (held.get(r) ?? []).sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
          return [r, messages.length > 0 ? { kind: 'found', messages } : { kind: 'none' }];
        }),
      );
    } catch (error) {
      if (error instanceof GraphError && (error.statusCode === 401 || error.statusCode === 403)) {
        return answer({ kind: 'not_set_up', permission: MESSAGE_TRACE_PERMISSION, fix: messageTraceFix(error.statusCode) });
      }
      const timedOut = error instanceof TraceTimeout || (budget.signal.aborted && !(error instanceof GraphError && error.statusCode > 0));
      return answer({ kind: 'unavailable', message: timedOut ? `Message trace did not answer within ${this.graph.timeoutMs / 1000} s.` : describe(error) });
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
