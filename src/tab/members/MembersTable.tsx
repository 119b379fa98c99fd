import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, mergeClasses } from '@fluentui/react-components';
import type { MemberRecord } from '../../contract/schemas.js';
import { RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { formatCredits } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useMembersPageStyles } from './MembersPage.styles.js';

/** The members that match, each name a button that opens their history. */
export function MembersTable(props: { members: MemberRecord[]; selectedId: string | undefined; onSelect: (memberId: string) => void }) {
  const styles = useMembersPageStyles();
  const rt = useResponsiveTableStyles();
  return (
    <div className={styles.tableWrap}>
      <Table size="small" aria-label="Members" className={rt.table}>
        <TableHeader className={rt.header}>
          <TableRow>
            <TableHeaderCell>Person</TableHeaderCell>
            <TableHeaderCell>Office</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>Own</TableHeaderCell>
            <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>Held</TableHeaderCell>
            <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>From the pool</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody className={rt.body}>
          {props.members.map((r) => {
            const isSelected = r.member.id === props.selectedId;
            return (
              <TableRow key={r.member.id} className={mergeClasses(rt.row, isSelected && styles.selected)}>
                <TableCell className={mergeClasses(rt.cell, rt.full)}>
                  <div className={styles.person}>
                    <Link as="button" onClick={() => props.onSelect(r.member.id)} aria-current={isSelected ? 'true' : undefined}>
                      {r.member.displayName}
                    </Link>
                    <Text size={200}>{r.member.email}</Text>
                  </div>
                </TableCell>
                <TableCell className={rt.cell}>{r.member.office ?? '—'}</TableCell>
                <TableCell className={rt.cell}>
                  <RegistrationStateBadge state={r.registration.state} />
                </TableCell>
                <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="Own">
                  {formatCredits(r.credits.own)}
                </TableCell>
                <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="Held">
                  {formatCredits(r.credits.held)}
                </TableCell>
                <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="From the pool">
                  {formatCredits(r.credits.poolDrawn)}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
