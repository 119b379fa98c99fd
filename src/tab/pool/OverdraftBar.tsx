import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ResponseOf } from '../../contract/routes.js';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';

export type Overdraft = NonNullable<ResponseOf<'pool'>['overdraft']>;

const list = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? ''));

/** The days the usage past the pool was used on, as people write them. */
function usedOn(o: Overdraft): string {
  if (!o.usedFrom || !o.usedTo) return '';
  return o.usedFrom === o.usedTo ? ` on ${formatDay(o.usedFrom)}` : ` from ${formatDay(o.usedFrom)} to ${formatDay(o.usedTo)}`;
}

/**
 * The pool below zero is an overdraft, not a number: Autodesk charged pool use the pool did not have.
 * Since when and for which days for everyone; who and which export for account managers and IT.
 */
export function OverdraftBar(props: { overdraft: Overdraft; unit: string; onPurchases: (() => void) | undefined }) {
  const { overdraft: o, unit } = props;
  const people = o.people?.map((p) => `${p.name ?? 'a former member'} (${formatCredits(p.credits)})`) ?? [];
  const exports = o.imports?.map((i) => `${i.fileName}, uploaded ${formatDateTime(i.uploadedAt)}`) ?? [];
  return (
    <MessageBar intent="error" layout="multiline" data-testid="pool-overdraft">
      <MessageBarBody>
        <MessageBarTitle>
          The pool is overdrawn by {formatCredits(o.credits)} {unit} since {formatDateTime(o.since)}
        </MessageBarTitle>
        {people.length > 0 ? `${list(people)} used ${unit}${usedOn(o)} that the pool did not have` : `Autodesk’s usage export shows pool use${usedOn(o)} that the pool did not have`}
        {exports.length > 0 ? `, imported from Autodesk’s usage export ${list(exports)}` : ''}. Record the missing purchase, or check usage outside Credit Desk.{' '}
        {props.onPurchases ? (
          <Link inline appearance="subtle" onClick={props.onPurchases}>
            Go to purchases
          </Link>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}
