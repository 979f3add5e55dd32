/**
 * A point-in-time market dataset, columnar: one row per day, one column per asset. NaN marks "not listed on
 * that day" (before its first or after its last observation), so an asset that died simply stops.
 */
export interface Dataset {
  /** ISO dates (YYYY-MM-DD), strictly increasing by exactly one day. */
  readonly dates: readonly string[];
  readonly assets: readonly DatasetAsset[];
  /** [day][asset], USD; NaN when the asset has no observation that day. */
  readonly priceUsd: readonly Float64Array[];
  readonly marketCapUsd: readonly Float64Array[];
  readonly volumeUsd: readonly Float64Array[];
  /**
   * Ids that have a pool and a price source on the vault's chain (the methodology's registry). Every
   * non-stablecoin, non-derivative asset when the data does not say: the liquidity model then gives each a pool.
   */
  readonly registry: ReadonlySet<string>;
  /** True unless the data includes assets that died: a top-N history fetched today lists only survivors. */
  readonly survivorshipBiased: boolean;
  /** Where the data came from, for the report. */
  readonly source: string;
  /** Days each asset was already listed before its first row (the history screen counts them); 0 for files. */
  readonly listedDaysBefore: number;
}

export interface DatasetAsset {
  readonly id: string;
  readonly symbol: string;
  readonly isStablecoin: boolean;
  readonly derivativeOf?: string;
  /** Token decimals for the simulated balances (18 unless the data says). */
  readonly decimals: number;
}

export type Frequency = "daily" | "weekly" | "monthly" | "quarterly";
export const FREQUENCIES: readonly Frequency[] = ["daily", "weekly", "monthly", "quarterly"];

/** Which devnet layout the liquidity model copies: `direct` (the default devnet, the season) or `realistic` (`--liquidity realistic`). */
export type VenueLayout = "direct" | "realistic";

export interface GasModel {
  /** Gas of one trade inside a keeper batch. */
  readonly gasPerTrade: number;
  /** Fixed gas of one batch transaction at 10, 50 and 100 registered tokens (interpolated between). */
  readonly batchFixedGas: readonly (readonly [tokens: number, gas: number])[];
  /** Gas of commitTargets at 10, 50 and 100 constituents. */
  readonly commitGas: readonly (readonly [tokens: number, gas: number])[];
  /** Gas one transaction may use (the keeper's txGasBudget). */
  readonly txGasBudget: number;
  readonly gasPriceGwei: number;
  /** USD per native token (ETH) to price gas. */
  readonly nativeUsd: number;
  /** Where the figures come from (bench/gas.json). */
  readonly source: string;
}

export interface ExecutionModel {
  /** "devnet": each pool is fixed at the run's first day (or the asset's later listing) with bands centred there, as deployMarket does; "recentred": pools follow market cap and LPs re-centre daily. */
  readonly liquidity: "devnet" | "recentred";
  /** The venues each asset trades in (default `direct`: one V3 pool against the stablecoin). */
  readonly venues?: VenueLayout;
  readonly gas: GasModel;
  /** Management fee, bps of NAV a year, paid by diluting shares as the vault does. */
  readonly managementFeeBps: number;
  /** Days between the data a decision reads and the prices it trades at (0 or 1). */
  readonly executionLagDays: number;
}

/**
 * A depositor's action on a simulated day (0 = the first), applied after that day's keeper jobs as the season
 * does. The launch capital belongs to the depositor "launch".
 */
export type Flow =
  | { readonly day: number; readonly kind: "deposit"; readonly depositor: string; readonly amountUsd: number }
  | { readonly day: number; readonly kind: "redeem-cash" | "redeem-in-kind"; readonly depositor: string; readonly fractionOfHolding: number };
