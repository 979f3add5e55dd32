import { InvalidInputError } from "../errors.js";
import { resolveMethodologyConfig } from "./resolveMethodologyConfig.js";
import { DEFAULT_METHODOLOGY_CONFIG_V2, type MethodologyConfigV2 } from "./types.js";

/** v1's checks, then the v2 fields': a bad screen or tier fails before any data is fetched. */
export function resolveMethodologyConfigV2(config: Partial<MethodologyConfigV2> = {}): MethodologyConfigV2 {
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as Partial<MethodologyConfigV2>;
  const resolved: MethodologyConfigV2 = Object.freeze({ ...DEFAULT_METHODOLOGY_CONFIG_V2, ...defined });
  resolveMethodologyConfig(resolved);
  const problems: string[] = [];
  const { minMedianVolume30dUsd, minHistoryDays, unclassified, tieredCaps, maxCategoryChangeFraction, minOnChainDepthUsd, depthBandBps } = resolved;
  if (!(Number.isFinite(minMedianVolume30dUsd) && minMedianVolume30dUsd >= 0)) problems.push(`minMedianVolume30dUsd: ${minMedianVolume30dUsd} (finite, >= 0)`);
  if (!(Number.isSafeInteger(minHistoryDays) && minHistoryDays >= 0)) problems.push(`minHistoryDays: ${minHistoryDays} (an integer >= 0)`);
  if (!(Number.isFinite(minOnChainDepthUsd) && minOnChainDepthUsd >= 0)) problems.push(`minOnChainDepthUsd: ${minOnChainDepthUsd} (finite, >= 0)`);
  if (!(Number.isSafeInteger(depthBandBps) && depthBandBps > 0 && depthBandBps < 10_000)) problems.push(`depthBandBps: ${depthBandBps} (an integer in (0, 10000))`);
  if (unclassified !== "include" && unclassified !== "exclude") problems.push(`unclassified: ${String(unclassified)} ("include" or "exclude")`);
  if (!(Number.isFinite(maxCategoryChangeFraction) && maxCategoryChangeFraction > 0)) problems.push(`maxCategoryChangeFraction: ${maxCategoryChangeFraction} (> 0)`);
  if (tieredCaps !== null) {
    const { largestCount, largestCapFraction, otherCapFraction } = tieredCaps;
    if (!(Number.isSafeInteger(largestCount) && largestCount >= 0)) problems.push(`tieredCaps.largestCount: ${largestCount} (an integer >= 0)`);
    for (const [name, value] of [["largestCapFraction", largestCapFraction], ["otherCapFraction", otherCapFraction]] as const) {
      if (!(Number.isFinite(value) && value > 0 && value <= 1)) problems.push(`tieredCaps.${name}: ${value} (in (0, 1])`);
    }
  }
  if (problems.length > 0) throw new InvalidInputError("Invalid methodology configuration.", { details: problems });
  return resolved;
}
