import { partitionScreened } from "./partitionScreened.js";
import { toIdSet } from "./toIdSet.js";
import type { AssetRegistry, ExcludedAsset, ExclusionReason, MarketAsset, MethodologyConfigV2 } from "./types.js";

export interface ScreenInvestableParameters {
  /** Classified assets (snapshot v2): each carries its `class`. */
  readonly assets: readonly MarketAsset[];
  readonly config: MethodologyConfigV2;
  /** The vault's registered ids: only their tokens have allowlisted pools whose depth can be read. */
  readonly registry: AssetRegistry;
}

export interface ScreenInvestableReturnType {
  /** In input order; registered or not: "top N" is taken over all of them. */
  readonly eligible: readonly MarketAsset[];
  readonly excluded: readonly ExcludedAsset[];
}

/**
 * Snapshot v2's screens, in this order, each asset reported with the first it fails: class (only
 * "eligible", and "unknown" when the methodology includes unclassified ids), market cap, 24-hour volume,
 * 30-day median volume, listing history, on-chain depth. A missing or non-finite input fails its screen: the
 * audit must be able to re-derive every decision from the snapshot. The depth screen judges registered tokens
 * only: an id the vault does not register has no allowlisted route on this chain to measure, so it still ranks
 * and, if it ranks in, is reported as not on the vault (its weight spread over the rest).
 */
export function screenInvestable({ assets, config, registry }: ScreenInvestableParameters): ScreenInvestableReturnType {
  const registered = toIdSet(registry);
  return partitionScreened(assets, (asset) => exclusionReason(asset, config, registered.has(asset.id)));
}

function exclusionReason(asset: MarketAsset, config: MethodologyConfigV2, registered: boolean): ExclusionReason | undefined {
  const cls = asset.class ?? "unknown";
  if (cls === "unknown" && config.unclassified === "exclude") return "unknown";
  if (cls !== "unknown" && cls !== "eligible") return cls;
  if (!atLeast(asset.marketCapUsd, config.minMarketCapUsd) || !(asset.marketCapUsd > 0)) return "market-cap";
  if (!atLeast(asset.volume24hUsd, config.minVolumeUsd)) return "volume";
  if (config.minMedianVolume30dUsd > 0 && !atLeast(asset.medianVolume30dUsd, config.minMedianVolume30dUsd)) return "volume";
  if (config.minHistoryDays > 0 && !atLeast(asset.historyDays, config.minHistoryDays)) return "history";
  if (registered && config.minOnChainDepthUsd > 0 && !atLeast(asset.onChainDepthUsd, config.minOnChainDepthUsd)) return "depth";
  return undefined;
}

function atLeast(value: number | undefined, minimum: number): boolean {
  return value !== undefined && Number.isFinite(value) && value >= minimum;
}
