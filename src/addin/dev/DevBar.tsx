import { Dropdown, Option, ToggleButton, Tooltip, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { DarkThemeRegular } from '@fluentui/react-icons';
import type { DevAuthProvider } from '../../platform/auth.js';
import type { ThemeName } from '../../platform/host.js';
import { DevUserSwitcher } from '../../ui/DevUserSwitcher.js';
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

/** Dev mode only (no Outlook around the pane): pick a sample message and, with the dev sign-in, who is signed in. */
export function DevBar(props: {
  /** The dev sign-in; none when the pane signs in with MSAL (through the Entra ID stand-in's picker). */
  auth: DevAuthProvider | undefined;
  sampleId: string;
  onSample: (id: string) => void;
  onSwitchUser: (email: string) => void;
  theme: ThemeName;
  onTheme: (theme: ThemeName) => void;
}) {
  const styles = useStyles();
  const sample = SAMPLE_MESSAGES.find((s) => s.id === props.sampleId);
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
      {props.auth ? (
        <DevUserSwitcher
          className={mergeClasses(styles.picker, styles.wide)}
          auth={props.auth}
          label="Signed in as"
          shown={(u) => `Signed in as ${u.displayName}`}
          order={['Account managers', 'IT', 'Employees']}
          onSwitch={props.onSwitchUser}
        />
      ) : null}
    </div>
  );
}
