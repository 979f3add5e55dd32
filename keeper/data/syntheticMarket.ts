import type { MarketAsset, RegimeObservation } from "../core/index.js";
import { dailyCloseStats } from "./dailyCloseStats.js";
import { seededRandom, type SeededRandom } from "./seededRandom.js";
import type { MarketDataProvider } from "./types.js";

/** One asset of the synthetic market. Only assets with `onChain` have a token, pool and feed on the devnet. */
export interface SyntheticAssetSpec {
  id: string;
  symbol: string;
  priceUsd: number;
  marketCapUsd: number;
  isStablecoin?: boolean;
  derivativeOf?: string;
}

/** A stretch of market behaviour: annualised drift and volatility of the common factor. */
export interface MarketPhase {
  days: number;
  driftAnnual: number;
  volatilityAnnual: number;
}

export interface SyntheticMarketParameters {
  seed: number;
  assets: readonly SyntheticAssetSpec[];
  /** The common factor's phases, repeated if the run is longer. */
  phases?: readonly MarketPhase[];
  /** Annualised idiosyncratic volatility of a $10B asset (scaled by size): what makes ranks change. */
  idiosyncraticVolatility?: number;
  /** ISO time of day 0. */
  startIso?: string;
  /**
   * Days of history to make up before day 0, ending at the assets' given prices, so that a model needing a
   * moving average can run from day 0 while day 0 still matches the devnet's initial pools.
   */
  warmUpDays?: number;
  /** Days every asset had been listed before the first recorded day (the listing-history screen reads it). */
  listedDays?: number;
}

/** Bull, then a bear market deep enough to flip a 50-day trend filter, then a recovery. */
export const DEFAULT_PHASES: readonly MarketPhase[] = [
  { days: 70, driftAnnual: 1.2, volatilityAnnual: 0.5 },
  { days: 50, driftAnnual: -2.5, volatilityAnnual: 0.6 },
  { days: 80, driftAnnual: 2.0, volatilityAnnual: 0.5 },
];

const DAY_MS = 86_400_000;

interface AssetState extends SyntheticAssetSpec {
  /** Units outstanding: market cap moves with price. */
  supply: number;
  beta: number;
  /** Idiosyncratic volatility: the largest assets move mostly with the market, small caps on their own. */
  idiosyncraticVolatility: number;
}

/**
 * A seeded, reproducible crypto market that moves one day at a time: a common factor (bull and bear phases)
 * times a per-asset beta plus idiosyncratic noise, so assets move together but at different speeds and their
 * market-cap ranks change. Stablecoins stay at $1. It keeps the daily history the regime model reads.
 */
export class SyntheticMarket {
  readonly #random: SeededRandom;
  readonly #assets: AssetState[];
  readonly #phases: readonly MarketPhase[];
  readonly #startMs: number;
  readonly #history: RegimeObservation[] = [];
  readonly #listedDays: number;
  #day = 0;

