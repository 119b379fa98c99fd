import { Body1, Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useRef } from 'react';
import type { ImportView } from '../../contract/imports.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDay } from '../../ui/format.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  examples: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

type DateOrder = 'mdy' | 'dmy';

/**
 * The file writes dates such as 06/12/2026 and no date in it says whether the month or the day comes first:
 * the person is asked once, with a few of its dates read both ways, and the answer is kept with the import.
 */
export function DateOrderQuestion(props: { view: ImportView; onSaved: (view: ImportView) => void }) {
  const styles = useStyles();
  const { api } = useApp();
  const { view } = props;
  const question = view.dateQuestion ?? [];
  const chosen = useRef<DateOrder>('mdy');
  const answer = useAction(async () => {
    props.onSaved(await api('mapImportColumns', { params: { id: view.id }, body: { mapping: {}, dateOrder: chosen.current } }));
  });
  const asking = view.state === 'needs_date_order';
  const choice = (order: DateOrder, label: string) => (
    <Button appearance={view.dateOrder === order ? 'primary' : 'secondary'} aria-pressed={view.dateOrder === order} disabled={answer.busy} onClick={() => {
        chosen.current = order;
        void answer.run();
      }}>
      {label}
    </Button>
  );
  return (
    <div className={styles.root} data-testid="date-order-question">
      {asking ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Which comes first, the month or the day?</MessageBarTitle>
            Every date in this file could be read either way, so nothing is posted until you say which.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <ul className={styles.examples} aria-label="Dates from the file">
        {question.map((q) => (
          <li key={q.line}>
            <Body1>
              Line {q.line}: {q.value} is {formatDay(q.monthFirst)} if the month comes first, or {formatDay(q.dayFirst)} if the day does.
            </Body1>
          </li>
        ))}
      </ul>
      {answer.error ? <ApiErrorBar error={answer.error} title="The answer was not saved" /> : null}
      <div className={styles.actions} role="group" aria-label="How the file writes dates">
        {choice('mdy', 'Month first')}
        {choice('dmy', 'Day first')}
      </div>
    </div>
  );
}
