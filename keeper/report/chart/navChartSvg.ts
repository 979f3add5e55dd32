import { formatDate } from "../../core/index.js";
import type { SeriesPoint } from "../types.js";
import { niceTicks } from "./niceTicks.js";
import { SvgDocument } from "./svgDocument.js";

export interface NavChartSvgParameters {
  series: readonly SeriesPoint[];
  title: string;
  /** The name of the BTC-like token in the legend. */
  btcLabel?: string;
  width?: number;
  height?: number;
}

const COLORS = { nav: "#1f6feb", buyAndHold: "#e3892c", btc: "#8a8a8a", bear: "#f6d5d5", grid: "#e6e6e6", axis: "#444444" };

/**
 * NAV per share against a buy-and-hold of the initial basket and the BTC-like token, all starting at 1.0, with
 * bear-regime days shaded, as an SVG document.
 */
export function navChartSvg({ series, title, btcLabel = "BTC-like token", width = 1200, height = 600 }: NavChartSvgParameters): string {
  const svg = new SvgDocument(width, height);
  const plot = { left: 80, right: width - 30, top: 60, bottom: height - 80 };
  svg.text(width / 2, 32, title, { "font-size": 20, "font-weight": "bold", "text-anchor": "middle" });

  if (series.length === 0) {
    svg.text(width / 2, height / 2, "No data", { "font-size": 16, "text-anchor": "middle", fill: "#888888" });
    return svg.toString();
  }

  const values = series.flatMap((p) => [p.navPerShare, p.buyAndHold, p.btc]).filter(Number.isFinite);
  const yTicks = niceTicks(Math.min(...values), Math.max(...values), 6);
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  // Each day owns a slot of equal width, so a one-day bear period still shows as a band.
  const slot = (plot.right - plot.left) / series.length;
  const x = (index: number) => plot.left + slot * (index + 0.5);
  const y = (value: number) => plot.bottom - ((value - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

  for (const [from, to] of bearRuns(series)) {
    svg.rect(plot.left + slot * from, plot.top, slot * (to - from + 1), plot.bottom - plot.top, { fill: COLORS.bear });
  }

  for (const tick of yTicks) {
    svg.line(plot.left, y(tick), plot.right, y(tick), { stroke: COLORS.grid, "stroke-width": 1 });
    svg.text(plot.left - 8, y(tick), tick.toFixed(decimalsFor(yTicks)), { "text-anchor": "end", "dominant-baseline": "middle", "font-size": 12 });
  }
  svg.line(plot.left, y(1), plot.right, y(1), { stroke: "#b0b0b0", "stroke-width": 1, "stroke-dasharray": "4 4" });

  for (const index of dateTickIndices(series.length, 8)) {
    svg.line(x(index), plot.bottom, x(index), plot.bottom + 5, { stroke: COLORS.axis });
    svg.text(x(index), plot.bottom + 20, formatDate(series[index].date).slice(0, 10), { "text-anchor": "middle", "font-size": 12 });
  }
  svg.line(plot.left, plot.top, plot.left, plot.bottom, { stroke: COLORS.axis });
  svg.line(plot.left, plot.bottom, plot.right, plot.bottom, { stroke: COLORS.axis });
  svg.text(20, (plot.top + plot.bottom) / 2, "Value (start = 1.0)", {
    "text-anchor": "middle",
    "font-size": 13,
    transform: `rotate(-90 20 ${(plot.top + plot.bottom) / 2})`,
  });
  svg.text((plot.left + plot.right) / 2, plot.bottom + 45, "Date", { "text-anchor": "middle", "font-size": 13 });

  const lines = [
    { key: "btc", label: btcLabel, color: COLORS.btc, width: 1.5 },
    { key: "buyAndHold", label: "Buy-and-hold of initial basket", color: COLORS.buyAndHold, width: 2 },
    { key: "navPerShare", label: "Vault NAV per share", color: COLORS.nav, width: 2.5 },
  ] as const;
  svg.clipRect("plot", plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
  for (const line of lines) {
    const points = series.map((p, i) => [x(i), y(p[line.key])] as const);
    svg.polyline(points, { stroke: line.color, "stroke-width": line.width, "stroke-linejoin": "round", "clip-path": "url(#plot)" });
  }

  const legend = [...lines].reverse().map((l) => ({ label: l.label, color: l.color, swatch: "line" as const }));
  legend.push({ label: "Bear regime", color: COLORS.bear, swatch: "line" as const });
  let legendX = plot.left + 10;
  const legendY = height - 22;
  for (const [i, item] of legend.entries()) {
    if (i === legend.length - 1) svg.rect(legendX, legendY - 7, 24, 14, { fill: item.color, stroke: "#d9a5a5" });
    else svg.line(legendX, legendY, legendX + 24, legendY, { stroke: item.color, "stroke-width": 3 });
    svg.text(legendX + 30, legendY, item.label, { "dominant-baseline": "middle", "font-size": 13 });
    legendX += 30 + item.label.length * 7.5 + 28;
  }
  return svg.toString();
}

/** Inclusive index ranges of consecutive bear days. */
function bearRuns(series: readonly SeriesPoint[]): [number, number][] {
  const runs: [number, number][] = [];
  series.forEach((point, i) => {
    if (point.regime !== "bear") return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  return runs;
}

/** About `count` evenly spaced indices from the first to the last point. */
function dateTickIndices(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const step = Math.ceil((length - 1) / (count - 1));
  const indices: number[] = [];
  for (let i = 0; i < length; i += step) indices.push(i);
  return indices;
}

/** Enough decimals that neighbouring tick labels differ. */
function decimalsFor(ticks: readonly number[]): number {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  return Math.max(1, Math.min(6, -Math.floor(Math.log10(step))));
}
