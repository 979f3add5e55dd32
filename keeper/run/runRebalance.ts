import { epochFor, KeeperError, planRebalance, type PlanRebalanceReturnType, type Snapshot, type Trade } from "../core/index.js";
import { executeTrades, type ExecutedBatch } from "../chain/executeTrades.js";
import { readVault, type VaultState } from "../chain/readVault.js";
import { resolvePools, type TokenPool } from "../chain/resolvePools.js";
import { commitTargets } from "../chain/commitTargets.js";
import { readPoolDepths } from "../chain/readPoolDepths.js";
import { createSnapshotStore, type SnapshotStore } from "../data/createSnapshotStore.js";
import type { RejectedTrade } from "../chain/quoteTrades.js";
import { buildTargets, publishedTargets, type BuildTargetsReturnType } from "./buildTargets.js";
import type { KeeperContext } from "./context.js";


/** Why a run starts: the Monday rebalance, or the daily regime check (which commits only on a switch). */
export type RebalanceMode = "weekly" | "regime-check";

export interface RunRebalanceParameters {
  asOf: Date;
  mode: RebalanceMode;
  /** Plan, quote and simulate; send nothing, write nothing. */
  dryRun?: boolean;
  /**
   * With `dryRun`: still publish the snapshot when a commit is due (the notice does, so that Monday commits
   * exactly the hash it announced). Sends nothing either way.
   */
  publish?: boolean;
  /** A weekly run on a later day than its Monday (the Monday run failed): it commits Monday's snapshot, labelled so. */
  catchUp?: boolean;
}

export interface RunRebalanceReturnType {
  epoch: bigint;
  mode: RebalanceMode;
  /** What the committed (or, dry, to-be-committed) targets came from; null when nothing was due. */
  targets: BuildTargetsReturnType | null;
  commit: "sent" | "already-committed" | "not-due" | "dry-run";
  /** A catch-up of a missed Monday: the epoch and snapshot are still Monday's. */
  catchUp: boolean;
  commitTx?: string;
  snapshotPath?: string;
  plans: PlanRebalanceReturnType[];
  batches: ExecutedBatch[];
  rejected: RejectedTrade[];
  /** True when a plan of the final state has nothing left to trade. */
  complete: boolean;
  before: VaultState;
  after: VaultState;
}

/**
 * One keeper run, every step starting from chain state so that a crash anywhere, or a second instance,
 * never trades twice: wait for our pending transactions; read the vault; if this epoch is not committed yet
 * and a commit is due, build the snapshot, publish it (reusing an already published one for the epoch), commit
 * it; then plan from the vault's committed targets and holdings, execute, and re-plan from the new state until
 * nothing is left (or maxRounds).
 */
