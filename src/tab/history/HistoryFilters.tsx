import { Field, Input, Select } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useHistoryPageStyles } from './HistoryPage.styles.js';
import type { KindFilter } from './rows.js';
import { KIND_FILTERS } from './rows.js';
import type { HistoryPageState } from './useHistoryPage.js';

/** Narrow the loaded entries by kind, by service and by words in the project or note. */
export function HistoryFilters({ state }: { state: HistoryPageState }) {
  const styles = useHistoryPageStyles();
  const { filters, changeFilters } = state;
  return (
    <div className={styles.filters} role="group" aria-label="Filters">
      <Field label="Kind" className={styles.filter}>
        <Select value={filters.kind} onChange={(_e, data) => changeFilters({ kind: data.value as KindFilter })}>
          {Object.entries(KIND_FILTERS).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Service" className={styles.filter}>
        <Select value={filters.service} onChange={(_e, data) => changeFilters({ service: data.value })}>
          <option value="">All services</option>
          {state.services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Search project or note" className={styles.search}>
        <Input type="search" contentBefore={<SearchRegular />} value={filters.search} onChange={(_e, data) => changeFilters({ search: data.value })} />
      </Field>
    </div>
  );
}
