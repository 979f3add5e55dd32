import { KeeperError, type MarketAsset, type RegimeObservation } from "../core/index.js";
import { dailyCloseStats } from "../data/dailyCloseStats.js";
import type { Dataset } from "./types.js";

/** A read of the dataset past the simulated day: a bug in the backtester, never a data problem. */
export class LookAheadError extends KeeperError {
  override name = "LookAheadError";
}

export interface PointInTimeView {
  /** Index of the simulated day in dataset.dates. */
  readonly day: number;
  readonly date: string;
  /** Moves the clock forward (never back: what has been seen cannot be unseen). */
  advanceTo(day: number): void;
  /**
   * The universe as a provider reports it at the close of `day` (default today): the `limit` largest listed
   * assets with their 30-day close statistics (dailyCloseStats) and listing history, as the screens need them.
   */
  universe(limit: number, day?: number): readonly MarketAsset[];
  /** Price on `day` (default today), carried forward over gaps from the last observation; NaN before listing. */
  priceUsd(asset: number, day?: number): number;
  marketCapUsd(asset: number, day?: number): number;
  /** The last `days` observations up to today for the regime model: the trend signal and the prices of `ids` (and of ids asked for before). */
  regimeHistory(ids: readonly string[], days: number, endDay?: number): RegimeObservation[];
}

/**
 * The only way the backtest reads market data: every accessor checks that the day it asks for is not after the
 * simulated day, so a decision can only see what the live keeper would have seen that morning. Universes and
 * the trend signal are computed once per day and shared by every simulated portfolio.
 */
