import type { EChartsCoreOption } from "echarts/core";
import { echarts } from "../../charts/echarts.js";
import { CHART_FONT_FAMILY } from "./renderPng.js";

/**
 * One of the shared chart options (keeper/charts) as an SVG document, by ECharts' server-side rendering: no DOM and
 * no canvas, text in the packaged font, so renderPng rasterises it to the same bytes on every machine.
 */
export function renderChartSvg(option: EChartsCoreOption, { width, height }: { width: number; height: number }): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ backgroundColor: "#ffffff", textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    // An instance left alive keeps its animation timer, and with it the process.
    chart.dispose();
  }
}
