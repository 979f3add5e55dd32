import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { KeeperError, type RegimeObservation, type Snapshot } from "../core/index.js";
import type { VaultState } from "../chain/readVault.js";
import { tokensByProviderId } from "../data/tokenList.js";
import type { KeeperContext } from "./context.js";

/** One UTC day's first reading of the vault's oracle: token address (lower case) -> USD price. */
export interface OracleClose {
  asOf: string;
  pricesUsd: Record<string, number>;
}

interface OracleClosesFile {
  vault: string;
  closes: OracleClose[];
}

const DAY_MS = 86_400_000;
/** Enough for the longest window the configuration allows, with room for gaps. */
const KEPT_DAYS = 800;

const fileOf = (ctx: Pick<KeeperContext, "settings">) => path.join(ctx.settings.snapshotDir, "oracle-closes.json");

async function readCloses(ctx: Pick<KeeperContext, "settings" | "vault">): Promise<OracleClose[]> {
  let json: string;
  try {
    json = await readFile(fileOf(ctx), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new KeeperError(`cannot read ${fileOf(ctx)}`, { cause: error });
  }
  const parsed = JSON.parse(json) as OracleClosesFile;
  if (parsed.vault?.toLowerCase() !== ctx.vault.toLowerCase()) throw new KeeperError(`${fileOf(ctx)} was recorded for vault ${parsed.vault}, not ${ctx.vault}`);
  return parsed.closes;
}

/**
 * Records the vault's oracle prices as the day's close, once per UTC day (the first reading wins, as a daily
 * close should), so that the regime check has a series of its own when the market data provider is down.
 */
export async function recordOracleClose(ctx: Pick<KeeperContext, "settings" | "vault">, state: VaultState): Promise<void> {
  const day = new Date(Math.floor((state.timestamp * 1000) / DAY_MS) * DAY_MS).toISOString();
  const closes = await readCloses(ctx);
  if (closes.length > 0 && closes[closes.length - 1]!.asOf >= day) return;
  const unit = 10 ** state.stablecoin.decimals;
  const pricesUsd: Record<string, number> = {};
  for (const asset of state.assets) {
    const price = state.pricesAsset18.get(asset.address);
    if (price !== undefined && price > 0n) pricesUsd[asset.address.toLowerCase()] = Number(price) / 1e18 / unit;
  }
  const file = fileOf(ctx);
  await mkdir(path.dirname(file), { recursive: true });
  const body: OracleClosesFile = { vault: ctx.vault, closes: [...closes, { asOf: day, pricesUsd }].slice(-KEPT_DAYS) };
  // A temp name of this process's own: a second keeper sharing the folder records the same day at the same time.
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, JSON.stringify(body));
  await rename(temp, file);
}

/**
 * The regime model's history rebuilt from the recorded oracle closes, for when the data provider is down:
 * prices by provider id, and as the signal each asset's price times the supply the latest snapshot gave it
 * (market cap / price), so the basket's weights stay fixed over the window. Without a snapshot every asset
 * counts for the same value on the first close.
 */
export async function oracleRegimeHistory(ctx: Pick<KeeperContext, "settings" | "vault" | "tokenList">, latest: Snapshot | null): Promise<RegimeObservation[]> {
  const closes = await readCloses(ctx);
  const idOf = new Map([...tokensByProviderId(ctx.tokenList)].map(([id, t]) => [t.address.toLowerCase(), id]));
  const supply = new Map<string, number>();
  for (const a of latest?.universe ?? []) if (a.priceUsd > 0 && a.marketCapUsd > 0) supply.set(a.id, a.marketCapUsd / a.priceUsd);
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