export function createPointInTimeView(dataset: Dataset, startDay = 0): PointInTimeView {
  const indexById = new Map(dataset.assets.map((a, i) => [a.id, i]));
  const riskyIndices = dataset.assets.flatMap((a, i) => (a.isStablecoin || a.derivativeOf !== undefined ? [] : [i]));
  const lastSeen = new Int32Array(dataset.assets.length).fill(-1);
  // The first day each asset was seen up to today (its listing, for the history screen).
  const firstSeen = new Int32Array(dataset.assets.length).fill(-1);
  // One close per day of the 30-day window, rewritten for each asset (the screens' statistics read them once).
  const closes = Array.from({ length: 30 }, () => ({ priceUsd: 0, volumeUsd: 0 }));
  const trendCache = new Map<number, number>();
  let universeCache: { day: number; limit: number; assets: MarketAsset[] } | undefined;
  let today = -1;
  const observations = new Map<number, RegimeObservation>();
  const observedIds = new Set<string>();

  const check = (day: number, what: string): void => {
    if (!Number.isInteger(day) || day < 0) throw new LookAheadError(`${what}: day ${day} is not a day of the dataset`);
    if (day > today) throw new LookAheadError(`${what} read day ${day} (${dataset.dates[day] ?? "beyond the data"}) on simulated day ${today} (${dataset.dates[today]})`);
  };
  const advanceTo = (day: number): void => {
    if (!Number.isInteger(day) || day < today || day >= dataset.dates.length) throw new LookAheadError(`cannot move the clock from day ${today} to day ${day}`);
    for (let d = today + 1; d <= day; d++) {
      const prices = dataset.priceUsd[d]!;
      for (let i = 0; i < prices.length; i++) {
        if (Number.isNaN(prices[i]!)) continue;
        lastSeen[i] = d;
        if (firstSeen[i]! < 0) firstSeen[i] = d;
      }
    }
    today = day;
  };
  // Carry forward: a data gap keeps the last price (as an oracle would), a listing that ended keeps its last.
  const carried = (column: readonly Float64Array[], asset: number, day: number): number => {
    for (let d = day; d >= 0; d--) {
      const value = column[d]![asset]!;
      if (!Number.isNaN(value)) return value;
    }
    return Number.NaN;
  };
  const trendUsd = (day: number): number => {
    let total = trendCache.get(day);
    if (total === undefined) {
      total = 0;
      const caps = dataset.marketCapUsd[day]!;
      for (const i of riskyIndices) if (caps[i]! > 0) total += caps[i]!;
      trendCache.set(day, total);
    }
    return total;
  };

  advanceTo(startDay);
  return {
    get day() {
      return today;
    },
    get date() {
      return dataset.dates[today]!;
    },
    advanceTo,
    universe(limit, day = today) {
      check(day, "universe");
      if (universeCache?.day === day && universeCache.limit === limit) return universeCache.assets;
      const caps = dataset.marketCapUsd[day]!;
      const prices = dataset.priceUsd[day]!;
      const volumes = dataset.volumeUsd[day]!;
      const listed: number[] = [];
      for (let i = 0; i < caps.length; i++) if (!Number.isNaN(prices[i]!) && !Number.isNaN(caps[i]!)) listed.push(i);
      listed.sort((a, b) => caps[b]! - caps[a]! || (dataset.assets[a]!.id < dataset.assets[b]!.id ? -1 : 1));
      const assets = listed.slice(0, limit).map((i): MarketAsset => {
        const a = dataset.assets[i]!;
        let count = 0;
        for (let d = Math.max(0, day - 29); d <= day; d++) {
          const price = dataset.priceUsd[d]![i]!;
          if (Number.isNaN(price)) continue;
          const close = closes[count++]!;
          close.priceUsd = price;
          close.volumeUsd = dataset.volumeUsd[d]![i]!;
        }
        const first = firstSeen[i]!;
        return {
          id: a.id,
          symbol: a.symbol,
          priceUsd: prices[i]!,
          marketCapUsd: caps[i]!,
          volume24hUsd: volumes[i]!,
          ...dailyCloseStats(count === closes.length ? closes : closes.slice(0, count)),
          historyDays: Math.min(365, dataset.listedDaysBefore + day - first + 1),
          ...(a.isStablecoin ? { isStablecoin: true } : {}),
          ...(a.derivativeOf !== undefined ? { derivativeOf: a.derivativeOf } : {}),
        };
      });
      universeCache = { day, limit, assets };
      return assets;
    },
    priceUsd(asset, day = today) {
      check(day, "priceUsd");
      return lastSeen[asset]! >= 0 && day === today ? dataset.priceUsd[lastSeen[asset]!]![asset]! : carried(dataset.priceUsd, asset, day);
    },
    marketCapUsd(asset, day = today) {
      check(day, "marketCapUsd");
      return carried(dataset.marketCapUsd, asset, day);
    },
    regimeHistory(ids, days, endDay = today) {
      check(endDay, "regimeHistory");
      const from = Math.max(0, endDay - days + 1);
      // Observations are built once per day with the prices of the ids asked for; an id asked for later (one
      // that entered the universe) is added to the observations still in the window, never guessed.
      const added = ids.filter((id) => !observedIds.has(id));
      for (const id of added) {
        const index = indexById.get(id);
        if (index === undefined) throw new LookAheadError(`regimeHistory: unknown id ${id}`);
        observedIds.add(id);
        for (const [d, observation] of observations) {
          const price = dataset.priceUsd[d]![index]!;
          if (!Number.isNaN(price)) (observation.pricesUsd as Record<string, number>)[id] = price;
        }
      }
      const history: RegimeObservation[] = [];
      for (let d = from; d <= endDay; d++) {
        let observation = observations.get(d);
        if (observation === undefined) {
          const prices = dataset.priceUsd[d]!;
          const pricesUsd: Record<string, number> = {};
          for (const id of observedIds) {
            const price = prices[indexById.get(id)!]!;
            if (!Number.isNaN(price)) pricesUsd[id] = price;
          }
          observation = { asOf: `${dataset.dates[d]!}T00:00:00.000Z`, marketCapUsd: trendUsd(d), pricesUsd };
          observations.set(d, observation);
        }
        if (observation.marketCapUsd > 0) history.push(observation);
      }
      // Only the window is kept: a five-year run would otherwise hold every day's prices twice.
      for (const d of observations.keys()) if (d < from) observations.delete(d);
      return history;
    },
  };
}
