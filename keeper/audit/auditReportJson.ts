import type { AuditReport } from "./types.js";

/** The report as JSON: bigints as decimal strings, so every amount survives exactly. */
export function auditReportJson(report: AuditReport): string {
  return JSON.stringify(report, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2);
}
