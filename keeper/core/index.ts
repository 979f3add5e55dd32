// The pure core of the keeper: no network, no files, no clock. The CLI, the backtester and the auditor
// all import from here so they run the same rules.
export * from "./errors.js";

export * from "./methodology/types.js";
export { bufferBands, type BufferBandsParameters, type BufferBandsReturnType } from "./methodology/bufferBands.js";
export { capWeights, type CapWeightsParameters, type CapWeightsReturnType } from "./methodology/capWeights.js";
export { checkCategoryLists, type CheckCategoryListsParameters } from "./methodology/checkCategoryLists.js";
export { classificationHash } from "./methodology/classificationHash.js";
export { classifyAsset, type ClassifyAssetParameters } from "./methodology/classifyAsset.js";
export { compareIds } from "./methodology/compareIds.js";
export {
  computeTargets,
  NO_ASSET_PASSED,
  type ComputeTargetsParameters,
  type ComputeTargetsReturnType,
  type TargetConstituent,
  type UnregisteredConstituent,
} from "./methodology/computeTargets.js";
export { rankByMarketCap, type RankableAsset, type RankByMarketCapReturnType } from "./methodology/rankByMarketCap.js";
export { resolveMethodologyConfig } from "./methodology/resolveMethodologyConfig.js";
export { resolveMethodologyConfigV2 } from "./methodology/resolveMethodologyConfigV2.js";
export { screenInvestable, type ScreenInvestableParameters, type ScreenInvestableReturnType } from "./methodology/screenInvestable.js";
export { screenUniverse, type ScreenUniverseParameters, type ScreenUniverseReturnType } from "./methodology/screenUniverse.js";
export {
  selectConstituents,
  type RemovedMember,
  type SelectConstituentsParameters,
  type SelectConstituentsReturnType,
  type SelectedConstituent,
} from "./methodology/selectConstituents.js";
export { toBasisPoints, type ToBasisPointsParameters, type ToBasisPointsReturnType } from "./methodology/toBasisPoints.js";
export { toIdSet } from "./methodology/toIdSet.js";

export * from "./regime/types.js";
export { evaluateRegime, type EvaluateRegimeParameters, type EvaluateRegimeReturnType } from "./regime/evaluateRegime.js";
export { regimeUniverse } from "./regime/regimeUniverse.js";
export { regimeHistoryDays } from "./regime/regimeHistoryDays.js";
export { regimeCode, regimeFromCode } from "./regime/regimeCode.js";
export { oracleCloseOf, type OracleCloseOfParameters } from "./regime/oracleCloseOf.js";
export { oracleRegimeHistory, type OracleRegimeHistoryParameters } from "./regime/oracleRegimeHistory.js";

export * from "./planner/types.js";
export { afterSlippage } from "./planner/afterSlippage.js";
export { amountForValue } from "./planner/amountForValue.js";
export { BUFFERED_WEIGHT_SCALE, cashBufferedTargets, effectiveCashBufferBps } from "./planner/cashBufferedTargets.js";
export { gasCostAsset, type GasCostAssetParameters } from "./planner/gasCostAsset.js";
export { worthItsGas, type WorthItsGasParameters } from "./planner/worthItsGas.js";
export { maxChunkValueAsset, type MaxChunkValueAssetParameters } from "./planner/maxChunkValueAsset.js";
export { modelPriceImpact, RESERVE_PER_DEPTH, type ModelPriceImpactParameters, type ModelPriceImpactReturnType } from "./planner/modelPriceImpact.js";
export { planRebalance, type PlanRebalanceParameters, type PlanRebalanceReturnType } from "./planner/planRebalance.js";
export { splitTrade, type SplitTradeParameters, type SplitTradeReturnType } from "./planner/splitTrade.js";
export { valueInAsset } from "./planner/valueInAsset.js";
export { weightBpsOfNav } from "./planner/weightBpsOfNav.js";
export { tradeDustAsset, type TradeDustAssetParameters } from "./planner/tradeDustAsset.js";
export { PRICE_ASSET18_SCALE, priceAsset18, priceAsset18FromUsd } from "./planner/priceAsset18.js";

export { medianOfSorted } from "./stats/medianOfSorted.js";

export { carryForwardGaps, type CarryForwardGapsParameters, type CarryForwardGapsReturnType } from "./gaps/carryForwardGaps.js";

export * from "./snapshot/types.js";
export { canonicalJson } from "./snapshot/canonicalJson.js";
export { canonicalSnapshotJson } from "./snapshot/canonicalSnapshotJson.js";
export { commitForSnapshot, type SnapshotCommit } from "./snapshot/commitForSnapshot.js";
export { snapshotHash } from "./snapshot/snapshotHash.js";
export { SNAPSHOT_VERSIONS } from "./snapshot/snapshotVersions.js";

export { previewCost, type PreviewCostConfig, type PreviewCostReturnType } from "./costs/previewCost.js";

export { dataCutoffFor, epochFor, lastWeeklyRebalance, nextWeeklyRebalance, startOfDay } from "./schedule/schedule.js";

export { formatBps } from "./format/formatBps.js";
export { formatDecimal } from "./format/formatDecimal.js";
export { formatDuration } from "./format/formatDuration.js";
export { formatFixed } from "./format/formatFixed.js";
export { formatTable } from "./format/formatTable.js";
export { formatUnixTime } from "./format/formatUnixTime.js";
export { shortHash } from "./format/shortHash.js";
export { formatAmount, formatDate, formatEth, formatNumber, formatPercent, formatSignedPercent, formatTokenAmount, formatUsd } from "./format/numbers.js";

export { BPS, feeOfGross } from "./vault/bps.js";
export { mulDiv } from "./vault/mulDiv.js";
export * as NavLib from "./vault/navLib.js";
export * as LossBudgetLib from "./vault/lossBudgetLib.js";
