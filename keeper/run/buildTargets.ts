import { getAddress } from "ethers";
import {
  canonicalSnapshotJson,
  carryForwardGaps,
  epochFor,
  computeTargets,
  KeeperError,
  snapshotHash,
  type MarketAsset,
  type RegimeDecision,
  type Snapshot,
} from "../core/index.js";
import { tokensByProviderId } from "../data/tokenList.js";
import { decideRegime } from "./decideRegime.js";
import { publishedSnapshotsBefore, type PublishedSnapshot } from "./publishedSnapshots.js";
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
export async function buildTargets(ctx: KeeperContext, state: VaultState, asOf: Date, mode: "weekly" | "regime-check" = "weekly"): Promise<BuildTargetsReturnType> {
  const byId = tokensByProviderId(ctx.tokenList);
  const idByAddress = new Map([...byId].map(([id, t]) => [t.address.toLowerCase(), id]));
  const registeredIds = state.assets.map((a) => idByAddress.get(a.address.toLowerCase())).filter((id): id is string => id !== undefined);
  const members = state.targets
    .filter((t) => t.weightBps > 0 && t.token.address.toLowerCase() !== state.stablecoin.address.toLowerCase())
    .map((t) => idByAddress.get(t.token.address.toLowerCase()))
    .filter((id): id is string => id !== undefined);

  const published = await publishedSnapshotsBefore(ctx.settings.snapshotDir, epochFor(asOf));
  const latest = published.length > 0 ? await published[0]!.read() : null;
  let fetched: readonly MarketAsset[] | null;
  try {
    fetched = await ctx.data.getUniverse(ctx.settings.universeSize);
  } catch (error) {
    ctx.log.error({ at: "Targets", error: (error as Error).message }, "market data unavailable");
    fetched = null;
  }
  const decision = await decideRegime(ctx, { state, asOf, universe: fetched, latest });
  let universe: readonly MarketAsset[];
  if (fetched !== null) {
    const gaps = carryForwardGaps({ universe: fetched, currentMembers: members, previousUniverse: latest?.universe ?? null, maxGapSnapshots: ctx.settings.maxGapSnapshots });
    for (const { id, missingSnapshots } of gaps.carried) ctx.log.warn({ id, missingSnapshots }, "a member is missing from the market data: carried forward from the last snapshot, not sold");
    for (const id of gaps.dropped) ctx.log.warn({ id }, "a member has been missing from the market data too long: the methodology removes it");
    universe = gaps.universe;
  } else {
    // Only a bull commit needs the market's universe: a weekly run, or a switch back to bull.
    const needsUniverse = decision.state === "bull" && (mode === "weekly" || decision.changed);
    universe = await lastGoodUniverse(ctx, published, asOf, needsUniverse);
  }
  const asOfIso = asOf.toISOString();
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

/**
 * The universe to use while the market data provider is down: the latest published snapshot's, if its data
 * is no older than maxSnapshotAgeDays (a universe already reused during this outage dates from the first
 * snapshot that published it). Older, a bear target (cash only) or a daily check that commits nothing gets
 * the old one for the record; a bull commit is refused, so the run skips with an error (the daemon's alert).
 */
async function lastGoodUniverse(ctx: KeeperContext, published: readonly PublishedSnapshot[], asOf: Date, needsUniverse: boolean): Promise<readonly MarketAsset[]> {
  const latest = published.length > 0 ? await published[0]!.read() : null;
  let dataAsOf = latest?.asOf;
  const same = JSON.stringify(latest?.universe);
  for (const older of published.slice(1)) {
    const snapshot = await older.read();
    if (JSON.stringify(snapshot.universe) !== same) break;
    dataAsOf = snapshot.asOf;
  }
  const ageDays = dataAsOf === undefined ? Infinity : (asOf.getTime() - Date.parse(dataAsOf)) / 86_400_000;
  if (ageDays <= ctx.settings.maxSnapshotAgeDays) {
    ctx.log.warn({ at: "Targets", dataAsOf }, "using the last good snapshot's universe");
    return latest!.universe;
  }
  if (!needsUniverse) return latest?.universe ?? [];
  throw new KeeperError("market data unavailable and no recent snapshot to fall back on: skipped, nothing committed", {
    details: [
      dataAsOf === undefined ? "no snapshot has been published yet" : `the last good snapshot's data (${dataAsOf}) is ${ageDays.toFixed(1)} days old; at most ${ctx.settings.maxSnapshotAgeDays} (KEEPER_OUTAGE_MAX_SNAPSHOT_AGE_DAYS)`,
      "The regime check still runs on the vault's oracle closes; the rebalance runs again when the data is back.",
    ],
  });
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
