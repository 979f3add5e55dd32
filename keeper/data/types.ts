import type { MarketAsset, RegimeObservation } from "../core/index.js";

/**
 * Where the keeper's market data comes from. Three implementations: CoinGecko (live), files (published
 * snapshots, backtests) and a seeded synthetic market (devnet, demo). The core never sees which.
 */
export interface MarketDataProvider {
  readonly name: string;
  /** The investable universe now, largest market caps first (at least `limit` assets when available). */
  getUniverse(limit: number): Promise<MarketAsset[]>;
  /** Daily observations for the regime model, oldest first: the trend signal and the prices of `ids`. */
  getRegimeHistory(ids: readonly string[], days: number): Promise<RegimeObservation[]>;
}
