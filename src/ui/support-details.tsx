import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Fragment, useContext } from 'react';
import { ApiError } from '../platform/api-client.js';
import { ShowsSupportDetails } from './shows-support-details.js';

const useStyles = makeStyles({
  root: { marginTop: tokens.spacingVerticalXXS },
  header: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
  list: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalS, margin: 0, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
  value: { margin: 0, fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
});

/** For IT only: a closed "Details" disclosure with what support needs (codes, ids, technical names). */
export function SupportDetails({ rows, children }: { rows: readonly (readonly [string, string | undefined])[]; children?: ReactNode }) {
  const styles = useStyles();
  if (!useContext(ShowsSupportDetails)) return null;
  const shown = rows.filter((row): row is readonly [string, string] => row[1] !== undefined && row[1] !== '');
  return (
    <Accordion collapsible className={styles.root}>
      <AccordionItem value="details">
        <AccordionHeader size="small" className={styles.header}>
          Details
        </AccordionHeader>
        <AccordionPanel>
          <dl className={styles.list}>
            {shown.map(([term, value]) => (
              <Fragment key={term}>
                <dt>{term}</dt>
                <dd className={styles.value}>{value}</dd>
              </Fragment>
            ))}
          </dl>
          {children}
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}

/** An API failure's code, request id and the API's own words, behind IT's "Details". */
export function ErrorDetails({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return null;
  return (
    <SupportDetails
      rows={[
        ['Code', error.code],
        ['Request id', error.requestId],
        ['Status', error.status > 0 ? String(error.status) : undefined],
        ['Message', error.message],
      ]}
    />
  );
}
