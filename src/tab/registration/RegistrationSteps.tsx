import { Badge, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import { CheckmarkCircleRegular, MailInboxRegular, PersonAccountsRegular, PersonAddRegular } from '@fluentui/react-icons';
import type { MeResponse } from '../../contract/schemas.js';

type State = MeResponse['registration']['state'];

/** Where a step stands: finished, the person's to do, someone else's to do, refused, or still ahead. */
export type StepStatus = 'done' | 'yours' | 'waiting' | 'declined' | 'ahead';

export const STEPS: { label: string; icon: FluentIcon }[] = [
  { label: 'Requested', icon: PersonAddRegular },
  { label: 'Account created', icon: PersonAccountsRegular },
  { label: 'Check your email', icon: MailInboxRegular },
  { label: 'Registered', icon: CheckmarkCircleRegular },
];

/** The four steps' statuses for a registration state (`left` has no step: the page says so instead). */
export function stepStatuses(state: State): StepStatus[] {
  switch (state) {
    case 'not_requested':
      return ['yours', 'ahead', 'ahead', 'ahead'];
    case 'declined':
      return ['declined', 'ahead', 'ahead', 'ahead'];
    case 'requested':
      return ['done', 'waiting', 'ahead', 'ahead'];
    case 'account_created':
      return ['done', 'done', 'yours', 'ahead'];
    case 'registered':
    case 'left':
      return ['done', 'done', 'done', 'done'];
  }
}

const BADGE: Record<StepStatus, { text: string; color: 'success' | 'brand' | 'informative' | 'danger' | 'subtle' }> = {
  done: { text: 'Done', color: 'success' },
  yours: { text: 'Your turn', color: 'brand' },
  waiting: { text: 'In progress', color: 'informative' },
  declined: { text: 'Declined', color: 'danger' },
  ahead: { text: 'Next', color: 'informative' },
};

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    listStyleType: 'none',
    margin: 0,
    padding: 0,
  },
  step: {
    flex: '1 1 150px',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  current: {
    border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  icon: { flexShrink: 0, fontSize: '24px', color: tokens.colorNeutralForeground3 },
  iconDone: { color: tokens.colorPaletteGreenForeground1 },
  iconCurrent: { color: tokens.colorBrandForeground1 },
  iconDeclined: { color: tokens.colorPaletteRedForeground1 },
  text: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS, minWidth: 0 },
});

/** The registration stepper: a row of steps that wraps on narrow screens; the current one is marked. */
export function RegistrationSteps({ state }: { state: State }) {
  const styles = useStyles();
  const statuses = stepStatuses(state);
  return (
    <ol className={styles.list} aria-label="Registration steps">
      {STEPS.map((step, i) => {
        const status = statuses[i] ?? 'ahead';
        const current = status === 'yours' || status === 'waiting' || status === 'declined';
        const Icon = step.icon;
        return (
          <li key={step.label} className={mergeClasses(styles.step, current && styles.current)} aria-current={current ? 'step' : undefined}>
            <Icon
              aria-hidden
              className={mergeClasses(
                styles.icon,
                status === 'done' && styles.iconDone,
                (status === 'yours' || status === 'waiting') && styles.iconCurrent,
                status === 'declined' && styles.iconDeclined,
              )}
            />
            <span className={styles.text}>
              <Text weight={current ? 'semibold' : 'regular'}>
                {i + 1}. {step.label}
              </Text>
              <Badge appearance={status === 'ahead' ? 'outline' : 'tint'} color={BADGE[status].color} size="small">
                {BADGE[status].text}
              </Badge>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
