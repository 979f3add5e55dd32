import { InvalidInputError } from "../errors.js";
import { partitionScreened } from "./partitionScreened.js";
import { toIdSet } from "./toIdSet.js";
import type { AssetRegistry, ExcludedAsset, ExclusionReason, MarketAsset } from "./types.js";

export interface ScreenUniverseParameters {
  readonly assets: readonly MarketAsset[];
  readonly registry: AssetRegistry;
  readonly minMarketCapUsd?: number;
  readonly minVolumeUsd?: number;
}

export interface ScreenUniverseReturnType {
  /** In input order: ranking is selectConstituents' job. */
  readonly eligible: readonly MarketAsset[];
  readonly excluded: readonly ExcludedAsset[];
}

/**
 * Splits the universe into assets the index may hold and the rest, each with the first screen it failed.
 * Screens apply in this order: stablecoin, derivative, unregistered, market-cap, volume; so the reason
 * names the most structural cause (a stablecoin is reported as one even when it is also unregistered).
 * A market cap must be finite and > 0 and >= the minimum; a volume finite and >= the minimum, so a NaN
 * from a provider excludes the asset instead of poisoning the weights.
 */
export function screenUniverse({ assets, registry, minMarketCapUsd = 0, minVolumeUsd = 0 }: ScreenUniverseParameters): ScreenUniverseReturnType {
  if (!(Number.isFinite(minMarketCapUsd) && minMarketCapUsd >= 0) || !(Number.isFinite(minVolumeUsd) && minVolumeUsd >= 0)) {
    throw new InvalidInputError("Screen minimums must be finite and non-negative.", {
      details: [`minMarketCapUsd: ${minMarketCapUsd}`, `minVolumeUsd: ${minVolumeUsd}`],
    });
  }
  const registered = toIdSet(registry);
  return partitionScreened(assets, (asset) => exclusionReason(asset, registered, minMarketCapUsd, minVolumeUsd));
}

function exclusionReason(asset: MarketAsset, registered: ReadonlySet<string>, minMarketCapUsd: number, minVolumeUsd: number): ExclusionReason | undefined {
  if (asset.isStablecoin === true) return "stablecoin";
  if (asset.derivativeOf !== undefined && asset.derivativeOf !== "") return "derivative";
  if (!registered.has(asset.id)) return "unregistered";
  if (!(Number.isFinite(asset.marketCapUsd) && asset.marketCapUsd > 0 && asset.marketCapUsd >= minMarketCapUsd)) return "market-cap";
  if (!(Number.isFinite(asset.volume24hUsd) && asset.volume24hUsd >= minVolumeUsd)) return "volume";
  return undefined;
}
