import type { VerticalStackedChartProps } from '@fluentui/react-charts';
import { DataVizPalette, VerticalStackedBarChart, getColorFromToken } from '@fluentui/react-charts';
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ChargebackGroup } from '../../contract/schemas.js';
import { formatCredits } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { ChartBoundary } from '../pool/ChartBoundary.js';

/** More bars than this do not fit a Teams tab; the table below has every group. */
export const MAX_BARS = 15;

const useStyles = makeStyles({
  chart: { width: '100%', minWidth: 0, overflow: 'hidden' },
  note: { color: tokens.colorNeutralForeground3 },
});

/** Own credits and pool draws per group, stacked, largest groups first. */
export function ChargebackChart({ groups, unit }: { groups: readonly ChargebackGroup[]; unit: string }) {
  const styles = useStyles();
  const { theme } = useApp();
  // The stacked bar chart paints palette tokens black: give it the colours themselves.
  const [ownColor, poolColor] = [DataVizPalette.color1, DataVizPalette.color2].map((token) => getColorFromToken(token, theme === 'dark'));
  const shown = groups.slice(0, MAX_BARS);
  const data: VerticalStackedChartProps[] = shown.map((g) => ({
    xAxisPoint: g.label,
    chartData: [
      { legend: `Own ${unit}`, data: g.own, color: ownColor },
      { legend: `Pool ${unit}`, data: g.pool, color: poolColor },
    ],
  }));
  return (
    <>
      <div className={styles.chart}>
        <ChartBoundary>
          <VerticalStackedBarChart
            data={data}
            chartTitle={`Own and pool ${unit} by group`}
            height={280}
            yAxisTitle={unit}
            yMinValue={0}
            barWidth="auto"
            maxBarWidth={48}
            wrapXAxisLables
          />
        </ChartBoundary>
      </div>
      <Text size={200} className={styles.note}>
        {groups.length > MAX_BARS ? `The ${MAX_BARS} largest of ${groups.length} groups. ` : null}
        {shown.map((g) => `${g.label}: ${formatCredits(g.own)} own, ${formatCredits(g.pool)} pool`).join('; ')}.
      </Text>
    </>
  );
}
