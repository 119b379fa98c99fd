import { Dropdown, Field, Option, SearchBox } from '@fluentui/react-components';
import type { RegistrationState } from '../../core/ledger/member.js';
import { REGISTRATION_STATES } from '../../core/ledger/member.js';
import { REGISTRATION_STATE_LABEL } from '../../ui/RegistrationStateBadge.js';
import { useMembersPageStyles } from './MembersPage.styles.js';
import type { MembersPageState } from './useMembersPage.js';
import { ANY } from './useMembersPage.js';

/** Search by name or email, and narrow by office and registration state. */
export function MemberFilters({ state }: { state: MembersPageState }) {
  const styles = useMembersPageStyles();
  const { filter, changeFilter, offices } = state;
  return (
    <div className={styles.filters} role="search" aria-label="Find members">
      <Field label="Search by name or email">
        <SearchBox value={filter.search} onChange={(_e, data) => changeFilter({ search: data.value })} />
      </Field>
      <Field label="Office">
        <Dropdown
          className={styles.dropdown}
          value={filter.office === ANY ? 'All offices' : filter.office}
          selectedOptions={[filter.office]}
          onOptionSelect={(_e, data) => changeFilter({ office: data.optionValue ?? ANY })}
        >
          <Option value={ANY}>All offices</Option>
          {offices.map((o) => (
            <Option key={o} value={o}>
              {o}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="State">
        <Dropdown
          className={styles.dropdown}
          value={filter.state === ANY ? 'Any state' : REGISTRATION_STATE_LABEL[filter.state]}
          selectedOptions={[filter.state]}
          onOptionSelect={(_e, data) => changeFilter({ state: (data.optionValue ?? ANY) as RegistrationState | '' })}
        >
          <Option value={ANY}>Any state</Option>
          {REGISTRATION_STATES.map((s) => (
            <Option key={s} value={s}>
              {REGISTRATION_STATE_LABEL[s]}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </div>
  );
}
