import Coingecko, { NotFoundError } from "@coingecko/coingecko-typescript";
import { z } from "zod";
import { KeeperError, type MarketAsset, type RegimeObservation } from "../core/index.js";
import { dailyCloseStats } from "./dailyCloseStats.js";
import type { MarketDataProvider } from "./types.js";
import { COINGECKO_LOOKBACK_DAYS as LOOKBACK_DAYS } from "./coinGeckoLimits.js";

export { COINGECKO_MAX_HISTORY_DAYS } from "./coinGeckoLimits.js";

export class CoinGeckoError extends KeeperError {
  override name = "CoinGeckoError";
}

export interface CoinGeckoProviderParameters {
  /** A demo or pro API key; which one is told by `plan`. */
  apiKey?: string;
  plan?: "demo" | "pro";
  /** Overrides the API's address (tests point it at a local server). */
  baseUrl?: string;
  /** Requests per minute this client allows itself: CoinGecko's demo plan allows 30. */
  requestsPerMinute?: number;
  /** Retries of a failed request (429s and 5xx, honouring Retry-After), by the official SDK. */
  maxRetries?: number;
  timeoutMs?: number;
}

const PAGE_SIZE = 250;
const DAY_MS = 86_400_000;

const marketRowSchema = z.object({
  id: z.string().min(1),
  symbol: z.string(),
  current_price: z.number().nullable(),
  market_cap: z.number().nullable(),
  total_volume: z.number().nullable(),
});
const marketsSchema = z.array(marketRowSchema);
const seriesSchema = z.array(z.tuple([z.number(), z.number().nullable()]));
const chartSchema = z.object({ prices: seriesSchema, market_caps: seriesSchema, total_volumes: seriesSchema.optional() });

/**
 * A chart's daily closes at or before the cut-off, keyed by their 00:00 UTC time. CoinGecko's daily series
 * ends with an intraday point for the current day; it is not a close, so only points exactly at 00:00 UTC
 * count, and nothing after the cut-off is read.
 */
function dailyCloses(series: readonly (readonly [number, number | null])[], cutoffMs: number): Map<number, number> {
  const closes = new Map<number, number>();
  for (const [t, value] of series) {
    if (t % DAY_MS === 0 && t <= cutoffMs && value !== null && Number.isFinite(value)) closes.set(t, value);
  }
  return closes;
}

/**
 * Market data from CoinGecko through its official TypeScript SDK. The universe: `/coins/markets` pages name
 * the candidates (today's largest), then each one's `/coins/{id}/market_chart/range` over the 330 days up to the
 * cut-off gives its daily close at the cut-off (market cap, price, volume), its 30-day median volume and
 * price range and its days of history; an asset without a close at the cut-off (or with a market cap of 0 there,
 * CoinGecko's "unknown") is left out. Categories:
 * `/coins/markets?category=` (CoinGecko keeps no history of them, so they are today's). The regime history:
 * `/coins/{id}/market_chart` daily closes up to the cut-off. Requests are spaced to stay under the plan's rate
 * limit; the SDK retries 429s and 5xx.
 */
