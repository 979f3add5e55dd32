import { writeFile } from "node:fs/promises";
import path from "node:path";
import { canonicalSnapshotJson, computeTargets, resolveMethodologyConfig, snapshotHash, type MarketAsset, type Snapshot } from "../../keeper/core/index.js";
import { parseTokenList, tokensByProviderId, type TokenList } from "../../keeper/data/tokenList.js";
import type { Market } from "../../devnet/deployMarket.js";

/** The devnet market's tokens as a Uniswap token list, provider id = lower-case symbol. */
export function tokenListOf(market: Market): TokenList {
  return parseTokenList(
    {
      name: "devnet",
      timestamp: "2025-01-01T00:00:00.000Z",
      version: { major: 1, minor: 0, patch: 0 },
      tokens: market.tokens.map((t) => ({ chainId: market.chainId, address: t.address, name: t.name, symbol: t.symbol, decimals: t.decimals, extensions: { providerId: t.symbol.toLowerCase() } })),
    },
    market.chainId,
  );
}

/**
 * A version 1 snapshot of the devnet market as of `epoch` for `vault`: every token in the universe at its market
 * cap, 5 constituents, bull kept, a 2 % cash buffer unless told otherwise. The audit's attack tests vary one field.
 */
export function devnetSnapshot(
  market: Market,
  epoch: number,
  vault: string,
  currentMembers: string[],
  { registry, methodology, regime, cashBufferBps }: { registry?: string[]; methodology?: Snapshot["methodology"]; regime?: Pick<Snapshot["regime"], "state" | "previous" | "changed">; cashBufferBps?: number } = {},
): Snapshot {
  const universe: MarketAsset[] = market.tokens.map((t) => ({ id: t.symbol.toLowerCase(), symbol: t.symbol, marketCapUsd: t.marketCapUsd, volume24hUsd: t.marketCapUsd / 20, priceUsd: t.priceUsd }));
  const asOf = new Date(epoch * 1000).toISOString();
  return {
    version: 1,
    asOf,
    chainId: market.chainId,
    vault,
    universe,
    registry: registry ?? market.tokens.map((t) => t.symbol.toLowerCase()),
    currentMembers,
    methodology: methodology ?? resolveMethodologyConfig({ constituentCount: 5 }),
    regime: { ...(regime ?? { state: "bull", previous: "bull", changed: false }), asOf, source: "test", inputs: {} },
    cashBufferBps: cashBufferBps ?? 200,
  };
}

/** Writes `snapshot` as the audit reads it (`<epoch>.json`) and returns what a faithful commit of it carries. */
export async function publishSnapshot(dir: string, snapshot: Snapshot, list: TokenList) {
  const json = canonicalSnapshotJson(snapshot);
  const epoch = Math.floor(Date.parse(snapshot.asOf) / 1000);
  await writeFile(path.join(dir, `${epoch}.json`), json);
  const byId = tokensByProviderId(list);
  const entries = [...computeTargets(snapshot).weightsBps].filter(([, bps]) => bps > 0);
  return { epoch, hash: snapshotHash(json), assets: entries.map(([id]) => byId.get(id)!.address), weightsBps: entries.map(([, bps]) => bps), ids: entries.map(([id]) => id).sort() };
}
