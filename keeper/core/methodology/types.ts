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
  /** Snapshot v2: the provider's categories of this id that a classification rule names (CoinGecko slugs). */
  readonly categories?: readonly string[];
  /** Snapshot v2: median daily volume (USD) over the 30 daily closes up to the data cut-off. */
  readonly medianVolume30dUsd?: number;
  /** Snapshot v2: lowest and highest of the 30 daily closes up to the cut-off (the peg check reads them). */
  readonly priceLow30dUsd?: number;
  readonly priceHigh30dUsd?: number;
  /** Snapshot v2: days of daily closes the provider has up to the cut-off (capped at its look-back). */
  readonly historyDays?: number;
  /**
   * Snapshot v2, registered tokens only: the stablecoin (taken at $1) that the token's allowlisted routes (direct
   * V3 pools and V2 pairs, and routes via WETH when the keeper routes through SwapRouter02) trade while every venue
   * crossed stays within the methodology's depthBandBps of the oracles' price, the smaller of the buy and the sell
   * side, read at the first block at or after the data cut-off (the snapshot's `depthRead`; docs/METHODOLOGY.md).
   */
  readonly onChainDepthUsd?: number;
  /** Snapshot v2: the class the classification gave this id, and the rule that decided it. */
  readonly class?: AssetClass;
  readonly classRule?: string;
}

/**
 * What an asset is, for the index: only "eligible" network and application tokens are held. The others
 * would double-count an asset the index already holds (wrapped, staked), track something off-chain (RWA,
 * funds, gold), or are a claim on a basket or a pool.
 */
export const ASSET_CLASSES = ["eligible", "stablecoin", "wrapped", "staking", "rwa", "lp-basket", "derivative"] as const;
export type CuratedAssetClass = (typeof ASSET_CLASSES)[number];
/** `unknown`: no curated entry, no category rule, no peg; the methodology's `unclassified` setting decides. */
export type AssetClass = CuratedAssetClass | "unknown";

export interface ClassificationEntry {
  readonly class: CuratedAssetClass;
  /** Why, in a few words: the source a reviewer can check. */
  readonly note: string;
}

/**
 * A versioned, id-level classification. Curated entries decide first; for other ids the category rules
 * apply in order, then the peg check. The file's keccak256 (canonical JSON) goes into every snapshot.
 */
export interface ClassificationTable {
  readonly version: string;
  /** The date the curated entries describe. */
  readonly asOf: string;
  readonly assets: Readonly<Record<string, ClassificationEntry>>;
  /** In order: the first rule whose category the asset is in decides. */
  readonly categoryRules: readonly { readonly category: string; readonly class: CuratedAssetClass; readonly note: string }[];
  /** An uncovered id whose 30 daily closes all lie within `toleranceBps` of one of `pegsUsd` is a stablecoin. */
  readonly peg: { readonly pegsUsd: readonly number[]; readonly toleranceBps: number };
}

export interface AssetClassification {
  readonly id: string;
  readonly class: AssetClass;
  /** "curated", "category:<slug>", "provider-flag", "price-peg" or "none". */
  readonly rule: string;
  readonly note: string;
}

export type ExclusionReason =
  | "stablecoin"
  | "derivative"
  | "unregistered"
  | "market-cap"
  | "volume"
  | "wrapped"
  | "staking"
  | "rwa"
  | "lp-basket"
  | "unknown"
  | "history"
  | "depth";

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

/** Largest weight of the `largestCount` largest constituents, and of every other one. */
export interface TieredCaps {
  readonly largestCount: number;
  readonly largestCapFraction: number;
  readonly otherCapFraction: number;
}

/** Snapshot v2's methodology: v1's fields and the investability screens, the class policy and tiered caps. */
export interface MethodologyConfigV2 extends MethodologyConfig {
  /** Minimum median daily volume over the 30 closes up to the cut-off, USD. */
  readonly minMedianVolume30dUsd: number;
  /** Minimum days of daily closes before the cut-off (a listing younger than this has no track record). */
  readonly minHistoryDays: number;
  /** What an id no rule classifies does: held like an eligible one (and listed in the notice), or excluded. */
  readonly unclassified: "include" | "exclude";
  /** Null for no tiers; with `capFraction` too, the smaller cap applies. */
  readonly tieredCaps: TieredCaps | null;
  /** Largest week-over-week change of a category list (symmetric difference / last week's size). */
  readonly maxCategoryChangeFraction: number;
  /**
   * Minimum on-chain depth of a registered token (its `onChainDepthUsd`), USD; 0 turns the screen off. Absent from
   * snapshots published before the screen existed, which therefore re-derive without it.
   */
  readonly minOnChainDepthUsd: number;
  /** The price band the depth is measured within, bps of the oracle price (200: within 2 %). */
  readonly depthBandBps: number;
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

/**
 * v2 defaults. $1M median daily volume and 90 days of closes keep out what cannot be traded at size or
 * has no track record, far below any real top-100 asset. Tiers 25 % / 15 %: the product describes BTC and
 * ETH at roughly 40 % together, which uncapped market-cap weights (BTC alone near 60 % of a late-2025 top 100)
 * would break. Unclassified ids are held and listed in the notice: a stale file must not keep a new network
 * token out of a market-cap index, and the category and peg rules already catch the structural cases.
 */
export const DEFAULT_METHODOLOGY_CONFIG_V2: MethodologyConfigV2 = Object.freeze({
  ...DEFAULT_METHODOLOGY_CONFIG,
  minMedianVolume30dUsd: 1_000_000,
  minHistoryDays: 90,
  unclassified: "include",
  tieredCaps: Object.freeze({ largestCount: 1, largestCapFraction: 0.25, otherCapFraction: 0.15 }),
  maxCategoryChangeFraction: 0.5,
  minOnChainDepthUsd: 0,
  depthBandBps: 200,
});

/**
 * The keeper's minimum on-chain depth within 2 % of the oracle price: $5,000, a floor for what cannot be traded at
 * all, not a size limit (the planner already splits a trade whose impact is too large). A pool that cannot take
 * $5,000 within 2 % cannot fill one trade of a $1M vault's 0.5 % constituent without leaving the vault's slippage
 * bound. It is low on purpose: the devnet's smallest pools ($4M, minted once and never re-centred) keep about
 * $7,000-14,000 within 2 % once the price has left their concentrated bands, and screening them out would change
 * the season's index week to week on an artefact of the devnet. A vault of real size should raise it
 * (KEEPER_MIN_ONCHAIN_DEPTH_USD), to about the largest trade it wants in one transaction. The pure core's default
 * is 0 so that a snapshot without depth inputs (published before the screen) re-derives as it was; the keeper's
 * settings (keeper/run/defaultKeeperSettings.ts) turn it on, and the backtester takes them (with depths from its
 * liquidity model).
 */
export const DEFAULT_MIN_ONCHAIN_DEPTH_USD = 5_000;
