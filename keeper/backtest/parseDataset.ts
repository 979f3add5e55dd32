import { z } from "zod";
import { KeeperError } from "../core/index.js";
import { marketAssetSchema } from "../data/marketAssetSchema.js";
import type { Dataset, DatasetAsset } from "./types.js";

export class DatasetError extends KeeperError {
  override name = "DatasetError";
}

/** One observation: an asset's close on a day. Every price, market cap and volume is in USD. */
export interface DatasetRow {
  readonly date: string;
  readonly id: string;
  readonly symbol: string;
  readonly priceUsd: number;
  readonly marketCapUsd: number;
  readonly volume24hUsd: number;
  readonly isStablecoin?: boolean;
  readonly derivativeOf?: string;
}

/** The CSV header, in this order. */
export const DATASET_CSV_HEADER = ["date", "id", "symbol", "price_usd", "market_cap_usd", "volume_24h_usd", "is_stablecoin", "derivative_of"] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const rowSchema = z.object({
  date: z.string().regex(DATE, "a YYYY-MM-DD date"),
  ...marketAssetSchema.pick({ id: true, symbol: true, priceUsd: true, marketCapUsd: true, volume24hUsd: true, isStablecoin: true, derivativeOf: true }).shape,
});
const fileSchema = z.object({
  schema: z.literal("open-index-backtest/1"),
  source: z.string().optional(),
  /** The fetcher sets it: a top-N list fetched today has only the survivors. */
  survivorshipBiased: z.boolean().optional(),
  /** Ids with a pool and price source on the vault's chain; default every investable id. */
  registry: z.array(z.string()).optional(),
  rows: z.array(rowSchema).min(1),
});
export type DatasetFile = z.infer<typeof fileSchema>;

/**
 * Reads a point-in-time dataset from its text: JSON `{ "schema": "open-index-backtest/1", "rows": [...] }` or a
 * CSV with DATASET_CSV_HEADER. A row says what was known at the end of its day; an asset without a row on a
 * day is not listed that day (not yet, or no more). A problem names the line or row and the bad value.
 */
export function parseDataset(text: string, name: string): Dataset {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new DatasetError(`${name} is not valid JSON`, { cause });
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new DatasetError(`${name}: ${issue.path.join(".")}: ${issue.message}`, { details: parsed.error.issues.slice(1, 5).map((i) => `${i.path.join(".")}: ${i.message}`) });
    }
    return buildDataset(parsed.data.rows, name, parsed.data.source ?? name, parsed.data.survivorshipBiased, parsed.data.registry);
  }
  return buildDataset(parseCsv(text, name), name, name, undefined, undefined);
}

function parseCsv(text: string, name: string): DatasetRow[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(",").map((h) => h.trim()) ?? [];
  if (DATASET_CSV_HEADER.some((h, i) => header[i] !== h) || header.length !== DATASET_CSV_HEADER.length) {
    throw new DatasetError(`${name}: the CSV header must be ${DATASET_CSV_HEADER.join(",")}, found "${lines[0] ?? ""}"`);
  }
  const rows: DatasetRow[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const lineNo = i + 2;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== DATASET_CSV_HEADER.length) throw new DatasetError(`${name} line ${lineNo}: expected ${DATASET_CSV_HEADER.length} columns, found ${cells.length}`);
    const number = (column: number, positive: boolean): number => {
      const value = Number(cells[column]);
      if (cells[column] === "" || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
        throw new DatasetError(`${name} line ${lineNo}: ${DATASET_CSV_HEADER[column]} must be a ${positive ? "positive" : "non-negative"} number, got "${cells[column]}"`);
      }
      return value;
    };
    const [date, id, symbol, , , , stable, derivativeOf] = cells as [string, string, string, string, string, string, string, string];
    if (!DATE.test(date) || Number.isNaN(Date.parse(date))) throw new DatasetError(`${name} line ${lineNo}: date must be YYYY-MM-DD, got "${date}"`);
    if (id === "") throw new DatasetError(`${name} line ${lineNo}: id is empty`);
    if (!["", "true", "false"].includes(stable)) throw new DatasetError(`${name} line ${lineNo}: is_stablecoin must be true, false or empty, got "${stable}"`);
    rows.push({
      date,
      id,
      symbol: symbol === "" ? id : symbol,
      priceUsd: number(3, true),
      marketCapUsd: number(4, false),
      volume24hUsd: number(5, false),
      ...(stable === "true" ? { isStablecoin: true } : {}),
      ...(derivativeOf !== "" ? { derivativeOf } : {}),
    });
  });
  if (rows.length === 0) throw new DatasetError(`${name} has a header but no rows`);
  return rows;
}

const DAY_MS = 86_400_000;

function buildDataset(rows: readonly DatasetRow[], name: string, source: string, declaredBiased: boolean | undefined, registry: readonly string[] | undefined): Dataset {
  const dateSet = new Set(rows.map((r) => r.date));
  const sortedDates = [...dateSet].sort();
  const first = Date.parse(sortedDates[0]!);
  const last = Date.parse(sortedDates[sortedDates.length - 1]!);
  const dates: string[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (!dateSet.has(date)) throw new DatasetError(`${name}: no rows for ${date}: the data must have every day from ${sortedDates[0]} to ${sortedDates[sortedDates.length - 1]}`);
    dates.push(date);
  }
  const dayOf = new Map(dates.map((d, i) => [d, i]));
  const assets: DatasetAsset[] = [];
  const indexById = new Map<string, number>();
  for (const row of rows) {
    if (indexById.has(row.id)) continue;
    indexById.set(row.id, assets.length);
    assets.push({ id: row.id, symbol: row.symbol, isStablecoin: row.isStablecoin === true, ...(row.derivativeOf !== undefined ? { derivativeOf: row.derivativeOf } : {}), decimals: row.isStablecoin ? 6 : 18 });
  }
  const column = (): Float64Array[] => dates.map(() => new Float64Array(assets.length).fill(Number.NaN));
  const priceUsd = column();
  const marketCapUsd = column();
  const volumeUsd = column();
  for (const row of rows) {
    const day = dayOf.get(row.date)!;
    const asset = indexById.get(row.id)!;
    if (!Number.isNaN(priceUsd[day]![asset]!)) throw new DatasetError(`${name}: two rows for ${row.id} on ${row.date}`);
    priceUsd[day]![asset] = row.priceUsd;
    marketCapUsd[day]![asset] = row.marketCapUsd;
    volumeUsd[day]![asset] = row.volume24hUsd;
  }
  for (const id of registry ?? []) if (!indexById.has(id)) throw new DatasetError(`${name}: registry lists "${id}", which has no rows`);
  const investable = assets.filter((a) => !a.isStablecoin && a.derivativeOf === undefined);
  const lastDay = dates.length - 1;
  const died = investable.filter((a) => Number.isNaN(priceUsd[lastDay]![indexById.get(a.id)!]!));
  return {
    dates,
    assets,
    priceUsd,
    marketCapUsd,
    volumeUsd,
    registry: new Set(registry ?? investable.map((a) => a.id)),
    // Data that keeps assets which later died is not survivor-biased; a file can say so itself (the fetcher does).
    survivorshipBiased: declaredBiased ?? died.length === 0,
    source,
    listedDaysBefore: 0,
  };
}
