import type { ImportView } from '../../contract/imports.js';
import { formatCredits, formatDay } from '../../ui/format.js';
import { Figure, FigureList } from './Figures.js';
import { DELIMITER_LABEL, ENCODING_LABEL, FORMAT_LABEL, describeFormatting } from './import-words.js';

/** What the importer found in the file: its format, how many rows of each kind, the total, dates and how it is written. */
export function ImportSummary({ view, unit }: { view: ImportView; unit: string }) {
  const { rows } = view;
  // Opening balances have no dates and no repeats (each person once): those figures would only puzzle.
  const opening = view.kind === 'opening_balances';
  const item = (term: string, value: string | number, testId?: string, wide?: boolean) => <Figure term={term} value={value} testId={testId} wide={wide} />;
  return (
    <FigureList label="What the file holds">
      {item('Format', view.format ? FORMAT_LABEL[view.format] : 'Not recognised', 'import-format', true)}
      {item('Rows', rows.total, 'rows-total')}
      {item('Valid', rows.valid, 'rows-valid')}
      {item('Refused', rows.refused, 'rows-refused')}
      {item('Unmatched people’s rows', rows.unmatched, 'rows-unmatched')}
      {item('Skipped', rows.skipped, 'rows-skipped')}
      {opening ? null : item('Repeated', rows.repeated, 'rows-repeated')}
      {item(opening ? `Own ${unit} used` : `Total ${unit}`, formatCredits(view.amount), 'import-amount')}
      {opening ? null : item('Dates', view.dateRange ? (view.dateRange.from === view.dateRange.to ? formatDay(view.dateRange.from) : `${formatDay(view.dateRange.from)} – ${formatDay(view.dateRange.to)}`) : '—', 'import-dates', true)}
      {item('Encoding', describeFormatting(view.encoding, ENCODING_LABEL), 'import-encoding')}
      {item('Separator', describeFormatting(view.delimiter, DELIMITER_LABEL), 'import-delimiter')}
    </FigureList>
  );
}
