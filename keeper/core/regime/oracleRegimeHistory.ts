import type { MarketAsset } from "../methodology/types.js";
import type { OracleClose, RegimeObservation } from "./types.js";

export interface OracleRegimeHistoryParameters {
  /** The recorded closes, oldest first. */
  readonly closes: readonly OracleClose[];
  /** Lower-case token address -> provider id (the token list's); other addresses are left out. */
  readonly idOf: ReadonlyMap<string, string>;
  /** The latest published snapshot's universe ([] without one): its supplies weight the basket. */
  readonly universe: readonly Pick<MarketAsset, "id" | "priceUsd" | "marketCapUsd">[];
}

/**
 * The regime model's history rebuilt from the recorded oracle closes, for when the data provider is down:
 * prices by provider id, and as the signal each asset's price times the supply the latest snapshot gave it
 * (market cap / price), so the basket's weights stay fixed over the window. Without a snapshot every asset
 * counts for the same value on the first close.
 */
export function oracleRegimeHistory({ closes, idOf, universe }: OracleRegimeHistoryParameters): RegimeObservation[] {
  const supply = new Map<string, number>();
  for (const a of universe) if (a.priceUsd > 0 && a.marketCapUsd > 0) supply.set(a.id, a.marketCapUsd / a.priceUsd);
  const first = closes[0]?.pricesUsd ?? {};
  const unitsOf = (id: string, address: string) => supply.get(id) ?? (first[address] !== undefined ? 1 / first[address]! : 0);
  const history: RegimeObservation[] = [];
  for (const close of closes) {
    const pricesUsd: Record<string, number> = {};
    const marketCapsUsd: Record<string, number> = {};
    for (const [address, price] of Object.entries(close.pricesUsd)) {
      const id = idOf.get(address);
      if (id === undefined) continue;
      pricesUsd[id] = price;
      const units = unitsOf(id, address);
      if (units > 0) marketCapsUsd[id] = price * units;
    }
    const marketCapUsd = Object.values(marketCapsUsd).reduce((sum, v) => sum + v, 0);
    if (marketCapUsd > 0) history.push({ asOf: close.asOf, marketCapUsd, pricesUsd, marketCapsUsd });
  }
  return history;
}
