import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { type ChartData, valueRange } from '../metric-charts.js';

/** Line colours by series position, distinguishable on light and dark backgrounds. */
const COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

/** Props of `TimeSeriesChart`. */
export interface TimeSeriesChartProps {
  title: string;
  data: ChartData;
  format: (value: number) => string;
  /** Step lines (weights that hold until the next change) instead of straight ones. */
  stepped?: boolean;
  /** Values are shares from 0 to 1. */
  share?: boolean;
  height?: number;
}

function aligned(data: ChartData): uPlot.AlignedData {
  return [data.times, ...data.series.map((series) => series.values)];
}

/**
 * A uPlot time-series chart, one line per series, as wide as its container (it follows resizes). The
 * figure's label gives the latest value of each series, for screen readers and tests.
 */
export function TimeSeriesChart({ title, data, format, stepped, share, height = 220 }: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | undefined>(undefined);
  const dataRef = useRef(data);
  dataRef.current = data;
  const names = data.series.map((series) => series.variant).join('\u0000');

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const paths = stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined;
    const chart = new uPlot(
      {
        width: Math.max(container.clientWidth, 200),
        height,
        scales: {
          x: { time: true },
          y: { range: (_chart, _min, max) => valueRange(max, share === true) },
        },
        series: [
          {},
          ...dataRef.current.series.map((series, index) => ({
            label: series.variant,
            stroke: COLORS[index % COLORS.length],
            width: 2,
            // Points too, so a lone bucket between empty ones still shows.
            ...(paths ? { paths } : { points: { show: true, size: 4 } }),
            value: (_chart: uPlot, value: number | null) => (value === null ? '—' : format(value)),
          })),
        ],
        axes: [{}, { size: 72, values: (_chart, splits) => splits.map((value) => format(value)) }],
      },
      aligned(dataRef.current),
      container,
    );
    chartRef.current = chart;
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(container.clientWidth, 200), height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      chart.destroy();
      chartRef.current = undefined;
    };
  }, [names, stepped, share, height]);

  useEffect(() => {
    chartRef.current?.setData(aligned(data));
  }, [data]);

  const latest = data.series
    .map((series) => {
      const value = series.values.findLast((entry) => entry !== null);
      return `${series.variant} ${value === undefined || value === null ? 'no data' : format(value)}`;
    })
    .join(', ');
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={containerRef} class="chart-canvas" role="img" aria-label={`${title}, latest: ${latest}`} />
    </figure>
  );
}
