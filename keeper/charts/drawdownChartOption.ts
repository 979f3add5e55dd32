import type { EChartsCoreOption } from "echarts/core";
import { timeSeriesChartOption, type TimeSeriesChartOptionParameters } from "./timeSeriesChartOption.js";

/** The lines' fall from their running peak, in %, with the same shading and marks as their NAV chart. */
export function drawdownChartOption({ lines, ...rest }: Omit<TimeSeriesChartOptionParameters, "yName">): EChartsCoreOption {
  return timeSeriesChartOption({
    ...rest,
    yName: "Drawdown from peak (%)",
    lines: lines.map((line) => {
      let peak = -Infinity;
      return {
        ...line,
        points: line.points.map(([time, value]) => {
          peak = Math.max(peak, value);
          return [time, (value / peak - 1) * 100] as const;
        }),
      };
    }),
  });
}
