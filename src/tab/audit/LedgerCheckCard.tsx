import { Body1, Button, Card, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { ShieldCheckmarkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ResponseOf } from '../../contract/routes.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { SupportDetails } from '../../ui/support-details.js';
import { formatDateTime } from '../../ui/format.js';
import { useApp } from '../app-context.js';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  intro: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: 'anywhere' },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/**
 * IT runs the ledger's invariant checker (GET /api/ledger/check) from the tab: whether every balance, lot,
 * hold and transfer still adds up, and what does not. Reading only: nothing is changed.
 */
export function LedgerCheckCard() {
  const styles = useStyles();
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<{ at: string; check: ResponseOf<'ledgerCheck'> }>();

  async function run() {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult({ at: new Date().toISOString(), check: await api('ledgerCheck', {}) });
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  }

  const violations = result?.check.violations ?? [];
  return (
    <Card className={styles.card} aria-labelledby="ledger-check-title">
      <Subtitle2 as="h2" id="ledger-check-title" className={styles.title}>
        <ShieldCheckmarkRegular aria-hidden /> Ledger check
      </Subtitle2>
      <Body1 className={styles.intro}>
        Checks that the stored ledger adds up: balances against transfers, the pool against its lots, holds, allotments granted once, own credits used
        before the pool. It reads the whole ledger and changes nothing.
      </Body1>
      {error ? <ApiErrorBar error={error} title="The check did not run" onRetry={() => void run()} /> : null}
      {result && result.check.ok ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>The ledger adds up</MessageBarTitle>
            No problems found ({formatDateTime(result.at)}).
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {result && !result.check.ok ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {violations.length === 1 ? 'One problem found' : `${violations.length} problems found`} ({formatDateTime(result.at)})
            </MessageBarTitle>
            <ul className={styles.list} aria-label="Problems found">
              {violations.map((v, i) => (
                <li key={i}>{v.message}</li>
              ))}
            </ul>
            <SupportDetails rows={[['Rules', [...new Set(violations.map((v) => v.rule))].join(', ')]]} />
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        <Button onClick={() => void run()} disabledFocusable={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {busy ? 'Checking…' : result ? 'Check again' : 'Check the ledger'}
        </Button>
      </div>
    </Card>
  );
}
