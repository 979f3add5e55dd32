export { firstBasket } from "./firstBasket.js";
export { holdingRecords } from "./holdingRecords.js";
export { maxDrawdown } from "./maxDrawdown.js";
export { rebalanceRecords } from "./rebalanceRecords.js";
export { regimeTimeline } from "./regimeTimeline.js";
export { seasonSummary, type SeasonSummary } from "./seasonSummary.js";
export { SEASON_REPORT_FILES, writeSeasonReport, type WriteSeasonReportParameters, type WriteSeasonReportReturnType } from "./writeSeasonReport.js";
export type * from "./types.js";
