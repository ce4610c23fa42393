import * as echarts from 'echarts';
import type { SoakResults } from './soak-results';

const WIDTH = 900;
const HEIGHT = 480;

type LineSeries = { name: string; data: (number | null)[] };

/** A line chart rendered to SVG on the server (ECharts' SSR mode, no DOM). */
function lineChartSvg(title: string, categories: string[], yName: string, series: LineSeries[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      title: { text: title, left: 'center', top: 8, textStyle: { fontSize: 14 } },
      legend: { top: 38 },
      grid: { left: 70, right: 30, top: 80, bottom: 50 },
      xAxis: { type: 'category', data: categories, name: 'minute', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameGap: 50, min: 0 },
      series: series.map(({ name, data }) => ({ type: 'line', name, data, symbolSize: 6 })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const orNull = (value: number) => (Number.isFinite(value) ? Math.round(value) : null);

/** p50 and p99 of file lands → image.classified, per minute of the run. */
export function latencyChartSvg(results: SoakResults): string {
  return lineChartSvg(
    `File lands → verdict at ${results.options.rate} images/s`,
    results.latency.map((row) => String(row.minute)),
    'ms',
    [
      { name: 'p50', data: results.latency.map((row) => orNull(row.p50Ms)) },
      { name: 'p99', data: results.latency.map((row) => orNull(row.p99Ms)) },
    ],
  );
}

/** Each service's resident memory at each sample (before, after every minute, after the drain). */
export function memoryChartSvg(results: SoakResults): string {
  return lineChartSvg(
    'Resident memory (VmRSS) per service',
    results.samples.map((sample) => sample.at.replace('minute ', '')),
    'MiB',
    results.services.map((service) => ({
      name: service,
      data: results.samples.map((sample) => {
        const bytes = sample.rssBytes[service];
        return bytes === undefined ? null : orNull(bytes / 2 ** 20);
      }),
    })),
  );
}
