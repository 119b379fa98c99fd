import { Badge, Card, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { Settings } from '../../contract/schemas.js';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/format.js';
import type { FeedEntry, Tone } from './feed-kinds.js';
import { KIND_INFO } from './feed-kinds.js';

const useStyles = makeStyles({
  card: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'start',
  },
  warning: {
    backgroundColor: tokens.colorStatusWarningBackground1,
    borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorStatusWarningBorderActive}`,
  },
  danger: {
    backgroundColor: tokens.colorStatusDangerBackground1,
    borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorStatusDangerBorderActive}`,
  },
  icon: { fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600, display: 'flex' },
  brand: { color: tokens.colorBrandForeground1 },
  neutral: { color: tokens.colorNeutralForeground2 },
  success: { color: tokens.colorStatusSuccessForeground1 },
  warningIcon: { color: tokens.colorStatusWarningForeground1 },
  dangerIcon: { color: tokens.colorStatusDangerForeground1 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  top: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  time: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  message: { overflowWrap: 'anywhere' },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  figure: { display: 'flex', gap: tokens.spacingHorizontalXS },
  term: { margin: 0 },
  value: { margin: 0, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
});

const ICON_CLASS: Record<Tone, 'brand' | 'neutral' | 'success' | 'warningIcon' | 'dangerIcon'> = {
  brand: 'brand',
  neutral: 'neutral',
  success: 'success',
  warning: 'warningIcon',
  danger: 'dangerIcon',
};

/** One pool change or alert: what happened, how much, what the pool holds after, and when. */
export function FeedRow({ item, unit, services, now }: { item: FeedEntry; unit: string; services: Settings['services']; now: Date }) {
  const styles = useStyles();
  const info = KIND_INFO[item.kind];
  const Icon = info.icon;
  const service = item.service ? (services.find((s) => s.slug === item.service)?.name ?? item.service) : undefined;
  const who = [item.memberName, item.office].filter(Boolean).join(', ');
  return (
    <Card
      size="small"
      className={mergeClasses(styles.card, info.tone === 'warning' && styles.warning, info.tone === 'danger' && styles.danger)}
      data-kind={item.kind}
    >
      <span className={mergeClasses(styles.icon, styles[ICON_CLASS[info.tone]])}>
        <Icon aria-hidden />
      </span>
      <div className={styles.body}>
        <div className={styles.top}>
          <Badge appearance={info.tone === 'warning' || info.tone === 'danger' ? 'filled' : 'tint'} color={info.badge}>
            {info.label}
          </Badge>
          <time className={styles.time} dateTime={item.at} title={formatDateTime(item.at)}>
            {formatRelative(item.at, now)}
          </time>
        </div>
        <Text className={styles.message} weight={info.tone === 'warning' || info.tone === 'danger' ? 'semibold' : 'regular'}>
          {item.message}
        </Text>
        <dl className={styles.figures}>
          {item.credits !== null ? (
            <div className={styles.figure}>
              <dt className={styles.term}>Amount</dt>
              <dd className={styles.value}>
                {formatCredits(item.credits)} {unit}
              </dd>
            </div>
          ) : null}
          <div className={styles.figure}>
            <dt className={styles.term}>Pool after</dt>
            <dd className={styles.value}>
              {formatCredits(item.poolAfter)} {unit}
            </dd>
          </div>
          {service ? (
            <div className={styles.figure}>
              <dt className={styles.term}>Service</dt>
              <dd className={styles.value}>{service}</dd>
            </div>
          ) : null}
          {who ? (
            <div className={styles.figure}>
              <dt className={styles.term}>Who</dt>
              <dd className={styles.value}>{who}</dd>
            </div>
          ) : null}
        </dl>
      </div>
    </Card>
  );
}
