import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { getAddress } from "ethers";
import {
  canonicalSnapshotJson,
  carryForwardGaps,
  epochFor,
  computeTargets,
  DEFAULT_REGIME_CONFIG,
  evaluateRegime,
  KeeperError,
  snapshotHash,
  type MarketAsset,
  type RegimeDecision,
  type Snapshot,
} from "../core/index.js";
import { tokensByProviderId } from "../data/tokenList.js";
import type { VaultState } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";

export interface TargetsToCommit {
  regime: "bull" | "bear";
  assets: string[];
  weightsBps: number[];
}

export interface BuildTargetsReturnType {
  snapshot: Snapshot;
  /** The published bytes: canonical JSON. */
  json: string;
  hash: string;
  decision: RegimeDecision;
  targets: TargetsToCommit;
}

/**
 * Market data -> snapshot -> regime and targets, for the vault as it stands. The registry is every token-list
 * id whose token the vault registers (so it has a price source); current members are those with a committed
 * weight. In bear the target is the stablecoin alone.
 */
export async function buildTargets(ctx: KeeperContext, state: VaultState, asOf: Date): Promise<BuildTargetsReturnType> {
  const byId = tokensByProviderId(ctx.tokenList);
  const idByAddress = new Map([...byId].map(([id, t]) => [t.address.toLowerCase(), id]));
  const registeredIds = state.assets.map((a) => idByAddress.get(a.address.toLowerCase())).filter((id): id is string => id !== undefined);
  const members = state.targets
    .filter((t) => t.weightBps > 0 && t.token.address.toLowerCase() !== state.stablecoin.address.toLowerCase())
    .map((t) => idByAddress.get(t.token.address.toLowerCase()))
    .filter((id): id is string => id !== undefined);

  const fetched = await ctx.data.getUniverse(ctx.settings.universeSize);
  const previousUniverse = await lastPublishedUniverse(ctx.settings.snapshotDir, epochFor(asOf));
  const gaps = carryForwardGaps({ universe: fetched, currentMembers: members, previousUniverse, maxGapSnapshots: ctx.settings.maxGapSnapshots });
  for (const { id, missingSnapshots } of gaps.carried) ctx.log.warn({ id, missingSnapshots }, "a member is missing from the market data: carried forward from the last snapshot, not sold");
  for (const id of gaps.dropped) ctx.log.warn({ id }, "a member has been missing from the market data too long: the methodology removes it");
  const universe = gaps.universe;
  const asOfIso = asOf.toISOString();
  let decision: RegimeDecision;
  if (ctx.regimeSource !== undefined) {
    decision = await ctx.regimeSource.getRegime(asOfIso, state.regime);
  } else {
    const config = { ...DEFAULT_REGIME_CONFIG, ...ctx.settings.regime };
    const history = await ctx.data.getRegimeHistory(registeredIds, config.window + config.confirmations + 1);
    decision = evaluateRegime({ history, previous: state.regime, config });
  }
  const snapshot: Snapshot = {
    version: 1,
    asOf: asOfIso,
    chainId: ctx.chainId,
    vault: ctx.vault,
    universe,
    registry: registeredIds,
    currentMembers: members,
    methodology: ctx.settings.methodology,
    regime: decision,
  };
  const json = canonicalSnapshotJson(snapshot);
  return { snapshot, json, hash: snapshotHash(json), decision, targets: targetsFor(ctx, snapshot, state) };
}

/** The universe of the latest snapshot published before `epoch` in `dir`, or null when there is none. */
async function lastPublishedUniverse(dir: string, epoch: bigint): Promise<readonly MarketAsset[] | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new KeeperError(`cannot list the published snapshots in ${dir}`, { cause: error });
  }
  const epochs = names
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((e): e is string => e !== undefined)
    .map(BigInt)
    .filter((e) => e < epoch)
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  if (epochs.length === 0) return null;
  const snapshot = JSON.parse(await readFile(path.join(dir, `${epochs[0]}.json`), "utf8")) as Partial<Snapshot>;
  return snapshot.universe ?? null;
}

/** The commit a snapshot implies: computeTargets mapped to addresses, zero weights dropped; bear: cash only. */
export function targetsFor(ctx: Pick<KeeperContext, "tokenList">, snapshot: Snapshot, state: Pick<VaultState, "stablecoin">): TargetsToCommit {
  if (snapshot.regime.state === "bear") return { regime: "bear", assets: [state.stablecoin.address], weightsBps: [10_000] };
  const byId = tokensByProviderId(ctx.tokenList);
  const { weightsBps } = computeTargets(snapshot);
  const assets: string[] = [];
  const weights: number[] = [];
  for (const [id, bps] of weightsBps) {
    if (bps === 0) continue;
    const token = byId.get(id);
    if (token === undefined) throw new KeeperError(`constituent "${id}" has no token on chain ${snapshot.chainId}`, { details: "The registry only holds ids of the token list, so this is a bug." });
    assets.push(getAddress(token.address));
    weights.push(bps);
  }
  return { regime: "bull", assets, weightsBps: weights };
}
