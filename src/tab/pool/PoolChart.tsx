import type { LineChartPoints } from '@fluentui/react-charts';
import { DataVizPalette, LineChart, getColorFromToken } from '@fluentui/react-charts';
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCredits, formatDay } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { ChartBoundary } from './ChartBoundary.js';
import type { ForecastSeries, PoolForecast } from './series.js';
import { dayPoint } from './series.js';

const useStyles = makeStyles({
  chart: { width: '100%', minWidth: 0, overflow: 'hidden' },
  summary: { color: tokens.colorNeutralForeground3 },
  legend: { display: 'flex', flexWrap: 'wrap', gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, listStyle: 'none', margin: 0, padding: 0 },
  legendItem: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** Each line once: its legend, colour and dash pattern (the chart's own legend shows colours only). */
const LINES = {
  history: { legend: 'Pool balance', color: DataVizPalette.color1, lineOptions: { strokeWidth: 3 } },
  expected: { legend: 'Expected', color: DataVizPalette.color2, lineOptions: { strokeDasharray: '8 4', strokeWidth: 2 } },
  low: { legend: 'Heavy demand', color: DataVizPalette.color3, lineOptions: { strokeDasharray: '2 4', strokeWidth: 2 } },
  high: { legend: 'Light demand', color: DataVizPalette.color4, lineOptions: { strokeDasharray: '2 4', strokeWidth: 2 } },
} as const;

const day = (x: Date) => formatDay(x.toISOString());
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The forecast's own dates, so the words under the chart name the same days as the figures above it. */
export type ChartDates = Pick<PoolForecast, 'zeroDate' | 'zeroDateEarliest' | 'incoming'> & Partial<Pick<PoolForecast, 'overdraft'>>;

/**
 * The chart in words: where the balance came from (just today's figure when the history is one day), when
 * the pool runs out (the forecast's run-out date, the one the page's headline shows) or where it is expected
 * to end, with the band only when heavy and light demand end apart, and the purchases that land on the way.
 * Overdrawn, the pool has run out already: the words say by how much, and when purchases bring it back.
 */
function chartSummary(series: ForecastSeries, projected: boolean, unit: string, dates: ChartDates | undefined): string {
  const first = series.history[0];
  const now = series.history.at(-1) ?? series.expected[0];
  const [end, low, high] = [series.expected.at(-1), series.low.at(-1), series.high.at(-1)];
  const overdraft = dates?.overdraft;
  const today = overdraft ? `overdrawn by ${formatCredits(overdraft.credits)} ${unit} today` : `${formatCredits(now?.y ?? 0)} today`;
  const past = !first || !now ? '' : day(first.x) === day(now.x) ? `${upperFirst(today)}. ` : `From ${formatCredits(first.y)} on ${day(first.x)} to ${today}. `;
  if (!projected || !end || !low || !high) return past;
  const landing = (dates?.incoming ?? []).filter((p) => dayPoint(p.expectedDate) <= end.x);
  const steps = landing.length ? ` Purchases land ${landing.map((p) => `${formatCredits(p.credits)} ${unit} on ${formatDay(p.expectedDate)}`).join(', ')}.` : '';
  if (overdraft) return `${past}${overdraft.coveredOn ? `Expected back above zero on ${formatDay(overdraft.coveredOn)}.` : 'Not expected back above zero without a new purchase.'}${steps}`;
  if (dates?.zeroDate) {
    const earliest = dates.zeroDateEarliest && dates.zeroDateEarliest !== dates.zeroDate ? `, as early as ${formatDay(dates.zeroDateEarliest)} with heavy demand` : '';
    return `${past}Expected to run out on ${formatDay(dates.zeroDate)}${earliest}.${steps}`;
  }
  const band =
    low.y === high.y ? ', with heavy or light demand alike.' : `, between ${formatCredits(low.y)} with heavy demand and ${formatCredits(high.y)} with light demand.`;
  return `${past}Expected ${formatCredits(end.y)} on ${day(end.x)}${band}${steps}`;
}

/**
 * The pool balance day by day, then the forecast: the expected line and its band (heavy and light demand) as
 * dashed lines (stepping up on the days purchases land), and the order-by date marked. The same story in words below, for screen readers and small screens.
 */
export function PoolChart({ series, unit, orderByDate, dates }: { series: ForecastSeries; unit: string; orderByDate?: string | null | undefined; dates?: ChartDates }) {
  const styles = useStyles();
  const { theme } = useApp();
  const projected = series.expected.length > 1;
  // Lines of one point are left out: the chart library renders them without a React key (a console error),
  // and a history of today alone is the projection's first point anyway.
  const shown = (projected ? (['history', 'expected', 'low', 'high'] as const) : (['history'] as const)).filter((key) => series[key].length > 1);
  const lines: LineChartPoints[] = shown.map((key) => ({ ...LINES[key], data: series[key], ...(key === 'history' ? {} : { hideNonActiveDots: true }) }));
  const first = series.history[0];
  const now = series.history.at(-1) ?? series.expected[0];
  const end = series.expected.at(-1);
  const orderBy = orderByDate ? dayPoint(orderByDate) : undefined;
  const start = first?.x ?? now?.x;
  const showOrderBy = orderBy && start && end && orderBy >= start && orderBy <= end.x;
  return (
    <>
      {lines.length > 0 ? (
        <div className={styles.chart}>
          <ChartBoundary>
            <LineChart
              data={{ chartTitle: projected ? 'Pool balance and forecast' : 'Pool balance', lineChartData: lines }}
              height={280}
              hideLegend
              yAxisTitle={unit}
              yMinValue={0}
              {...(showOrderBy
                ? {
                    eventAnnotationProps: {
                      events: [{ date: orderBy, event: 'Order by' }],
                      strokeColor: tokens.colorPaletteRedBorder2,
                      labelColor: tokens.colorNeutralForeground1,
                      labelWidth: 72,
                      labelHeight: 20,
                      mergedLabel: (count: number) => `${count} events`,
                    },
                  }
                : {})}
            />
          </ChartBoundary>
        </div>
      ) : null}
      {projected && lines.length > 0 ? (
        <ul className={styles.legend} aria-label="Lines of the chart">
          {shown.map((key) => (
            <li key={key} className={styles.legendItem}>
              <svg width="28" height="8" aria-hidden="true">
                <line x1="1" y1="4" x2="27" y2="4" stroke={getColorFromToken(LINES[key].color, theme === 'dark')} strokeWidth={LINES[key].lineOptions.strokeWidth} strokeDasharray={'strokeDasharray' in LINES[key].lineOptions ? LINES[key].lineOptions.strokeDasharray : undefined} />
              </svg>
              <Text size={200}>{LINES[key].legend}</Text>
            </li>
          ))}
        </ul>
      ) : null}
      <Text size={200} className={styles.summary}>
        {chartSummary(series, projected, unit, dates)}
      </Text>
    </>
  );
}
