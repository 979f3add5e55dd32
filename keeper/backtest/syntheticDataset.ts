import { SyntheticMarket, type MarketPhase, type SyntheticAssetSpec } from "../data/syntheticMarket.js";
import type { RegimeObservation } from "../core/index.js";
import type { Dataset } from "./types.js";

export interface SyntheticDatasetParameters {
  readonly seed: number;
  readonly assets: readonly SyntheticAssetSpec[];
  /** Simulated days from the start (day 0 included). */
  readonly days: number;
  readonly phases?: readonly MarketPhase[];
  /** Days of history before day 0 (the regime model's warm-up), as SyntheticMarket makes them up. */
  readonly warmUpDays?: number;
  readonly startIso?: string;
  /** Ids with a pool on the vault's chain; default every investable asset. */
  readonly registry?: readonly string[];
  /** id -> token decimals (default 18). */
  readonly decimals?: ReadonlyMap<string, number>;
}

/**
 * The seeded synthetic market (the same SyntheticMarket the devnet and `npm start` move, so the same seed
 * gives the same prices) written down as a dataset: the warm-up days first, then `days` simulated days.
 */
export function syntheticDataset({ seed, assets, days, phases, warmUpDays = 0, startIso = "2026-01-05T00:00:00.000Z", registry, decimals }: SyntheticDatasetParameters): Dataset {
  const market = new SyntheticMarket({ seed, assets, phases, warmUpDays, startIso });
  const supply = assets.map((a) => a.marketCapUsd / a.priceUsd);
  const dates: string[] = [];
  const priceUsd: Float64Array[] = [];
  const marketCapUsd: Float64Array[] = [];
  const volumeUsd: Float64Array[] = [];
  const push = (date: string, price: Float64Array): void => {
    dates.push(date.slice(0, 10));
    priceUsd.push(price);
    const caps = price.map((p, i) => p * supply[i]!);
    marketCapUsd.push(caps);
    // The volume SyntheticMarket reports: 3 % of the market cap.
    volumeUsd.push(caps.map((c) => c * 0.03));
  };

  // Each recorded day's prices are read from the market's history (a wrapped asset at its underlying's, a
  // stablecoin at its peg), the prices its snapshots report, without building a snapshot's 30-day statistics.
  const underlying = assets.map((a) => (a.derivativeOf === undefined ? a.id : a.derivativeOf));
  const record = (observation: RegimeObservation): void => {
    const price = new Float64Array(assets.length);
    for (let i = 0; i < assets.length; i++) price[i] = assets[i]!.isStablecoin ? assets[i]!.priceUsd : observation.pricesUsd![underlying[i]!]!;
    push(observation.asOf, price);
  };
  const history = market.history();
  for (const observation of history.slice(0, warmUpDays)) record(observation);
  for (let day = 0; day < days; day++) {
    if (day > 0) market.step();
    record(history[history.length - 1]!);
  }
  return {
    dates,
    assets: assets.map((a) => ({
      id: a.id,
      symbol: a.symbol,
      isStablecoin: a.isStablecoin === true,
      ...(a.derivativeOf !== undefined ? { derivativeOf: a.derivativeOf } : {}),
      decimals: decimals?.get(a.id) ?? 18,
    })),
    priceUsd,
    marketCapUsd,
    volumeUsd,
    registry: new Set(registry ?? assets.filter((a) => !a.isStablecoin && a.derivativeOf === undefined).map((a) => a.id)),
    // Nothing dies in the synthetic market, but nothing was selected for having survived either.
    survivorshipBiased: false,
    source: `the synthetic market of npm start (${assets.length} assets)`,
    // SyntheticMarket's default: every asset listed a year before day 0.
    listedDaysBefore: 365,
  };
}
