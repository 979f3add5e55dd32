import {
  canonicalSnapshotJson,
  commitForSnapshot,
  DEFAULT_PLANNER_CONFIG,
  DEFAULT_REGIME_CONFIG,
  evaluateRegime,
  KeeperError,
  snapshotHash,
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

  const universe = await ctx.data.getUniverse(ctx.settings.universeSize);
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
    cashBufferBps: ctx.settings.planner?.cashBufferBps ?? DEFAULT_PLANNER_CONFIG.cashBufferBps,
  };
  const json = canonicalSnapshotJson(snapshot);
  return { snapshot, json, hash: snapshotHash(json), decision, targets: targetsFor(ctx, snapshot, state) };
}

/** The commit a snapshot implies (the core's one rule), as the vault's commitTargets arguments. */
export function targetsFor(ctx: Pick<KeeperContext, "tokenList">, snapshot: Snapshot, state: Pick<VaultState, "stablecoin">): TargetsToCommit {
  const addressOf = new Map([...tokensByProviderId(ctx.tokenList)].map(([id, t]) => [id, t.address]));
  const commit = commitForSnapshot(snapshot, addressOf, state.stablecoin.address);
  if (commit.unmapped.length > 0) throw new KeeperError(`constituent "${commit.unmapped[0]}" has no token on chain ${snapshot.chainId}`, { details: "The registry only holds ids of the token list, so this is a bug." });
  return { regime: commit.regime, assets: commit.targets.map((t) => t.token), weightsBps: commit.targets.map((t) => t.weightBps) };
}
