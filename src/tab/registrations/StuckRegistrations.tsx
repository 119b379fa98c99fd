import { Button, Skeleton, SkeletonItem, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { StuckRegistration, TraceView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDay, formatRelative } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { SupportDetails } from '../../ui/support-details.js';
import { useApi } from '../../ui/useApi.js';
import { useApp } from '../app-context.js';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  person: { display: 'flex', flexDirection: 'column', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, minWidth: 0, overflowWrap: 'anywhere' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

/** What message trace found, in plain words with the next step. */
export function traceFinding(trace: TraceView): string {
  switch (trace.kind) {
    case 'found': {
      const newest = trace.messages?.[0];
      if (!newest) break;
      const day = formatDay(newest.receivedDateTime);
      return newest.status === 'quarantined'
        ? `Exchange held an Autodesk message on ${day} as spam (quarantined): release it in the Defender quarantine`
        : `Exchange held an Autodesk message on ${day} as spam (filtered to Junk Email): the person can move it to their Inbox with the quarantine helper`;
    }
    case 'none':
      return 'No Autodesk message reached Exchange: it may be held at the IronPort gateway — check its quarantine';
    case 'not_set_up':
      return 'Message trace is not set up for Credit Desk yet: ask IT to set it up';
    case 'off':
      return 'Message trace is not turned on: check the IronPort quarantine, or ask IT to turn message trace on under Settings';
    case 'unavailable':
      break;
  }
  return `Message trace could not be checked: ${trace.message ?? 'no answer'}`;
}

/** The Graph application permission message trace needs; IT reads its name under Details. */
const MESSAGE_TRACE_PERMISSION = 'ExchangeMessageTrace.Read.All';

const waited = (item: StuckRegistration) => `${item.workingDaysWaited} working day${item.workingDaysWaited === 1 ? '' : 's'} (since ${formatRelative(item.since)})`;

/** People whose account was created but who have not registered for too long, and why that may be. */
export function StuckRegistrations() {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { api } = useApp();
  const stuck = useApi((signal) => api('stuckRegistrations', { signal }), [api]);

  return (
    <section className={styles.section} aria-labelledby="stuck-registrations-heading">
      <Text as="h3" id="stuck-registrations-heading" size={400} weight="semibold" className={styles.heading}>
        Stuck registrations
      </Text>
      {stuck.error ? <ApiErrorBar error={stuck.error} title="Stuck registrations did not load" onRetry={stuck.reload} /> : null}
      {stuck.loading && !stuck.data ? (
        <Skeleton aria-label="Loading stuck registrations" className={styles.skeleton}>
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
        </Skeleton>
      ) : stuck.data ? (
        <>
          {stuck.data.items.length === 0 ? (
            <Text>Nobody is stuck between “account created” and registered.</Text>
          ) : (
            <div className={styles.tableWrap}>
              <Table aria-label="Stuck registrations" size="small" className={rt.table}>
                <TableHeader className={rt.header}>
                  <TableRow>
                    <TableHeaderCell>Person</TableHeaderCell>
                    <TableHeaderCell>Waiting</TableHeaderCell>
                    <TableHeaderCell>Message trace</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody className={rt.body}>
                  {stuck.data.items.map((item) => (
                    <TableRow key={item.member.id} className={rt.row}>
                      <TableCell className={rt.cell} data-label="Person">
                        <div className={styles.person}>
                          <Text weight="semibold">{item.member.displayName}</Text>
                          <Text size={200} className={styles.muted}>
                            {item.member.email}
                          </Text>
                        </div>
                      </TableCell>
                      <TableCell className={rt.cell} data-label="Waiting">
                        {waited(item)}
                      </TableCell>
                      <TableCell className={rt.cell} data-label="Message trace">
                        {traceFinding(item.trace)}
                        {item.trace.kind === 'not_set_up' ? (
                          <SupportDetails
                            rows={[
                              ['To do', item.trace.message],
                              ['Permission', item.trace.permission ?? MESSAGE_TRACE_PERMISSION],
                            ]}
                          />
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
          <Text size={200} className={styles.muted}>
            {stuck.data.note}
          </Text>
          <div>
            <Button size="small" onClick={stuck.reload} disabled={stuck.loading}>
              {stuck.loading ? 'Checking…' : 'Check again'}
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}
