import type { AuditChangeView } from '../../contract/schemas.js';
import { formatCredits } from '../../ui/format.js';
import { REGISTRATION_STATE_LABEL } from '../../ui/RegistrationStateBadge.js';
import { STATE_LABEL } from '../purchases/board.js';

type TransferCode = Extract<AuditChangeView, { kind: 'transfer' }>['code'];

const TRANSFER_WORDS: Record<TransferCode, string> = {
  allotment_granted: 'own credits granted',
  purchase_applied: 'added to the pool',
  usage_individual: 'used from own credits',
  usage_pool: 'drawn from the pool',
  hold_placed: 'held',
  hold_released: 'hold released',
  pack_expired: 'expired',
  opening_balance: 'opening balance',
  reversal: 'reversed',
};

/** One change of an audit entry as a line a person reads: "12.5 credits drawn from the pool · Avery Chen". */
export function describeChange(change: AuditChangeView): string {
  switch (change.kind) {
    case 'transfer': {
      const who = change.memberName ?? change.memberId;
      return `${formatCredits(change.credits)} credits ${TRANSFER_WORDS[change.code]}${who ? ` · ${who}` : ''}${change.reverses ? ` (entry ${change.reverses})` : ''}`;
    }
    case 'member':
      if (change.what === 'registration') return `${change.name}: ${REGISTRATION_STATE_LABEL[change.registrationState].toLowerCase()}`;
      return change.what === 'help' ? `${change.name}: asked for help with the Autodesk email` : `${change.name}: details updated`;
    case 'purchase':
      return `Purchase of ${change.blocks} ${change.blocks === 1 ? 'block' : 'blocks'}: ${STATE_LABEL[change.state].toLowerCase()}`;
    case 'settings':
      return 'Settings changed';
  }
}
