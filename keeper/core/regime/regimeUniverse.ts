import type { MarketAsset } from "../methodology/types.js";

/**
 * The assets the regime reads: the screened universe (no stablecoins, nothing that wraps, bridges or stakes
 * another asset, no class the classification excludes), largest market caps first, the first `size`. The whole market decides the regime, not the
 * few tokens a vault happens to register.
 */
export function regimeUniverse(universe: readonly MarketAsset[], size: number): string[] {
  return universe
    .filter((a) => !a.isStablecoin && a.derivativeOf === undefined && (a.class === undefined || a.class === "eligible" || a.class === "unknown"))
    .filter((a) => Number.isFinite(a.marketCapUsd) && a.marketCapUsd > 0)
    .sort((a, b) => b.marketCapUsd - a.marketCapUsd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, size)
    .map((a) => a.id);
}
