import { expect } from "chai";
import { describe, it } from "mocha";
import type { EChartsCoreOption } from "echarts/core";
import { bearPeriods, drawdownChartOption, holdingsTreemapOption, regimeGaugeOption, timeSeriesChartOption } from "../../../keeper/charts/index.js";
import { renderChartSvg } from "../../../keeper/report/chart/renderChartSvg.js";
import { renderPng } from "../../../keeper/report/chart/renderPng.js";

const SIZE = { width: 800, height: 400 };
const day = (i: number) => Date.UTC(2025, 0, 6 + i);
const nav = [1, 1.02, 1.05, 1.01, 0.97, 0.96, 0.96, 0.961, 0.962, 0.962, 0.99, 1.03, 1.06, 1.08];
const btc = [1, 1.01, 1.04, 1.02, 0.95, 0.9, 0.88, 0.87, 0.9, 0.93, 0.97, 1.0, 1.04, 1.07];
const regimes = nav.map((_, i) => (i >= 4 && i <= 9 ? "bear" : "bull"));
const lines = [
  { name: "NAV per share", points: nav.map((v, i) => [day(i), v] as const), color: "#1f6feb" },
  { name: "BTC", points: btc.map((v, i) => [day(i), v] as const), color: "#8a8a8a" },
];
const periods = bearPeriods(nav.map((_, i) => day(i)), regimes);
const rebalances = [day(0), day(4), day(7), day(10)];

/** Segments of the longest path stroked in `color`: a line's points minus one (a legend swatch has one). */
function lineSegments(svg: string, color: string): number {
  const paths = [...svg.matchAll(/<path d="([^"]+)"[^>]*stroke="([^"]+)"/g)].filter((m) => m[2] === color);
  return Math.max(0, ...paths.map((m) => (m[1]!.match(/L/g) ?? []).length));
}
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe("#bearPeriods", () => {
  it("spans each bear run from its first day to the day the regime switched back, or to the last day", () => {
    expect(bearPeriods([1, 2, 3, 4, 5, 6], ["bull", "bear", "bear", "bull", "bear", "bear"])).to.deep.equal([
      [2, 4],
      [5, 6],
    ]);
    expect(bearPeriods([1, 2], ["bull", "bull"])).to.deep.equal([]);
  });
});

describe("#renderChartSvg (the shared chart options rendered server-side)", () => {
  const charts: [string, EChartsCoreOption][] = [
    ["NAV", timeSeriesChartOption({ title: "NAV per share", yName: "Value", lines, bearPeriods: periods, rebalancesMs: rebalances })],
    ["drawdown", drawdownChartOption({ title: "Drawdown", lines, bearPeriods: periods })],
    ["treemap", holdingsTreemapOption({ title: "Holdings", holdings: [{ symbol: "WBTC", value: 540_000 }, { symbol: "SOL", value: 367_400 }, { symbol: "USDC", value: 120_000 }], cashSymbol: "USDC" })],
    ["gauge", regimeGaugeOption({ distanceBps: 730, bandBps: 250 })],
  ];

  for (const [name, option] of charts) {
    it(`rasterises the ${name} chart to the same PNG bytes twice`, async () => {
      const [first, second] = [await renderPng(renderChartSvg(option, SIZE)), await renderPng(renderChartSvg(option, SIZE))];
      expect(first.subarray(1, 4).toString()).to.equal("PNG");
      expect(first.readUInt32BE(16)).to.equal(SIZE.width);
      expect(first.equals(second)).to.equal(true);
    });
  }

  it("draws every point of every line, one shaded band per bear period and one mark per rebalance", () => {
    const svg = renderChartSvg(charts[0]![1], SIZE);
    expect(lineSegments(svg, "#1f6feb")).to.equal(nav.length - 1);
    expect(lineSegments(svg, "#8a8a8a")).to.equal(btc.length - 1);
    expect(periods).to.have.length(1);
    expect(svg.match(/<polygon[^>]*fill="rgb\(207,34,46\)"/g)).to.have.length(periods.length);
    expect(svg.match(/<path[^>]*stroke="#8c8c8c" stroke-dasharray/g)).to.have.length(rebalances.length);
    expect(texts(svg)).to.include.members(["NAV per share", "BTC", "2025-01-07", "2025-01-19"]);
  });

  it("draws drawdowns at or below zero, down to the deepest fall", () => {
    const svg = renderChartSvg(charts[1]![1], SIZE);
    expect(lineSegments(svg, "#1f6feb")).to.equal(nav.length - 1);
    const ticks = texts(svg).filter((t) => /^-?\d+(\.\d+)?$/.test(t)).map(Number);
    // BTC falls 1.04 -> 0.87: -16.3 %, so the axis reaches below -16 and not above 0.
    expect(Math.min(...ticks)).to.be.at.most(-16);
    expect(Math.max(...ticks)).to.equal(0);
  });

  it("labels each holding's tile with its symbol, weight and value, and groups the tail past `tiles`", () => {
    const svg = renderChartSvg(charts[2]![1], SIZE);
    expect(texts(svg)).to.include.members(["WBTC", "52.6%", "$540,000", "SOL", "USDC", "11.7%"]);
    const grouped = renderChartSvg(holdingsTreemapOption({ holdings: ["A", "B", "C", "D", "E"].map((symbol, i) => ({ symbol, value: 10 - i })), tiles: 2 }), SIZE);
    expect(texts(grouped)).to.include.members(["A", "B", "3 others"]);
    expect(texts(grouped)).not.to.include("C");
  });

  it("points the gauge at the trend distance", () => {
    expect(texts(renderChartSvg(charts[3]![1], SIZE))).to.include("+7.3%");
  });
});
