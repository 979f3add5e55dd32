// The charts the web app and the reports draw, as ECharts options: the app renders them in the page, the reports
// render the same options server-side to SVG and rasterise them (keeper/report/chart). Browser-safe: no Node module.
export { bearPeriods } from "./bearPeriods.js";
export { drawdownChartOption } from "./drawdownChartOption.js";
export { holdingsTreemapOption, type HoldingsTreemapOptionParameters } from "./holdingsTreemapOption.js";
export { regimeGaugeOption } from "./regimeGaugeOption.js";
export { timeSeriesChartOption, type ChartLine, type TimeSeriesChartOptionParameters } from "./timeSeriesChartOption.js";
