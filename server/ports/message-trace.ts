/** Exchange message trace (Microsoft Graph, application permission ExchangeMessageTrace.Read.All). */

export const MESSAGE_TRACE_PERMISSION = 'ExchangeMessageTrace.Read.All';

/** A message Exchange received for the person and held: in quarantine, or filtered as spam. */
export interface HeldMessage {
  receivedDateTime: string;
  senderAddress: string;
  subject: string;
  status: 'quarantined' | 'filteredAsSpam';
}

/** What message trace says; never a thrown error. */
export type TraceResult =
  | { kind: 'found'; messages: HeldMessage[] }
  | { kind: 'none' }
  | { kind: 'missing_permission'; permission: typeof MESSAGE_TRACE_PERMISSION; message: string }
  | { kind: 'unavailable'; message: string };

export interface MessageTrace {
  /**
   * Messages from `senders` to `recipient` received since `since` that Exchange held (quarantined or
   * filtered as spam), newest first. Mail stopped before Exchange (at a gateway) is never in the trace.
   */
  heldMessages(tenant: string, recipient: string, since: Date, senders: readonly string[]): Promise<TraceResult>;
}
