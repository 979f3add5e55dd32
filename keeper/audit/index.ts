// The auditor: re-verifies every rebalance of a vault from chain data and the published snapshots.
// readVaultHistory (reads) and checkVaultHistory (judges) import nothing Node-only: the web app imports them directly.
export * from "./types.js";
export { runAudit, type RunAuditOptions, type RunAuditReturnType } from "./runAudit.js";
export { auditVault, type AuditVaultParameters } from "./auditVault.js";
export { readVaultHistory, type ReadVaultHistoryParameters, type SnapshotSource } from "./readVaultHistory.js";
export { checkVaultHistory, type CheckVaultHistoryOptions } from "./checkVaultHistory.js";
export { formatAuditTable } from "./formatAuditTable.js";
export { auditReportJson } from "./auditReportJson.js";
export { checkTradeBounds, type CheckTradeBoundsParameters } from "./checkTrade.js";
export { checkTradeDirection, type CheckTradeDirectionParameters } from "./checkTradeDirection.js";
export { checkEpochSnapshot, diffTargets, type CheckEpochSnapshotParameters } from "./checkEpochSnapshot.js";
export { changeLossWindow, EMPTY_LOSS_RING, lossRingAt, replayLossBudgetBatch, type LossRing } from "./replayLossBudget.js";
