import type { EChartsCoreOption } from "echarts/core";

export interface ChartLine {
  name: string;
  /** [time in ms, value], oldest first. */
  points: readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
  width?: number;
}

export interface TimeSeriesChartOptionParameters {
  lines: readonly ChartLine[];
  yName: string;
  /** [from, to] in ms, shaded. */
  bearPeriods?: readonly (readonly [number, number])[];
  /** Times of the rebalances in ms, marked by dashed vertical lines. */
  rebalancesMs?: readonly number[];
  /** Drawn inside the chart (the reports' PNGs carry their own title; the app titles its charts in the page). */
  title?: string;
  /** The chart's width in px: how many legend rows to leave room for. */
  widthPx?: number;
}

/** Lines without a colour of their own take these in order: the vault's NAV first, then its benchmarks. */
const LINE_PALETTE = ["#1f6feb", "#e3892c", "#8a8a8a", "#2da44e", "#8250df", "#1b7c83", "#bf8700", "#d1478f"];
const BEAR_SHADE = "rgba(207,34,46,0.14)";
const REBALANCE_LINE = "#8c8c8c";
const DAY_MS = 86_400_000;
const LEGEND_GAP_PX = 24;
const LEGEND_ITEM_HEIGHT_PX = 12;
const LEGEND_FONT_PX = 12;
/** ECharts puts the rows of a wrapped legend an item and a gap apart. */
const LEGEND_ROW_PX = LEGEND_ITEM_HEIGHT_PX + LEGEND_GAP_PX;

/**
 * Rows the legend wraps into at `widthPx`, each item's width taken at 0.65 em a character (wider than the
 * average of DejaVu Sans, the reports' font, and of the browser's sans-serif) plus its swatch: at least as many rows
 * as ECharts draws, so the plot starts below them.
 */
function legendRows(names: readonly string[], widthPx: number): number {
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const item = 30 + name.length * LEGEND_FONT_PX * 0.65 + LEGEND_GAP_PX;
    if (used > 0 && used + item > widthPx) {
      rows++;
      used = 0;
    }
    used += item;
  }
  return rows;
}

/**
 * Lines over time with bear periods shaded and rebalances marked: the NAV and drawdown charts of the app, the
 * season report and the backtest report. Times are read in UTC, so a chart looks the same in every time zone (and
 * its server-side PNG is the same on every machine).
 */
export function timeSeriesChartOption({ lines, yName, bearPeriods = [], rebalancesMs = [], title, widthPx = 800 }: TimeSeriesChartOptionParameters): EChartsCoreOption {
  const legend = lines.length > 1;
  // The legend gets 90 % of the width (ECharts wraps it there), so text wider than ECharts measured stays inside.
  const legendWidthPx = widthPx * 0.9;
  const notes = [bearPeriods.length > 0 ? "shaded: bear regime" : null, rebalancesMs.length > 0 ? "dashed verticals: rebalances" : null].filter((n) => n !== null);
  const legendTop = title === undefined ? 0 : 62;
  const top = (legend ? legendTop + legendRows(lines.map((l) => l.name), legendWidthPx) * LEGEND_ROW_PX + 16 : title === undefined ? 20 : 70);
  return {
    animation: false,
    useUTC: true,
    color: LINE_PALETTE,
    ...(title === undefined ? {} : { title: { text: title, subtext: notes.join("; "), left: "center", top: 8, textStyle: { fontSize: 18 } } }),
    ...(legend ? { legend: { top: legendTop, left: "center", width: legendWidthPx, itemGap: LEGEND_GAP_PX, itemHeight: LEGEND_ITEM_HEIGHT_PX, textStyle: { fontSize: LEGEND_FONT_PX } } } : {}),
    tooltip: { trigger: "axis" },
    grid: { left: 70, right: 30, top, bottom: 40 },
    // Daily data: no tick between two days, whose label would repeat the date.
    xAxis: { type: "time", minInterval: DAY_MS, axisLabel: { formatter: "{yyyy}-{MM}-{dd}", hideOverlap: true } },
    yAxis: { type: "value", scale: true, name: yName, nameLocation: "middle", nameGap: 50 },
    series: lines.map((line, i) => ({
      type: "line",
      name: line.name,
      showSymbol: false,
      data: line.points.map(([time, value]) => [time, value]),
      lineStyle: { width: line.width ?? 2, type: line.dashed ? "dashed" : "solid", ...(line.color === undefined ? {} : { color: line.color }) },
      ...(line.color === undefined ? {} : { itemStyle: { color: line.color } }),
      // The shading and the marks hang on the first line only, so they are drawn once.
      ...(i === 0 && bearPeriods.length > 0
        ? { markArea: { silent: true, itemStyle: { color: BEAR_SHADE }, data: bearPeriods.map(([from, to]) => [{ xAxis: from }, { xAxis: to }]) } }
        : {}),
      ...(i === 0 && rebalancesMs.length > 0
        ? {
            markLine: {
              silent: true,
              symbol: "none",
              label: { show: false },
              lineStyle: { color: REBALANCE_LINE, type: "dashed", width: 1 },
              data: rebalancesMs.map((time) => ({ xAxis: time })),
            },
          }
        : {}),
    })),
  };
}
