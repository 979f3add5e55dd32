import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CoinGeckoError, createCoinGeckoClient, createThrottle } from "./coinGeckoProvider.js";

export interface FetchMarketHistoryParameters {
  /** First and last day, YYYY-MM-DD (UTC). */
  readonly from: string;
  readonly to: string;
  /** N: the index's size the data is for; the N x 1.5 (at least N + 20) largest coins of today are fetched. */
  readonly top: number;
  readonly outFile: string;
  /** One file per answer; a rerun reads them instead of asking again (default: OUT.cache next to the output). */
  readonly cacheDir?: string;
  readonly apiKey?: string;
  readonly plan?: "demo" | "pro";
  readonly baseUrl?: string;
  /** The plan's rate: demo allows 30 a minute. */
  readonly requestsPerMinute?: number;
  readonly maxRetries?: number;
  readonly onProgress?: (line: string) => void;
}

export interface FetchMarketHistoryReturnType {
  readonly coins: number;
  readonly rows: number;
  /** Requests sent (the rest came from the cache). */
  readonly requests: number;
}

const PAGE_SIZE = 250;
const STABLECOIN_CATEGORY = "stablecoins";
const DERIVATIVE_CATEGORIES = ["wrapped-tokens", "bridged-tokens", "liquid-staking-tokens"] as const;
const marketsSchema = z.array(z.object({ id: z.string().min(1), symbol: z.string(), market_cap: z.number().nullable() }));
const pointsSchema = z.array(z.tuple([z.number(), z.number().nullable()]));
const rangeSchema = z.object({ prices: pointsSchema, market_caps: pointsSchema, total_volumes: pointsSchema });

/**
 * `keeper data fetch`: a point-in-time dataset (keeper/backtest's JSON schema) from CoinGecko through its SDK:
 * today's largest coins from /coins/markets (and the stablecoin and derivative categories, for the screens), then
 * /coins/{id}/market_chart/range for each, the first point of each UTC day as its close (as the live keeper reads
 * it: a later point that day is intraday). Requests are spaced to
 * the plan's rate; every accepted answer is cached on disk, so an interrupted fetch resumes where it stopped.
 * Coins that died are not in today's list (the inactive-coin list needs a paid plan): the file says it is
 * survivor-biased, and the backtest's report repeats it.
 */
export async function fetchMarketHistory(params: FetchMarketHistoryParameters): Promise<FetchMarketHistoryReturnType> {
  const { from, to, top, outFile, apiKey, plan = "demo", baseUrl, requestsPerMinute = 30, maxRetries = 4, onProgress = () => {} } = params;
  const cacheDir = params.cacheDir ?? `${outFile}.cache`;
  await mkdir(cacheDir, { recursive: true });
  const client = createCoinGeckoClient({ apiKey, plan, baseUrl, maxRetries });
  const throttle = createThrottle(60_000 / requestsPerMinute);
  let requests = 0;

  async function cached<T>(name: string, what: string, schema: z.ZodType<T>, call: () => Promise<unknown>): Promise<T> {
    const file = path.join(cacheDir, `${name}.json`);
    try {
      const hit = schema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (hit.success) return hit.data;
    } catch {
      // Not cached yet (or unreadable): asked below.
    }
    await throttle();
    requests++;
    let body: unknown;
    try {
      body = await call();
    } catch (cause) {
      throw new CoinGeckoError(`CoinGecko request failed: ${what}`, { cause, details: `answers so far are cached in ${cacheDir}: run the same command again to resume` });
    }
    // Only an answer that passes is cached: a refused one (a CDN's error page served with 200) is asked again on a rerun.
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new CoinGeckoError(`CoinGecko answered ${what} with an unexpected body`, { details: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`) });
    await writeFile(`${file}.tmp`, JSON.stringify(body));
    await rename(`${file}.tmp`, file);
    return parsed.data;
  }
  const marketsPage = (page: number, category?: string) =>
    cached(`markets-${category ?? "all"}-${page}`, `/coins/markets page ${page}${category ? ` (${category})` : ""}`, marketsSchema, () =>
      client.coins.markets.get({ vs_currency: "usd", order: "market_cap_desc", per_page: PAGE_SIZE, page, ...(category ? { category } : {}) }),
    );

  const wanted = Math.max(Math.ceil(top * 1.5), top + 20);
  const candidates: z.infer<typeof marketsSchema> = [];
  // The ranking moves between two page requests, so a coin can end one page and open the next: taken once (the
  // dataset refuses two rows for one coin on one day).
  const seen = new Set<string>();
  for (let page = 1; candidates.length < wanted; page++) {
    const batch = await marketsPage(page);
    for (const coin of batch) {
      if (seen.has(coin.id)) continue;
      seen.add(coin.id);
      candidates.push(coin);
    }
    if (batch.length < PAGE_SIZE) break;
  }
  const coins = candidates.slice(0, wanted);
  const stablecoins = new Set((await marketsPage(1, STABLECOIN_CATEGORY)).map((r) => r.id));
  const derivatives = new Set<string>();
  for (const category of DERIVATIVE_CATEGORIES) for (const r of await marketsPage(1, category)) derivatives.add(r.id);

  const rows: object[] = [];
  for (const [i, coin] of coins.entries()) {
    const name = `range-${coin.id}-${from}-${to}`;
    const fresh = requests;
    const chart = await cached(name, `/coins/${coin.id}/market_chart/range`, rangeSchema, () => client.coins.marketChart.getRange(coin.id, { vs_currency: "usd", from, to }));
    onProgress(`[${i + 1}/${coins.length}] ${coin.id}${requests === fresh ? " (cached)" : ""}`);
    // Each UTC day's first point is its close, as the live keeper reads it (00:00 UTC in daily data, the first hour
    // in hourly data); a later point that day is intraday, such as the one CoinGecko appends for a day still running.
    const closes = (points: z.infer<typeof pointsSchema>) => {
      const byDay = new Map<string, { t: number; value: number }>();
      for (const [t, value] of points) {
        if (value === null) continue;
        const date = new Date(t).toISOString().slice(0, 10);
        const seen = byDay.get(date);
        if (seen === undefined || t < seen.t) byDay.set(date, { t, value });
      }
      return new Map([...byDay].map(([date, { value }]) => [date, value]));
    };
    const caps = closes(chart.market_caps);
    const volumes = closes(chart.total_volumes);
    for (const [date, priceUsd] of closes(chart.prices)) {
      if (date < from || date > to || !(priceUsd > 0)) continue;
      rows.push({
        date,
        id: coin.id,
        symbol: coin.symbol.toUpperCase(),
        priceUsd,
        marketCapUsd: caps.get(date) ?? 0,
        volume24hUsd: volumes.get(date) ?? 0,
        ...(stablecoins.has(coin.id) ? { isStablecoin: true } : {}),
        // The category stands for the underlying: the screen needs to know it is a derivative, not of what.
        ...(derivatives.has(coin.id) ? { derivativeOf: "category" } : {}),
      });
    }
  }
  const dataset = {
    schema: "open-index-backtest/1",
    source: `CoinGecko market_chart/range, the ${coins.length} largest coins on ${new Date().toISOString().slice(0, 10)}, ${from} to ${to}`,
    survivorshipBiased: true,
    rows,
  };
  await mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
  await writeFile(`${outFile}.tmp`, JSON.stringify(dataset));
  await rename(`${outFile}.tmp`, outFile);
  return { coins: coins.length, rows: rows.length, requests };
}
