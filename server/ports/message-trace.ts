/** Exchange message trace (Microsoft Graph v1.0, application permission ExchangeMessageTrace.Read.All). */

export const MESSAGE_TRACE_PERMISSION = 'ExchangeMessageTrace.Read.All';
/**
 * Microsoft's own application behind the message trace API: each tenant needs a service principal for it
 * before the API answers (exchangeMessageTrace, "Prerequisites"); without it Graph answers 401.
 */
export const MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID = '8bd644d1-64a1-4d4b-ae52-2e0cbf64e373';

/** A message Exchange received for the person and held: in quarantine, or filtered as spam. */
export interface HeldMessage {
  receivedDateTime: string;
  senderAddress: string;
  subject: string;
  status: 'quarantined' | 'filteredAsSpam';
}

/** What message trace says about one person; never a thrown error. */
export type TraceResult =
  | { kind: 'found'; messages: HeldMessage[] }
  | { kind: 'none' }
  /** Graph refused (401/403): the tenant has not finished setting message trace up; `fix` says what IT does. */
  | { kind: 'not_set_up'; permission: typeof MESSAGE_TRACE_PERMISSION; fix: string }
  | { kind: 'unavailable'; message: string };

export interface MessageTrace {
  /**
   * For each of `recipients` (lower-cased address → answer), the messages from `senders` received since
   * `since` that Exchange held (quarantined or filtered as spam), newest first, asked in one go: how many
   * questions Graph gets does not grow with the number of recipients. Mail stopped before Exchange (at a
   * gateway) is never in the trace.
   */
  heldMessages(tenant: string, recipients: readonly string[], since: Date, senders: readonly string[]): Promise<ReadonlyMap<string, TraceResult>>;
}