  constructor({ seed, assets, phases = DEFAULT_PHASES, idiosyncraticVolatility = 0.7, startIso = "2026-01-05T00:00:00.000Z", warmUpDays = 0, listedDays = 365 }: SyntheticMarketParameters) {
    if (phases.length === 0 || phases.some((p) => !(p.days > 0))) throw new RangeError("phases must be non-empty with positive lengths");
    this.#random = seededRandom(seed);
    this.#phases = phases;
    this.#listedDays = listedDays;
    this.#startMs = Date.parse(startIso);
    if (Number.isNaN(this.#startMs)) throw new RangeError(`startIso is not a date: ${startIso}`);
    this.#assets = assets.map((a) => ({
      ...a,
      supply: a.marketCapUsd / a.priceUsd,
      beta: a.isStablecoin ? 0 : 0.7 + 0.6 * this.#random.next(),
      // x0.3 for a $1T asset up to x1.2 for a $1B one.
      idiosyncraticVolatility: idiosyncraticVolatility * Math.min(1.2, Math.max(0.3, Math.log10(1e12 / a.marketCapUsd) / 2)),
    }));
    if (warmUpDays > 0) this.#warmUp(warmUpDays);
    this.#record();
  }

  /** Simulates `days` of a calm, rising market, then rescales that path so it ends at today's prices. */
  #warmUp(days: number): void {
    const initial = this.#assets.map((a) => a.priceUsd);
    const paths: number[][] = [];
    for (let d = 0; d < days; d++) {
      paths.push(this.#assets.map((a) => a.priceUsd));
      // A gently rising, quiet market, so that the trend filter starts the season invested whatever the seed:
      // with the season's own volatility here, one seed in three ended its warm-up below its average and the
      // regime model (whose cool-down then holds for months) began the season in stablecoins.
      const common = 0.8 / 365 + 0.05 * Math.sqrt(1 / 365) * this.#random.normal();
      for (const a of this.#assets) {
        if (a.isStablecoin || a.derivativeOf !== undefined) continue;
        a.priceUsd *= Math.exp(a.beta * common + 0.1 * a.idiosyncraticVolatility * Math.sqrt(1 / 365) * this.#random.normal());
      }
    }
    const scale = this.#assets.map((a, i) => initial[i] / a.priceUsd);
    paths.forEach((prices, d) => {
      const risky = this.#assets.map((a, i) => ({ a, price: prices[i] * scale[i] })).filter(({ a }) => !a.isStablecoin && a.derivativeOf === undefined);
      this.#history.push({
        asOf: new Date(this.#startMs - (days - d) * DAY_MS).toISOString(),
        marketCapUsd: risky.reduce((sum, { a, price }) => sum + price * a.supply, 0),
        pricesUsd: Object.fromEntries(risky.map(({ a, price }) => [a.id, price])),
      });
    });
    this.#assets.forEach((a, i) => (a.priceUsd = initial[i]));
  }

  get day(): number {
    return this.#day;
  }

  get nowIso(): string {
    return new Date(this.#startMs + this.#day * DAY_MS).toISOString();
  }

  /** The phase the market is in today (for reports). */
  get phase(): MarketPhase {
    const cycle = this.#phases.reduce((sum, p) => sum + p.days, 0);
    let dayInCycle = this.#day % cycle;
    for (const p of this.#phases) {
      if (dayInCycle < p.days) return p;
      dayInCycle -= p.days;
    }
    return this.#phases[this.#phases.length - 1];
  }

  /** Advances one day. */
  step(): void {
    const { driftAnnual, volatilityAnnual } = this.phase;
    const dt = 1 / 365;
    const common = driftAnnual * dt + volatilityAnnual * Math.sqrt(dt) * this.#random.normal();
    for (const a of this.#assets) {
      if (a.isStablecoin || a.derivativeOf !== undefined) continue;
      const idiosyncratic = a.idiosyncraticVolatility * Math.sqrt(dt) * this.#random.normal();
      // Log-normal step, with the Ito correction so the drift is the median's.
      a.priceUsd *= Math.exp(a.beta * common + idiosyncratic - 0.5 * a.idiosyncraticVolatility ** 2 * dt);
    }
    // A wrapped or staked asset trades at its underlying's price.
    for (const a of this.#assets) {
      const underlying = a.derivativeOf === undefined ? undefined : this.#assets.find((u) => u.id === a.derivativeOf);
      if (underlying !== undefined) a.priceUsd = underlying.priceUsd;
    }
    this.#day += 1;
    this.#record();
  }

  priceUsd(id: string): number {
    const asset = this.#assets.find((a) => a.id === id);
    if (asset === undefined) throw new RangeError(`unknown synthetic asset ${id}`);
    return asset.priceUsd;
  }

  history(): readonly RegimeObservation[] {
    return this.#history;
  }

  /**
   * The universe at a past close: the last recorded day at or before `asOf`, with each asset's 30-day median
   * volume (a steady 3 % of market cap a day) and price range over the records up to it.
   */
  snapshotAt(asOf: Date): MarketAsset[] {
    const upTo = this.#history.slice(0, this.#recordedUpTo(asOf));
    if (upTo.length === 0) throw new RangeError(`the synthetic market has no day at or before ${asOf.toISOString()}`);
    const priceIn = (o: RegimeObservation, a: AssetState): number | undefined => {
      if (a.isStablecoin) return 1;
      return o.pricesUsd?.[a.derivativeOf ?? a.id];
    };
    const last30 = upTo.slice(-30);
    return this.#assets
      .flatMap((a): MarketAsset[] => {
        const closes = last30.flatMap((o) => {
          const price = priceIn(o, a);
          return price === undefined ? [] : [{ priceUsd: price, volumeUsd: price * a.supply * 0.03 }];
        });
        const price = priceIn(upTo[upTo.length - 1]!, a);
        if (price === undefined || closes.length === 0) return [];
        return [
          {
            id: a.id,
            symbol: a.symbol,
            priceUsd: price,
            marketCapUsd: price * a.supply,
            volume24hUsd: price * a.supply * 0.03,
            ...dailyCloseStats(closes),
            historyDays: Math.min(365, this.#listedDays + upTo.length),
            ...(a.isStablecoin ? { isStablecoin: true } : {}),
            ...(a.derivativeOf !== undefined ? { derivativeOf: a.derivativeOf } : {}),
          },
        ];
      })
      .sort((x, y) => y.marketCapUsd - x.marketCapUsd || (x.id < y.id ? -1 : 1));
  }

  provider(): MarketDataProvider {
    return {
      name: "synthetic",
      getUniverse: async (limit, asOf) => this.snapshotAt(asOf).slice(0, limit),
      getRegimeHistory: async (ids, days, asOf) => {
        const wanted = new Set(ids);
        const end = this.#recordedUpTo(asOf);
        return this.#history
          .slice(Math.max(0, end - days), end)
          .map((o) => ({
            asOf: o.asOf,
            marketCapUsd: o.marketCapUsd,
            pricesUsd: Object.fromEntries(Object.entries(o.pricesUsd ?? {}).filter(([id]) => wanted.has(id))),
          }));
      },
    };
  }

  /** How many recorded days are at or before `asOf`: the history is in time order, and reads are mostly of its latest days. */
  #recordedUpTo(asOf: Date): number {
    let end = this.#history.length;
    while (end > 0 && Date.parse(this.#history[end - 1]!.asOf) > asOf.getTime()) end--;
    return end;
  }

  #record(): void {
    const risky = this.#assets.filter((a) => !a.isStablecoin && a.derivativeOf === undefined);
    this.#history.push({
      asOf: this.nowIso,
      marketCapUsd: risky.reduce((sum, a) => sum + a.priceUsd * a.supply, 0),
      pricesUsd: Object.fromEntries(risky.map((a) => [a.id, a.priceUsd])),
    });
  }
}
