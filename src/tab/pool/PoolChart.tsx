import { DataVizPalette, LineChart } from '@fluentui/react-charts';
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCredits, formatDay } from '../../ui/format.js';
import { ChartBoundary } from './ChartBoundary.js';
import type { PoolPoint } from './series.js';

const useStyles = makeStyles({
  chart: { width: '100%', minWidth: 0, overflow: 'hidden' },
  summary: { color: tokens.colorNeutralForeground3 },
});

/** The pool balance as a line over time, with the same story in words for screen readers and small screens. */
export function PoolChart({ points, unit }: { points: PoolPoint[]; unit: string }) {
  const styles = useStyles();
  const first = points[0];
  const last = points.at(-1);
  const low = points.reduce((min, p) => Math.min(min, p.y), Number.POSITIVE_INFINITY);
  return (
    <>
      <div className={styles.chart}>
        <ChartBoundary>
          <LineChart
            data={{
              chartTitle: 'Pool balance over time',
              lineChartData: [{ legend: 'Pool balance', data: points, color: DataVizPalette.color1 }],
            }}
            height={260}
            hideLegend
            yAxisTitle={unit}
            yMinValue={0}
          />
        </ChartBoundary>
      </div>
      {first && last ? (
        <Text size={200} className={styles.summary}>
          From {formatCredits(first.y)} on {formatDay(first.x.toISOString())} to {formatCredits(last.y)} on {formatDay(last.x.toISOString())}; lowest{' '}
          {formatCredits(low)}.
        </Text>
      ) : null}
    </>
  );
}