export async function runRebalance(ctx: KeeperContext, { asOf, mode, dryRun = false, publish = false, catchUp = false }: RunRebalanceParameters): Promise<RunRebalanceReturnType> {
  const log = ctx.log.child({ at: "Rebalancer" });
  if (!dryRun && ctx.sender === undefined) throw new KeeperError("this command sends transactions: configure KEEPER_PRIVATE_KEY or KEEPER_KEYSTORE");
  if (!dryRun) await ctx.sender!.waitForPending();
  const epoch = epochFor(asOf);
  const before = await readVault({ runner: ctx.provider, vault: ctx.vault });
  if (before.rebalancesPaused) throw new KeeperError("rebalances are paused by the guardian; nothing was done");

  let targets: BuildTargetsReturnType | null = null;
  let commit: RunRebalanceReturnType["commit"] = "not-due";
  let commitTx: string | undefined;
  let snapshotPath: string | undefined;
  if (before.epoch >= epoch) {
    commit = "already-committed";
    log.info({ epoch: epoch.toString(), committed: before.epoch.toString() }, "epoch already committed: continuing with its trades");
  } else {
    const store = createSnapshotStore(ctx.settings.snapshotDir);
    snapshotPath = store.fileFor(epoch);
    // A snapshot already published for this epoch (by the notice, or a run that stopped before its commit)
    // decides, not fresh data: Monday commits exactly the hash the notice announced.
    const published = await readPublishedSnapshot(store, epoch, ctx);
    if (published !== null) {
      log.info({ snapshotPath, catchUp }, `${catchUp ? "catch-up: " : ""}committing the snapshot already published for this epoch`);
      targets = publishedTargets(ctx, published, before);
    } else {
      targets = await buildTargets(ctx, before, asOf);
    }
    const switching = targets.decision.state !== before.regime;
    const due = published !== null || before.epoch === 0n || switching || (mode === "weekly" && targets.decision.state === "bull");
    log.info({ epoch: epoch.toString(), regime: targets.decision.state, previous: before.regime, due }, `${mode}: regime ${targets.decision.state}${switching ? " (switch)" : ""}`);
    if (due && dryRun) {
      commit = "dry-run";
      if (publish && published === null) await store.publish(epoch, targets.json);
    } else if (due) {
      if (published === null) await store.publish(epoch, targets.json);
      await ctx.checkpoint?.("snapshot-written");
      const receipt = await commitTargets({ sender: ctx.sender!, vault: ctx.vault, epoch, regime: targets.targets.regime, assets: targets.targets.assets, weightsBps: targets.targets.weightsBps, snapshotHash: targets.hash });
      commit = "sent";
      commitTx = receipt.hash;
      log.info({ epoch: epoch.toString(), tx: receipt.hash, assets: targets.targets.assets.length, hash: targets.hash }, "targets committed");
      await ctx.checkpoint?.("committed");
    } else {
      snapshotPath = undefined;
    }
  }

  const plans: PlanRebalanceReturnType[] = [];
  const batches: ExecutedBatch[] = [];
  const rejected: RejectedTrade[] = [];
  let state = before;
  let complete = false;
  let pools: Map<string, TokenPool> | undefined;
  // A daily check that commits nothing leaves the holdings alone: drift is the weekly run's job.
  const rounds = mode === "regime-check" && commit === "not-due" ? 0 : ctx.settings.maxRounds;
  if (rounds === 0) complete = true;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 || commit === "sent") state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    if (state.epoch === 0n && !(dryRun && targets !== null)) {
      log.info("no targets committed yet: nothing to trade");
      complete = true;
      break;
    }
    pools ??= await resolvePools({ runner: ctx.provider, factory: ctx.factory, vault: ctx.vault, stablecoin: state.stablecoin.address, tokens: state.assets.map((a) => a.address) });
    const targetWeights = dryRun && commit === "dry-run" && targets !== null ? dryRunTargets(state, targets) : state.targets;
    const plan = planRebalance({
      holdings: state.holdings,
      prices: state.pricesAsset18,
      targetsBps: targetWeights,
      stablecoin: state.stablecoin,
      navAsset: state.navAsset,
      config: { ...ctx.settings.planner, dustAsset: dustFor(ctx, state.navAsset), depthAsset: await readPoolDepths({ runner: ctx.provider, stablecoin: state.stablecoin.address, pools }) },
    });
    plans.push(plan);
    const trades: Trade[] = [...plan.sells, ...plan.buys];
    log.info({ round: round + 1, sells: plan.sells.length, buys: plan.buys.length, deferred: plan.deferred.length }, trades.length === 0 ? "holdings match the targets" : "plan");
    if (trades.length === 0) {
      complete = true;
      break;
    }
    // Sells first; the buys are then planned again from the cash the sells actually raised (and from what
    // any other instance did meanwhile). A dry run previews both sides from today's state.
    const side = plan.sells.length > 0 ? plan.sells : plan.buys;
    for (const trades of dryRun ? [plan.sells, plan.buys] : [side]) {
      if (trades.length === 0) continue;
      const result = await executeTrades({
        runner: ctx.provider,
        sender: ctx.sender,
        chainId: ctx.chainId,
        vault: ctx.vault,
        adapter: ctx.adapter,
        quoterV2: ctx.quoterV2,
        stablecoin: state.stablecoin.address,
        pools,
        trades,
        slippageBps: ctx.settings.slippageBps,
        txGasBudget: ctx.settings.txGasBudget,
        dryRun,
        log: ctx.log,
        onBatchConfirmed: () => ctx.checkpoint?.("batch-confirmed"),
      });
      batches.push(...result.batches);
      rejected.push(...result.rejected);
    }
    if (dryRun) break;
  }
  const after = dryRun ? before : await readVault({ runner: ctx.provider, vault: ctx.vault });
  return { epoch, mode, targets, commit, catchUp, commitTx, snapshotPath, plans, batches, rejected, complete, before, after };
}

/**
 * The snapshot already published for this epoch, if any. One published for another chain or vault means two
 * deployments share a snapshot folder, which would commit the wrong data: refused.
 */
async function readPublishedSnapshot(store: SnapshotStore, epoch: bigint, ctx: KeeperContext): Promise<string | null> {
  const file = store.fileFor(epoch);
  let json: string | null;
  try {
    json = await store.read(epoch);
  } catch (error) {
    throw new KeeperError(`cannot read the published snapshot ${file}`, { cause: error });
  }
  if (json === null) return null;
  const snapshot = JSON.parse(json) as Partial<Snapshot>;
  if (snapshot.chainId !== ctx.chainId || snapshot.vault?.toLowerCase() !== ctx.vault.toLowerCase()) {
    throw new KeeperError(`${file} was published for another deployment`, {
      details: [`it is for chain ${snapshot.chainId}, vault ${snapshot.vault ?? "(none)"}; this keeper runs chain ${ctx.chainId}, vault ${ctx.vault}`, "Give each vault its own KEEPER_SNAPSHOT_DIR."],
    });
  }
  return json;
}

/** A dry run plans against the targets it would commit, as the vault would store them. */
function dryRunTargets(state: VaultState, built: BuildTargetsReturnType) {
  const weights = new Map(built.targets.assets.map((a, i) => [a.toLowerCase(), built.targets.weightsBps[i]]));
  return state.holdings.map(({ token }) => ({ token, weightBps: weights.get(token.address.toLowerCase()) ?? 0 }));
}

/** The larger of the planner's absolute dust and the minimum trade as a share of NAV. */
function dustFor(ctx: KeeperContext, navAsset: bigint): bigint {
  const relative = (navAsset * BigInt(ctx.settings.minTradeBpsOfNav)) / 10_000n;
  const absolute = ctx.settings.planner.dustAsset ?? 0n;
  return relative > absolute ? relative : absolute;
}
