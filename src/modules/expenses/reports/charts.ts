import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Reports as SVG, drawn by Vega-Lite (compiled to Vega, rendered headless to SVG: no browser, no
 * JavaScript needed to read it). Every chart has a title naming the report, currency and period,
 * titled axes, a legend naming each series, and Vega's ARIA labels on its marks.
 */

export interface ChartData {
  title: string;
  subtitle: string;
  currency: string;
  rows: Array<Record<string, string | number | null>>;
}

const WIDTH = 640;
const HEIGHT = 320;

function base(chart: ChartData) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: chart.title, subtitle: chart.subtitle },
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values: chart.rows },
    config: { font: 'sans-serif' },
  } as const;
}

/** Horizontal bars, one per category. */
export function barsByCategory(chart: ChartData): TopLevelSpec {
  return {
    ...base(chart),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: 'Category' },
      x: { field: 'value', type: 'quantitative', title: chart.currency },
      color: { field: 'series', type: 'nominal', title: 'Series' },
    },
  };
}

/** Bars per month (or per `xTitle`), side by side per series (income, expense …). */
export function groupedBarsByMonth(chart: ChartData, xTitle = 'Month'): TopLevelSpec {
  return {
    ...base(chart),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: xTitle },
      xOffset: { field: 'series', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: chart.currency },
      color: { field: 'series', type: 'nominal', title: 'Series' },
    },
  };
}

/** One line per series over the months. */
export function linesByMonth(chart: ChartData): TopLevelSpec {
  return {
    ...base(chart),
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: 'Month' },
      y: { field: 'value', type: 'quantitative', title: chart.currency },
      color: { field: 'series', type: 'nominal', title: 'Series' },
    },
  };
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