export function createCoinGeckoProvider({ apiKey, plan = "demo", baseUrl, requestsPerMinute = 30, maxRetries = 4, timeoutMs = 30_000 }: CoinGeckoProviderParameters): MarketDataProvider {
  const client = createCoinGeckoClient({ apiKey, plan, baseUrl, maxRetries, timeoutMs });
  const throttle = createThrottle(60_000 / requestsPerMinute);

  async function request<T>(what: string, schema: z.ZodType<T>, call: () => Promise<unknown>): Promise<T> {
    await throttle();
    let body: unknown;
    try {
      body = await call();
    } catch (cause) {
      throw new CoinGeckoError(`CoinGecko request failed: ${what}`, { cause });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new CoinGeckoError(`CoinGecko answered ${what} with an unexpected body`, { details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) });
    }
    return parsed.data;
  }

  const marketsPage = (page: number, category?: string) =>
    request(`/coins/markets page ${page}${category ? ` (${category})` : ""}`, marketsSchema, () =>
      client.coins.markets.get({ vs_currency: "usd", order: "market_cap_desc", per_page: PAGE_SIZE, page, ...(category ? { category } : {}) }),
    );

  return {
    name: "coingecko",
    async getUniverse(limit, asOf) {
      const cutoffMs = asOf.getTime();
      if (cutoffMs % DAY_MS !== 0) throw new CoinGeckoError(`the data cut-off must be a 00:00 UTC close, got ${asOf.toISOString()}`);
      const rows: z.infer<typeof marketsSchema> = [];
      const usable = (r: (typeof rows)[number]) => r.current_price !== null && r.current_price > 0 && r.market_cap !== null;
      // The ranking moves between two page requests, so a coin can end one page and open the next: taken once.
      const seen = new Set<string>();
      for (let page = 1; rows.length < limit; page++) {
        const batch = await marketsPage(page);
        for (const r of batch) {
          if (!usable(r) || seen.has(r.id)) continue;
          seen.add(r.id);
          rows.push(r);
        }
        if (batch.length < PAGE_SIZE) break;
      }
      const from = new Date(cutoffMs - LOOKBACK_DAYS * DAY_MS).toISOString().slice(0, 16);
      const to = asOf.toISOString().slice(0, 16);
      const assets: MarketAsset[] = [];
      for (const r of rows.slice(0, limit)) {
        let chart: z.infer<typeof chartSchema>;
        try {
          chart = await request(`/coins/${r.id}/market_chart/range`, chartSchema, () => client.coins.marketChart.getRange(r.id, { vs_currency: "usd", from, to }));
        } catch (error) {
          // Delisted or renamed since /coins/markets listed it: no close at the cut-off, so left out (a member is
          // carried forward) rather than stopping the whole universe; CoinGecko being down still fails it.
          if (error instanceof CoinGeckoError && error.cause instanceof NotFoundError) continue;
          throw error;
        }
        const prices = dailyCloses(chart.prices, cutoffMs);
        const caps = dailyCloses(chart.market_caps, cutoffMs);
        const volumes = dailyCloses(chart.total_volumes ?? [], cutoffMs);
        const price = prices.get(cutoffMs);
        const cap = caps.get(cutoffMs);
        // A cap of 0 is CoinGecko's "supply unknown" that day, not a worthless coin: missing, as a null cap is, so
        // that a member is carried forward over the gap (keeper/core/gaps) instead of screened out and sold.
        if (price === undefined || cap === undefined || !(price > 0) || !(cap > 0)) continue;
        const days = [...prices.keys()].sort((a, b) => a - b);
        const stats = dailyCloseStats(days.map((t) => ({ priceUsd: prices.get(t)!, volumeUsd: volumes.get(t) ?? 0 })));
        assets.push({
          id: r.id,
          symbol: r.symbol.toUpperCase(),
          priceUsd: price,
          marketCapUsd: cap,
          volume24hUsd: volumes.get(cutoffMs) ?? 0,
          ...stats,
          historyDays: days.length,
        });
      }
      return assets.sort((a, b) => b.marketCapUsd - a.marketCapUsd || (a.id < b.id ? -1 : 1));
    },
    async getCategoryLists(slugs) {
      // Members ranked by market cap: the first page covers every one that could enter a top 250.
      const lists: Record<string, string[]> = {};
      for (const slug of slugs) lists[slug] = (await marketsPage(1, slug)).map((r) => r.id);
      return lists;
    },
    async getRegimeHistory(ids, days, asOf) {
      // One chart per id; the trend signal is the sum of their market caps, close by close.
      const cutoffMs = asOf.getTime();
      // Each close also carries every id's own market cap, so the regime model sums only those with data on
      // every day it reads.
      const byDay = new Map<number, { marketCapUsd: number; pricesUsd: Record<string, number>; marketCapsUsd: Record<string, number> }>();
      // A day longer than asked, so that the cut-off's own close is inside the chart whatever the time now.
      const span = Math.ceil((Date.now() - cutoffMs) / DAY_MS) + days + 1;
      for (const id of ids) {
        let chart: z.infer<typeof chartSchema>;
        try {
          chart = await request(`/coins/${id}/market_chart`, chartSchema, () => client.coins.marketChart.get(id, { vs_currency: "usd", days: String(span), interval: "daily" }));
        } catch (error) {
          // One delisted or renamed id must not stop the regime check: the others decide without it.
          if (error instanceof CoinGeckoError && error.cause instanceof NotFoundError) continue;
          throw error;
        }
        const caps = dailyCloses(chart.market_caps, cutoffMs);
        for (const [t, price] of dailyCloses(chart.prices, cutoffMs)) {
          const entry = byDay.get(t) ?? { marketCapUsd: 0, pricesUsd: {}, marketCapsUsd: {} };
          entry.pricesUsd[id] = price;
          entry.marketCapsUsd[id] = caps.get(t) ?? 0;
          entry.marketCapUsd += caps.get(t) ?? 0;
          byDay.set(t, entry);
        }
      }
      return [...byDay.entries()]
        .sort(([a], [b]) => a - b)
        .filter(([, o]) => o.marketCapUsd > 0)
        .slice(-days)
        .map(([t, o]): RegimeObservation => ({ asOf: new Date(t).toISOString(), ...o }));
    },
  };
}

/**
 * The CoinGecko SDK client for a plan (the provider's and the data fetcher's): the key in the plan's header, the
 * plan's address unless `baseUrl` is given, no key header at all without a key. The SDK retries 429s and 5xx.
 */
export function createCoinGeckoClient({ apiKey, plan, baseUrl, maxRetries, timeoutMs }: { apiKey?: string; plan: "demo" | "pro"; baseUrl?: string; maxRetries: number; timeoutMs?: number }): Coingecko {
  return new Coingecko({
    ...(plan === "pro" ? { proAPIKey: apiKey ?? null, demoAPIKey: null } : { demoAPIKey: apiKey ?? null, proAPIKey: null }),
    // The SDK takes either an environment (its own address for the plan) or an explicit address.
    ...(baseUrl !== undefined ? { baseURL: baseUrl } : { environment: plan, baseURL: null }),
    // The public API needs no key; the SDK insists on one unless the headers are explicitly omitted.
    ...(apiKey === undefined ? { defaultHeaders: { "x-cg-demo-api-key": null, "x-cg-pro-api-key": null } } : {}),
    maxRetries,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    logLevel: "off",
  });
}

/** Spaces calls at least `intervalMs` apart (a client-side rate limit). */
export function createThrottle(intervalMs: number): () => Promise<void> {
  let next = 0;
  return async () => {
    const now = Date.now();
    const wait = Math.max(0, next - now);
    next = Math.max(now, next) + intervalMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
