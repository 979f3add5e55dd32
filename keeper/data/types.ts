import type { MarketAsset, RegimeObservation } from "../core/index.js";

/**
 * Where the keeper's market data comes from. Three implementations: CoinGecko (live), files (published
 * snapshots, backtests) and a seeded synthetic market (devnet, demo). The core never sees which.
 *
 * Every read is point-in-time: it takes the data cut-off `asOf` and uses daily closes at or before it only,
 * never a later or intraday value, so a snapshot built on Sunday noon, on Monday and on a Tuesday catch-up
 * for the same cut-off reads the same numbers.
 */
export interface MarketDataProvider {
  readonly name: string;
  /**
   * The universe at the cut-off, largest market caps first (at least `limit` assets when available), with
   * the screens' inputs (30-day median volume and price range, days of history) where the source has them.
   */
  getUniverse(limit: number, asOf: Date): Promise<MarketAsset[]>;
  /** Daily observations at or before `asOf`, the last `days` of them, oldest first: the trend signal and the prices of `ids`. */
  getRegimeHistory(ids: readonly string[], days: number, asOf: Date): Promise<RegimeObservation[]>;
  /**
   * Slug -> member ids of each category, for the classification's category rules. Sources without
   * categories (files without them, the synthetic market) leave it out.
   */
  getCategoryLists?(slugs: readonly string[]): Promise<Record<string, string[]>>;
}
