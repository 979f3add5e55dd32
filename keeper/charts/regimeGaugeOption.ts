import type { EChartsCoreOption } from "echarts/core";
import { formatSignedPercent } from "../core/format/numbers.js";

/** The gauge's range of trend distance, in bps either side of the moving average. */
const RANGE_BPS = 2_000;

/**
 * The regime model's trend distance (market cap against its moving average, in bps) on a dial whose red and
 * green ends are the bear and bull conditions and whose grey middle is the volatility-scaled dead band (`bandBps`).
 */
export function regimeGaugeOption({ distanceBps, bandBps }: { distanceBps: number; bandBps: number }): EChartsCoreOption {
  const at = (bps: number) => (bps + RANGE_BPS) / (2 * RANGE_BPS);
  return {
    animation: false,
    series: [
      {
        type: "gauge",
        min: -RANGE_BPS / 100,
        max: RANGE_BPS / 100,
        startAngle: 200,
        endAngle: -20,
        axisLine: { lineStyle: { width: 18, color: [[at(-bandBps), "#b3261e"], [at(bandBps), "#9e9e9e"], [1, "#1b7f3b"]] } },
        axisTick: { show: false },
        splitLine: { length: 8 },
        axisLabel: { distance: 22, formatter: (v: number) => `${v}%` },
        pointer: { width: 5 },
        detail: { formatter: (v: number) => formatSignedPercent(v / 100, 1), fontSize: 18, offsetCenter: [0, "60%"] },
        data: [{ value: Math.max(-RANGE_BPS, Math.min(RANGE_BPS, distanceBps)) / 100, name: "trend vs average" }],
      },
    ],
  };
}
