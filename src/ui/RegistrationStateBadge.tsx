import type { BadgeProps } from '@fluentui/react-components';
import { Badge } from '@fluentui/react-components';
import type { RegistrationState } from '../core/ledger/member.js';

/** Registration states in plain words, for people who work the queue. */
export const REGISTRATION_STATE_LABEL: Record<RegistrationState, string> = {
  not_requested: 'Not requested',
  requested: 'Requested',
  account_created: 'Account created',
  registered: 'Registered',
  declined: 'Declined',
  left: 'Left the firm',
};

const COLOR: Record<RegistrationState, BadgeProps['color']> = {
  not_requested: 'subtle',
  requested: 'brand',
  account_created: 'informative',
  registered: 'success',
  declined: 'danger',
  left: 'subtle',
};

export function RegistrationStateBadge({ state }: { state: RegistrationState }) {
  return (
    <Badge appearance="tint" color={COLOR[state]}>
      {REGISTRATION_STATE_LABEL[state]}
    </Badge>
  );
}
