export { maxDrawdown } from "./maxDrawdown.js";
export { seasonSummary, type SeasonSummary } from "./seasonSummary.js";
export { SEASON_REPORT_FILES, writeSeasonReport, type WriteSeasonReportParameters, type WriteSeasonReportReturnType } from "./writeSeasonReport.js";
export type * from "./types.js";
