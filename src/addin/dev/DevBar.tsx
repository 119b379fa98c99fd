import { Dropdown, Option, OptionGroup, ToggleButton, Tooltip, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { DarkThemeRegular } from '@fluentui/react-icons';
import type { DevAuthProvider } from '../../platform/auth.js';
import type { ThemeName } from '../../platform/host.js';
import { SAMPLE_MESSAGES } from './samples.js';

const useStyles = makeStyles({
  bar: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  wide: { gridColumn: '1 / -1', minWidth: 0 },
  picker: { minWidth: 0, width: '100%' },
});

/** Dev mode only (no Outlook around the pane): pick a sample message and who is signed in. */
export function DevBar(props: {
  auth: DevAuthProvider;
  sampleId: string;
  onSample: (id: string) => void;
  onSwitchUser: (email: string) => void;
  theme: ThemeName;
  onTheme: (theme: ThemeName) => void;
}) {
  const styles = useStyles();
  const sample = SAMPLE_MESSAGES.find((s) => s.id === props.sampleId);
  const users = props.auth.users;
  const current = users.find((u) => u.email === props.auth.currentEmail);
  const groups: [string, typeof users][] = [
    ['Account managers', users.filter((u) => u.roles.includes('AccountManager'))],
    ['IT', users.filter((u) => u.roles.includes('ITAdmin'))],
    ['Employees', users.filter((u) => u.roles.length === 0)],
  ];
  return (
    <div className={styles.bar} role="region" aria-label="Dev mode">
      <Dropdown
        className={styles.picker}
        aria-label="Sample message"
        value={sample?.label ?? ''}
        selectedOptions={[props.sampleId]}
        onOptionSelect={(_e, data) => data.optionValue && props.onSample(data.optionValue)}
      >
        {SAMPLE_MESSAGES.map((s) => (
          <Option key={s.id} value={s.id}>
            {s.label}
          </Option>
        ))}
      </Dropdown>
      <Tooltip content="Dark theme" relationship="label">
        <ToggleButton
          appearance="subtle"
          icon={<DarkThemeRegular />}
          checked={props.theme === 'dark'}
          onClick={() => props.onTheme(props.theme === 'dark' ? 'light' : 'dark')}
        />
      </Tooltip>
      <Dropdown
        className={mergeClasses(styles.picker, styles.wide)}
        aria-label="Signed in as"
        value={current ? `Signed in as ${current.displayName}` : ''}
        selectedOptions={current ? [current.email] : []}
        onOptionSelect={(_e, data) => data.optionValue && props.onSwitchUser(data.optionValue)}
      >
        {groups.map(([label, members]) => (
          <OptionGroup key={label} label={label}>
            {members.map((u) => (
              <Option key={u.email} value={u.email} text={u.displayName}>
                {u.displayName}
              </Option>
            ))}
          </OptionGroup>
        ))}
      </Dropdown>
    </div>
  );
}
