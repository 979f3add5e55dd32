import Coingecko, { NotFoundError } from "@coingecko/coingecko-typescript";
import { z } from "zod";
import { KeeperError, type MarketAsset, type RegimeObservation } from "../core/index.js";
import type { MarketDataProvider } from "./types.js";

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

/** CoinGecko categories whose members are screened out: stablecoins, and derivatives of another asset. */
const STABLECOIN_CATEGORY = "stablecoins";
const DERIVATIVE_CATEGORIES = ["wrapped-tokens", "bridged-tokens", "liquid-staking-tokens"] as const;
const PAGE_SIZE = 250;

const marketRowSchema = z.object({
  id: z.string().min(1),
  symbol: z.string(),
  current_price: z.number().nullable(),
  market_cap: z.number().nullable(),
  total_volume: z.number().nullable(),
});
const marketsSchema = z.array(marketRowSchema);
const chartSchema = z.object({ prices: z.array(z.tuple([z.number(), z.number()])), market_caps: z.array(z.tuple([z.number(), z.number()])) });

/**
 * Market data from CoinGecko through its official TypeScript SDK: `/coins/markets` pages for the universe,
 * the stablecoin and derivative categories for the screens, `/coins/{id}/market_chart` for the regime
 * history. Requests are spaced to stay under the plan's rate limit; the SDK retries 429s and 5xx.
 */
export function createCoinGeckoProvider({ apiKey, plan = "demo", baseUrl, requestsPerMinute = 30, maxRetries = 4, timeoutMs = 30_000 }: CoinGeckoProviderParameters): MarketDataProvider {
  const client = new Coingecko({
    ...(plan === "pro" ? { proAPIKey: apiKey ?? null, demoAPIKey: null } : { demoAPIKey: apiKey ?? null, proAPIKey: null }),
    // The SDK takes either an environment (its own address for the plan) or an explicit address.
    ...(baseUrl !== undefined ? { baseURL: baseUrl } : { environment: plan, baseURL: null }),
    // The public API needs no key; the SDK insists on one unless the headers are explicitly omitted.
    ...(apiKey === undefined ? { defaultHeaders: { "x-cg-demo-api-key": null, "x-cg-pro-api-key": null } } : {}),
    maxRetries,
    timeout: timeoutMs,
    logLevel: "off",
  });
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
    async getUniverse(limit) {
      const rows: z.infer<typeof marketsSchema> = [];
      const usable = (r: (typeof rows)[number]) => r.current_price !== null && r.current_price > 0 && r.market_cap !== null;
      for (let page = 1; rows.length < limit; page++) {
        const batch = await marketsPage(page);
        rows.push(...batch.filter(usable));
        if (batch.length < PAGE_SIZE) break;
      }
      // Category members ranked by market cap: the first page covers every one that could enter a top 100.
      const stablecoins = new Set((await marketsPage(1, STABLECOIN_CATEGORY)).map((r) => r.id));
      const derivativeCategory = new Map<string, string>();
      for (const category of DERIVATIVE_CATEGORIES) {
        for (const r of await marketsPage(1, category)) derivativeCategory.set(r.id, `category:${category}`);
      }
      return rows
        .slice(0, limit)
        .map(
          (r): MarketAsset => ({
            id: r.id,
            symbol: r.symbol.toUpperCase(),
            priceUsd: r.current_price!,
            marketCapUsd: r.market_cap!,
            volume24hUsd: r.total_volume ?? 0,
            ...(stablecoins.has(r.id) ? { isStablecoin: true } : {}),
            ...(derivativeCategory.has(r.id) ? { derivativeOf: derivativeCategory.get(r.id)! } : {}),
          }),
        );
    },
    async getRegimeHistory(ids, days) {
      // One chart per asset of the universe; each day carries every asset's market cap so the regime model
      // sums only those with data on every day it reads.
      const byDay = new Map<string, { marketCapUsd: number; pricesUsd: Record<string, number>; marketCapsUsd: Record<string, number> }>();
      for (const id of ids) {
        let chart: z.infer<typeof chartSchema>;
        try {
          chart = await request(`/coins/${id}/market_chart`, chartSchema, () => client.coins.marketChart.get(id, { vs_currency: "usd", days: String(days), interval: "daily" }));
        } catch (error) {
          // One delisted or renamed id must not stop the regime check: the others decide without it.
          if (error instanceof CoinGeckoError && error.cause instanceof NotFoundError) continue;
          throw error;
        }
        chart.prices.forEach(([t, price], i) => {
          const day = new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString();
          const entry = byDay.get(day) ?? { marketCapUsd: 0, pricesUsd: {}, marketCapsUsd: {} };
          entry.pricesUsd[id] = price;
          entry.marketCapsUsd[id] = chart.market_caps[i]?.[1] ?? 0;
          entry.marketCapUsd += chart.market_caps[i]?.[1] ?? 0;
          byDay.set(day, entry);
        });
      }
      return [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .filter(([, o]) => o.marketCapUsd > 0)
        .map(([asOf, o]): RegimeObservation => ({ asOf, ...o }));
    },
  };
}

/** Spaces calls at least `intervalMs` apart (a client-side rate limit). */
function createThrottle(intervalMs: number): () => Promise<void> {
  let next = 0;
  return async () => {
    const now = Date.now();
    const wait = Math.max(0, next - now);
    next = Math.max(now, next) + intervalMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
