import { readFile } from "node:fs/promises";
import { z } from "zod";
import { KeeperError, type MarketAsset, type RegimeObservation } from "../core/index.js";
import { marketAssetSchema } from "./marketAssetSchema.js";
import type { MarketDataProvider } from "./types.js";

export class MarketDataFileError extends KeeperError {
  override name = "MarketDataFileError";
}

const observationSchema = z.object({
  asOf: z.string().datetime(),
  marketCapUsd: z.number().finite().positive(),
  pricesUsd: z.record(z.number().finite().positive()).optional(),
});
const fileSchema = z.object({
  asOf: z.string().datetime().optional(),
  assets: z.array(marketAssetSchema).min(1),
  history: z.array(observationSchema).optional(),
  categoryLists: z.record(z.array(z.string().min(1))).optional(),
});

/**
 * Market data from a file: a JSON snapshot `{ asOf?, assets: MarketAsset[], history?: RegimeObservation[],
 * categoryLists? }`, or a CSV of assets with the header
 * `id,symbol,market_cap_usd,volume_24h_usd,price_usd,is_stablecoin,derivative_of` (a CSV has no history, so
 * the regime then needs another source). Point-in-time: the assets are the market at the file's `asOf`, so
 * a read for an earlier cut-off is refused (an undated file is taken to hold whatever cut-off is asked);
 * history reads stop at the cut-off.
 */
export async function createFileProvider(path: string): Promise<MarketDataProvider> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new MarketDataFileError(`cannot read market data file ${path}`, { cause });
  }
  const { assets, history, asOf: fileAsOf, categoryLists } = path.endsWith(".csv") ? { assets: parseAssetsCsv(text, path), history: undefined, asOf: undefined, categoryLists: undefined } : parseJsonFile(text, path);
  return {
    name: `file:${path}`,
    async getUniverse(limit, asOf) {
      if (fileAsOf !== undefined && Date.parse(fileAsOf) > asOf.getTime()) {
        throw new MarketDataFileError(`${path} describes the market at ${fileAsOf}, after the cut-off ${asOf.toISOString()}: no data as of the cut-off`);
      }
      return [...assets].sort((a, b) => b.marketCapUsd - a.marketCapUsd).slice(0, Math.max(limit, 0));
    },
    async getRegimeHistory(ids, days, asOf) {
      if (history === undefined) throw new MarketDataFileError(`${path} has no "history": the regime model needs one`);
      const wanted = new Set(ids);
      const cutoffMs = asOf.getTime();
      return history.filter((o) => Date.parse(o.asOf) <= cutoffMs).slice(-days).map((o) => ({
        asOf: o.asOf,
        marketCapUsd: o.marketCapUsd,
        pricesUsd: o.pricesUsd === undefined ? undefined : Object.fromEntries(Object.entries(o.pricesUsd).filter(([id]) => wanted.has(id))),
      }));
    },
    ...(categoryLists === undefined
      ? {}
      : {
          async getCategoryLists(slugs: readonly string[]) {
            return Object.fromEntries(slugs.map((slug) => [slug, categoryLists[slug] ?? []]));
          },
        }),
  };
}

function parseJsonFile(text: string, path: string): { assets: MarketAsset[]; history?: RegimeObservation[]; asOf?: string; categoryLists?: Record<string, string[]> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new MarketDataFileError(`${path} is not valid JSON`, { cause });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new MarketDataFileError(`${path} is not a market data file`, { details: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
  return parsed.data;
}

const CSV_HEADER = ["id", "symbol", "market_cap_usd", "volume_24h_usd", "price_usd", "is_stablecoin", "derivative_of"];

export function parseAssetsCsv(text: string, source: string): MarketAsset[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0]?.split(",").map((h) => h.trim());
  if (header === undefined || CSV_HEADER.some((h, i) => header[i] !== h)) {
    throw new MarketDataFileError(`${source}: the CSV header must be ${CSV_HEADER.join(",")}`, { details: `found: ${lines[0] ?? "(empty file)"}` });
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(",").map((c) => c.trim());
    const number = (column: number) => {
      const value = Number(cells[column]);
      if (cells[column] === "" || !Number.isFinite(value) || value < 0) {
        throw new MarketDataFileError(`${source} line ${i + 2}: ${CSV_HEADER[column]} must be a non-negative number, got "${cells[column] ?? ""}"`);
      }
      return value;
    };
    if (!cells[0]) throw new MarketDataFileError(`${source} line ${i + 2}: id is empty`);
    // Anything else (a spreadsheet's TRUE, 1, yes) would silently read as "not a stablecoin".
    if (!["", "true", "false"].includes(cells[5] ?? "")) throw new MarketDataFileError(`${source} line ${i + 2}: is_stablecoin must be true, false or empty, got "${cells[5]}"`);
    return {
      id: cells[0],
      symbol: cells[1] ?? cells[0],
      marketCapUsd: number(2),
      volume24hUsd: number(3),
      priceUsd: number(4),
      isStablecoin: cells[5] === "true" || undefined,
      derivativeOf: cells[6] ? cells[6] : undefined,
    };
  });
}
