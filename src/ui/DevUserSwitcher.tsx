import { Dropdown, Option, OptionGroup } from '@fluentui/react-components';
import type { DevAuthProvider, DevUser } from '../platform/auth.js';

const GROUPS: Record<'Employees' | 'Account managers' | 'IT', (user: DevUser) => boolean> = {
  Employees: (u) => u.roles.length === 0,
  'Account managers': (u) => u.roles.includes('AccountManager'),
  IT: (u) => u.roles.includes('ITAdmin'),
};
type Group = keyof typeof GROUPS;

/** Dev mode: who is signed in, from the demo users grouped by role (the tab lists employees first, the pane managers). */
export function DevUserSwitcher(props: {
  auth: DevAuthProvider;
  label: string;
  /** The closed dropdown's text for the signed-in person. */
  shown: (user: DevUser) => string;
  order: readonly Group[];
  className?: string;
  onSwitch: (email: string) => void;
}) {
  const users = props.auth.users;
  const current = users.find((u) => u.email === props.auth.currentEmail);
  return (
    <Dropdown
      className={props.className}
      aria-label={props.label}
      value={current ? props.shown(current) : ''}
      selectedOptions={current ? [current.email] : []}
      onOptionSelect={(_e, data) => data.optionValue && props.onSwitch(data.optionValue)}
    >
      {props.order.map((group) => (
        <OptionGroup key={group} label={group}>
          {users.filter(GROUPS[group]).map((u) => (
            <Option key={u.email} value={u.email} text={u.displayName}>
              {`${u.displayName} · ${u.office}`}
            </Option>
          ))}
        </OptionGroup>
      ))}
    </Dropdown>
  );
}
