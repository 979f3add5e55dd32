import * as echarts from "echarts";
import { CHART_FONT_FAMILY } from "../report/chart/svgDocument.js";
import type { RunBacktestReturnType } from "./runBacktest.js";

const WIDTH = 1100;
const HEIGHT = 560;
const COLORS: Record<string, string> = { daily: "#d62728", weekly: "#1f77b4", monthly: "#2ca02c", quarterly: "#9467bd" };

/** Server-side ECharts to SVG (no DOM), in the packaged font so resvg rasterises it the same everywhere. */
function renderSvg(option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({ animation: false, backgroundColor: "#ffffff", textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const label = (frequency: string, regimeOn: boolean): string => `${frequency}, regime ${regimeOn ? "on" : "off"}`;

function lineOption(title: string, result: RunBacktestReturnType, yName: string, lines: { name: string; data: number[]; color: string; dashed: boolean }[], bearShading: boolean): echarts.EChartsCoreOption {
  const bearAreas: [{ xAxis: string }, { xAxis: string }][] = [];
  if (bearShading) {
    let start: number | null = null;
    result.regimePath.forEach((state, i) => {
      if (state === "bear" && start === null) start = i;
      if ((state !== "bear" || i === result.regimePath.length - 1) && start !== null) {
        bearAreas.push([{ xAxis: result.dates[start]! }, { xAxis: result.dates[i]! }]);
        start = null;
      }
    });
  }
  return {
    title: { text: title, left: "center", top: 8, textStyle: { fontSize: 15 } },
    legend: { top: 40, itemGap: 22, textStyle: { fontSize: 11 } },
    grid: { left: 80, right: 30, top: 105, bottom: 40 },
    xAxis: { type: "category", data: result.dates, axisLabel: { fontSize: 11 } },
    yAxis: { type: "value", name: yName, nameLocation: "middle", nameGap: 50, scale: true, axisLabel: { fontSize: 11 } },
    series: lines.map((line, i) => ({
      type: "line",
      name: line.name,
      data: line.data.map((v) => Number(v.toFixed(6))),
      showSymbol: false,
      lineStyle: { width: line.dashed ? 1.2 : 1.6, type: line.dashed ? "dashed" : "solid", color: line.color },
      itemStyle: { color: line.color },
      ...(i === 0 && bearAreas.length > 0 ? { markArea: { silent: true, itemStyle: { color: "rgba(120,120,120,0.12)" }, data: bearAreas } } : {}),
    })),
  };
}

/** NAV per share of every frequency x regime portfolio and the theoretical index; bear periods shaded. */
export function navChartSvg(result: RunBacktestReturnType, title: string): string {
  const lines = result.portfolios.map((p) => ({ name: label(p.frequency, p.regimeOn), data: p.series.map((s) => s.navPerShare), color: COLORS[p.frequency]!, dashed: !p.regimeOn }));
  lines.push({ name: "theoretical (daily, zero cost)", data: result.theoretical.map((v) => v / result.theoretical[0]!), color: "#333333", dashed: true });
  return renderSvg(lineOption(title, result, "NAV per share", lines, true));
}

/** Drawdown from the running peak, in %, of every portfolio. */
export function drawdownChartSvg(result: RunBacktestReturnType, title: string): string {
  const drawdown = (values: readonly number[]): number[] => {
    let peak = -Infinity;
    return values.map((v) => {
      peak = Math.max(peak, v);
      return (v / peak - 1) * 100;
    });
  };
  const lines = result.portfolios.map((p) => ({ name: label(p.frequency, p.regimeOn), data: drawdown(p.series.map((s) => s.navPerShare)), color: COLORS[p.frequency]!, dashed: !p.regimeOn }));
  return renderSvg(lineOption(title, result, "drawdown %", lines, true));
}
