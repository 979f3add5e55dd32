// The auditor: re-verifies every rebalance of a vault from chain data and the published snapshots.
export * from "./types.js";
export { runAudit, type RunAuditOptions, type RunAuditReturnType } from "./runAudit.js";
export { auditVault, type AuditVaultParameters } from "./auditVault.js";
export { formatAuditTable } from "./formatAuditTable.js";
export { auditReportJson } from "./auditReportJson.js";
export { checkTradeBounds, type CheckTradeBoundsParameters } from "./checkTrade.js";
export { checkTradeDirection, type CheckTradeDirectionParameters } from "./checkTradeDirection.js";
export { checkEpochSnapshot, diffTargets, type CheckEpochSnapshotParameters } from "./checkEpochSnapshot.js";
export { lossCapacity, lossUsedNow, replayLossBudgetBatch, type LossBucket } from "./replayLossBudget.js";
