import type { EChartsCoreOption } from "echarts/core";
import { LegendComponent, TitleComponent } from "echarts/components";
import { echarts } from "../../charts/echarts.js";
import { CHART_FONT_FAMILY } from "./renderPng.js";

/**
 * Text width in DejaVu Sans, which resvg draws the text in: without a DOM, ECharts would measure with an Arial-like
 * table about 12 % narrower, and legend items and tile labels laid out by it would overlap once rasterised. Advance
 * widths in em, by class of character (DejaVu Sans: digits 0.636, lower case about 0.61, narrow letters and
 * punctuation about 0.3, wide capitals about 0.8); bold is about 10 % wider.
 */
function measureDejaVu(text: string, font = "12px sans-serif"): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  let em = 0;
  for (const c of text) {
    if (/[ il.,:;'|!ijtfrI()[\]]/.test(c)) em += 0.32;
    else if (/[mwMW@%]/.test(c)) em += 0.92;
    else if (/[A-Z]/.test(c)) em += 0.72;
    else em += 0.62;
  }
  return { width: em * size * (/bold|[6-9]00/.test(font) ? 1.1 : 1) };
}
echarts.setPlatformAPI({ measureText: measureDejaVu });
// The PNGs carry their title and legend; the app titles its charts in the page and draws no legend.
echarts.use([TitleComponent, LegendComponent]);

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
