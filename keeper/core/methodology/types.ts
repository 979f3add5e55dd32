/** One asset of the market-data universe, as a provider (CoinGecko, file, synthetic) reports it. */
export interface MarketAsset {
  readonly id: string;
  readonly symbol: string;
  readonly marketCapUsd: number;
  readonly volume24hUsd: number;
  readonly priceUsd: number;
  readonly isStablecoin?: boolean;
  /** Id of the asset this one wraps, bridges or stakes (WBTC -> bitcoin); such an asset double-counts it. */
  readonly derivativeOf?: string;
  /** Set on a member carried forward from an earlier snapshot over a gap in its data: snapshots missed in a row. */
  readonly missingSnapshots?: number;
}

export type ExclusionReason = "stablecoin" | "derivative" | "unregistered" | "market-cap" | "volume";

export interface ExcludedAsset {
  readonly id: string;
  readonly symbol: string;
  readonly reason: ExclusionReason;
}

/**
 * Ids that have a registered asset and price source on the target chain. A Set or Map answers `has`;
 * an array is accepted because that is how a published snapshot stores it.
 */
export type AssetRegistry = ReadonlySet<string> | ReadonlyMap<string, unknown> | readonly string[];

/** Why a constituent is in the index this week; see selectConstituents for the order they are applied in. */
export type SelectionReason = "stayed" | "entered" | "filled";

export interface MethodologyConfig {
  /** N: how many constituents the index holds. */
  readonly constituentCount: number;
  /** b: members stay while rank <= N x (1 + b); newcomers enter at rank <= N x (1 - b). */
  readonly bufferFraction: number;
  /** Largest weight of one constituent as a fraction (0.1 = 10%); null for pure market-cap weights. */
  readonly capFraction: number | null;
  readonly minMarketCapUsd: number;
  readonly minVolumeUsd: number;
}

/**
 * The product's defaults: the top 100 with MarketVector's 80-120 buffer, uncapped market-cap weights.
 * The minimums are zero because the reference index screens on rank alone; a real top-100 is far above
 * any sensible floor anyway, and a thin synthetic market should not be emptied by a default.
 */
export const DEFAULT_METHODOLOGY_CONFIG: MethodologyConfig = Object.freeze({
  constituentCount: 100,
  bufferFraction: 0.2,
  capFraction: null,
  minMarketCapUsd: 0,
  minVolumeUsd: 0,
});
