import {
  Button,
  Card,
  CardHeader,
  Skeleton,
  SkeletonItem,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { LockClosedRegular } from '@fluentui/react-icons';
import type { HoldView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatCredits, formatDay, formatRelative } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';

const useStyles = makeStyles({
  job: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0, paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  note: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  split: { color: tokens.colorNeutralForeground2 },
  actionCol: { width: '96px' },
  creditsCol: { width: '160px' },
  expiresCol: { width: '180px' },
  empty: { color: tokens.colorNeutralForeground2 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
  settled: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  settledList: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
});

export interface OpenHoldsProps {
  holds: readonly HoldView[] | undefined;
  loading: boolean;
  error: unknown;
  unit: string;
  onRetry: () => void;
  /** A hold was voided: reload the list and the balances. */
  onChanged: () => void;
  /** The person's recently settled holds, each with the usage that settled it. */
  settled?: readonly HoldView[] | undefined;
}

const SETTLED_BY_SOURCE = { self: 'logged by you', manager: 'logged by an account manager', import: "from Autodesk's usage export" } as const;

/** "Settled by 30 credits of generative design used Dec 7, from Autodesk's usage export." */
export function settledByWords(hold: HoldView, unit: string, serviceName: (slug: string) => string): string {
  const by = hold.settledBy;
  if (!by) return `Settled${hold.closedAt ? ` ${formatDay(hold.closedAt)}` : ''}.`;
  return `Settled by ${formatCredits(by.credits)} ${unit} of ${serviceName(by.service).toLowerCase()} used ${formatDay(by.date)}, ${SETTLED_BY_SOURCE[by.source]}.`;
}

/** Holds that closed because usage was recorded, and which usage: a hold never disappears without a word. */
function SettledHolds({ holds, unit }: { holds: readonly HoldView[]; unit: string }) {
  const styles = useStyles();
  const { settings } = useApp();
  const nameOf = (slug: string) => settings.services.find((s) => s.slug === slug)?.name ?? slug;
  return (
    <section aria-label="Recently settled holds" className={styles.settled}>
      <Text weight="semibold">Recently settled</Text>
      <ul className={styles.settledList}>
        {holds.map((h) => (
          <li key={h.id}>
            <Text>
              {formatCredits(h.credits)} {unit} reserved for {nameOf(h.service).toLowerCase()} on {formatDay(h.placedAt)}.{' '}
            </Text>
            <Text className={styles.split}>{settledByWords(h, unit, nameOf)}</Text>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One open hold: what it is for, where its credits came from, when it lapses, and a Void button. */
function HoldRow({ hold, unit, onChanged }: { hold: HoldView; unit: string; onChanged: () => void }) {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { api, settings, refreshMe } = useApp();
  const serviceName = settings.services.find((s) => s.slug === hold.service)?.name ?? hold.service;
  const voiding = useAction(async (idempotencyKey) => {
    await api('voidHold', { params: { id: hold.id }, idempotencyKey });
    onChanged();
    await refreshMe();
  });
  const from = [hold.fromOwn > 0 ? `${formatCredits(hold.fromOwn)} own` : '', hold.fromPool > 0 ? `${formatCredits(hold.fromPool)} pool` : ''].filter(Boolean).join(' · ');
  return (
    <>
      <TableRow className={rt.row}>
        <TableCell className={mergeClasses(rt.cell, rt.full)}>
          <div className={styles.job}>
            <Text weight="semibold">{serviceName}</Text>
            {hold.note ? <Text size={200} className={styles.note}>{hold.note}</Text> : null}
          </div>
        </TableCell>
        <TableCell className={mergeClasses(rt.cell, rt.grow)}>
          <Text weight="semibold">
            {formatCredits(hold.credits)} {unit}
          </Text>
          <br />
          <Text size={200} className={styles.split}>
            {from}
          </Text>
        </TableCell>
        <TableCell className={mergeClasses(rt.cell, rt.grow, rt.labelled)} data-label="Lapses">
          <Text>{formatRelative(hold.expiresAt)}</Text>
          <br />
          <Text size={200} className={styles.split}>
            {formatDay(hold.expiresAt)}
          </Text>
        </TableCell>
        <TableCell className={rt.cell}>
          <Button size="small" disabled={voiding.busy} aria-label={`Void the hold of ${formatCredits(hold.credits)} ${unit} for ${serviceName}`} onClick={() => void voiding.run()}>
            {voiding.busy ? 'Voiding…' : 'Void'}
          </Button>
        </TableCell>
      </TableRow>
      {voiding.error ? (
        <TableRow className={rt.row}>
          <TableCell colSpan={4} className={mergeClasses(rt.cell, rt.full)}>
            <ApiErrorBar error={voiding.error} title="Not voided" onRetry={() => void voiding.run()} />
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

/** The person's open holds (DESIGN 3.5), with when each lapses and a way to void it. */
export function OpenHolds({ holds, loading, error, unit, onRetry, onChanged, settled }: OpenHoldsProps) {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { settings } = useApp();
  const days = settings.holdExpiryDays;
  return (
    <Card>
      <CardHeader
        image={<LockClosedRegular fontSize={24} />}
        header={
          <Text weight="semibold" as="h2">
            Reserved for planned jobs
          </Text>
        }
        description={
          <Text size={200}>
            Usage of the same service on or after the day a hold was placed, logged or imported, settles it; an unused hold lapses after {days} {days === 1 ? 'day' : 'days'}.
          </Text>
        }
      />
      {error ? <ApiErrorBar error={error} title="Your holds could not be loaded" onRetry={onRetry} /> : null}
      {loading && !holds ? (
        <Skeleton aria-label="Loading your holds" className={styles.skeleton}>
          <SkeletonItem />
          <SkeletonItem />
        </Skeleton>
      ) : holds && holds.length > 0 ? (
        <Table aria-label="Open holds" size="small" className={rt.table}>
          <TableHeader className={rt.header}>
            <TableRow>
              <TableHeaderCell>Job</TableHeaderCell>
              <TableHeaderCell className={styles.creditsCol}>Held</TableHeaderCell>
              <TableHeaderCell className={styles.expiresCol}>Lapses</TableHeaderCell>
              <TableHeaderCell className={styles.actionCol}>
                <span className={styles.visuallyHidden}>Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody className={rt.body}>
            {holds.map((h) => (
              <HoldRow key={h.id} hold={h} unit={unit} onChanged={onChanged} />
            ))}
          </TableBody>
        </Table>
      ) : holds ? (
        <Text className={styles.empty}>Nothing reserved. Before a big job, reserve {unit} so they are there when it runs.</Text>
      ) : null}
      {settled && settled.length > 0 ? <SettledHolds holds={settled} unit={unit} /> : null}
    </Card>
  );
}
