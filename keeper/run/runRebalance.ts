import { amountForValue, epochFor, gasCostAsset, KeeperError, oracleCloseOf, planRebalance, priceAsset18FromUsd, tradeDustAsset, valueInAsset, type PlanRebalanceReturnType, type Snapshot, type Trade } from "../core/index.js";
import { executeTrades, GAS_PER_TRADE_ESTIMATE, type ExecutedBatch, type ExecuteTradesParameters, type GasGate, type SkippedBatch } from "../chain/executeTrades.js";
import { quoteRoutedTrades } from "../chain/quoteRoutedTrades.js";
import { resolveVenues } from "../chain/resolveVenues.js";
import { HOP_GAS, legGasUnits } from "../core/routing/legGasUnits.js";
import type { Venue } from "../core/routing/types.js";
import { readVault, type VaultState } from "../chain/readVault.js";
import { resolvePools, type TokenPool } from "../chain/resolvePools.js";
import { commitTargets } from "../chain/commitTargets.js";
import { poolDepthAsset } from "../chain/poolDepthAsset.js";
import { readPoolHead, type PoolHead } from "../chain/readPoolState.js";
import { readGasPriceWei } from "../chain/readGasPriceWei.js";
import { createOracleCloseStore } from "../data/createOracleCloseStore.js";
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
  /**
   * Tokens whose trade the pools rejected (no pool, pool far from the oracle): held for the rest of the run
   * so the other trades go ahead; the daily job retries the exits among them.
   */
  stuck: StuckTrade[];
  /** Transactions not sent because their gas would cost more than maxGasCostBps of what they trade. */
  skipped: SkippedBatch[];
  /**
   * Plans that another keeper's batch made stale before ours landed (the vault refused ours with
   * IndexVaultStaleBatch); each was re-planned from the new state in the next round.
   */
  staleBatches: number;
  /** True when a plan of the final state has nothing left to trade. */
  complete: boolean;
  before: VaultState;
  after: VaultState;
}

export interface StuckTrade {
  token: string;
  side: "sell" | "buy";
  reason: string;
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
  // The regime's own series for a data outage: today's oracle prices, once a day.
  if (!dryRun) await createOracleCloseStore(ctx.settings.snapshotDir, ctx.vault).record(oracleCloseOf({ timestampSeconds: before.timestamp, stablecoinDecimals: before.stablecoin.decimals, assets: before.assets, pricesAsset18: before.pricesAsset18 }));

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
      targets = await buildTargets(ctx, before, asOf, mode);
    }
    const switching = targets.decision.state !== before.regime;
    const due = published !== null || before.epoch === 0n || switching || (mode === "weekly" && targets.decision.state === "bull");
    log.info({ epoch: epoch.toString(), regime: targets.decision.state, previous: before.regime, due }, `${mode}: regime ${targets.decision.state}${switching ? " (switch)" : ""}`);
    // Another keeper sharing the folder may publish the epoch between our read and our write: its file stays,
    // and its targets are the ones to commit.
    const publishOurs = async (built: BuildTargetsReturnType) => {
      const winner = await store.publish(epoch, built.json);
      return winner === built.json ? built : publishedTargets(ctx, winner, before);
    };
    if (due && dryRun) {
      commit = "dry-run";
      if (publish && published === null) targets = await publishOurs(targets);
      // Nothing was written: the summary must not name a file that does not exist.
      else if (published === null) snapshotPath = undefined;
    } else if (due) {
      if (published === null) targets = await publishOurs(targets);
      await ctx.checkpoint?.("snapshot-written");
      try {
        const receipt = await commitTargets({ sender: ctx.sender!, vault: ctx.vault, epoch, regime: targets.targets.regime, assets: targets.targets.assets, weightsBps: targets.targets.weightsBps, snapshotHash: targets.hash });
        commit = "sent";
        commitTx = receipt.hash;
        log.info({ epoch: epoch.toString(), tx: receipt.hash, assets: targets.targets.assets.length, hash: targets.hash }, "targets committed");
      } catch (error) {
        // Another instance committed the epoch between our read and our commit: its targets stand, and this
        // run trades to them like any run that finds the epoch committed.
        const committed = await readVault({ runner: ctx.provider, vault: ctx.vault });
        if (committed.epoch < epoch) throw error;
        commit = "already-committed";
        log.warn({ epoch: epoch.toString(), committed: committed.epoch.toString(), hash: committed.snapshotHash, ours: targets.hash }, "another keeper committed this epoch first: continuing with its targets");
      }
      await ctx.checkpoint?.("committed");
    } else {
      snapshotPath = undefined;
    }
  }

  const plans: PlanRebalanceReturnType[] = [];
  const batches: ExecutedBatch[] = [];
  const rejected: RejectedTrade[] = [];
  const skipped: SkippedBatch[] = [];
  const stuck = new Map<string, StuckTrade>();
  let staleBatches = 0;
  // Tokens whose transaction was not worth its gas: left alone for the rest of the run, not re-planned.
  const crumbs = new Set<string>();
  let state = before;
  let complete = false;
  let pools: Map<string, TokenPool> | undefined;
  let venues: Venue[] | undefined;
  // A daily check that commits nothing leaves drift alone (the weekly run's job) but retries exits that did
  // not complete: a token the targets left that the vault still holds, e.g. a sell no pool would take.
  const exitsOnly = mode === "regime-check" && commit === "not-due";
  const exitsOf = (s: VaultState) => new Set(pendingExits(s));
  const rounds = exitsOnly && exitsOf(before).size === 0 ? 0 : ctx.settings.maxRounds;
  if (rounds === 0) complete = true;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 || commit === "sent" || (commit === "already-committed" && before.epoch < epoch)) state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    if (state.epoch === 0n && !(dryRun && targets !== null)) {
      log.info("no targets committed yet: nothing to trade");
      complete = true;
      break;
    }
    pools ??= await resolvePools({ runner: ctx.provider, factory: ctx.factory, vault: ctx.vault, stablecoin: state.stablecoin.address, tokens: state.assets.map((a) => a.address) });
    // Each pool is read once a round, at the vault's block: its depth for the planner, its state for the first quote.
    if (ctx.routing !== undefined) {
      const quotes = [state.stablecoin.address, ...ctx.routing.connectors];
      venues ??= await resolveVenues({ runner: ctx.provider, vault: ctx.vault, factoryV3: ctx.routing.factoryV3, factoryV2: ctx.routing.factoryV2, tokens: state.assets.map((a) => a.address), quotes });
    }
    const heads = new Map(await Promise.all([...pools.values()].map(async ({ token, pool }) => [token.toLowerCase(), await readPoolHead({ runner: ctx.provider, pool, blockTag: state.blockNumber })] as const)));
    const poolHeads = new Map<string, PoolHead>([...heads.values()].map((h) => [h.address, h]));
    const targetWeights = dryRun && commit === "dry-run" && targets !== null ? dryRunTargets(state, targets) : state.targets;
    const plan = planRebalance({
      holdings: state.holdings,
      prices: state.pricesAsset18,
      targetsBps: targetWeights,
      stablecoin: state.stablecoin,
      navAsset: state.navAsset,
      hold: [...stuck.keys(), ...crumbs],
      targetToleranceBps: state.targetToleranceBps,
      config: { ...ctx.settings.planner, dustAsset: tradeDustAsset({ navAsset: state.navAsset, minTradeBpsOfNav: ctx.settings.minTradeBpsOfNav, dustAsset: ctx.settings.planner.dustAsset ?? 0n }), depthAsset: new Map([...heads].map(([token, head]) => [token, poolDepthAsset(head, state.stablecoin.address)])) },
    });
    plans.push(plan);
    const exits = exitsOf(state);
    const sells = exitsOnly ? plan.sells.filter((t) => exits.has(t.tokenIn.toLowerCase())) : plan.sells;
    const buys = exitsOnly ? [] : plan.buys;
    for (const h of plan.held) {
      if (h.reason !== "unpriced") continue;
      const symbol = state.assets.find((a) => a.address.toLowerCase() === h.token.address.toLowerCase())?.symbol ?? h.token.address;
      log.warn(
        { token: h.token.address, symbol, balance: h.balance.toString(), targetBps: h.targetBps },
        `${symbol} skipped: its oracle price is unusable (stale or dead feed), so the vault cannot trade it and values it at 0; the other constituents trade, and it is sold or bought once its feed returns`,
      );
    }
    log.info({ round: round + 1, sells: sells.length, buys: buys.length, deferred: plan.deferred.length, held: plan.held.length }, sells.length + buys.length === 0 ? "holdings match the targets" : "plan");
    if (sells.length + buys.length === 0) {
      complete = stuck.size === 0 && plan.held.every((h) => crumbs.has(h.token.address.toLowerCase()));
      break;
    }
    // Sells first; the buys are then planned again from the cash the sells actually raised (and from what
    // any other instance did meanwhile). A dry run previews both sides from today's state.
    const side = sells.length > 0 ? sells : buys;
    for (const trades of dryRun ? [sells, buys] : [side]) {
      if (trades.length === 0) continue;
      const result = await executeTrades({
        runner: ctx.provider,
        sender: ctx.sender,
        chainId: ctx.chainId,
        vault: ctx.vault,
        adapter: ctx.routing?.adapter ?? ctx.adapter,
        ...(venues === undefined ? {} : { quote: routedQuote(ctx, state, venues), gasPerTradeEstimate: GAS_PER_TRADE_ESTIMATE + HOP_GAS }),
        quoterV2: ctx.quoterV2,
        stablecoin: state.stablecoin.address,
        pools,
        poolHeads,
        trades,
        slippageBps: ctx.settings.slippageBps,
        txGasBudget: ctx.settings.txGasBudget,
        gasGate: gasGate(ctx, state, exits),
        dryRun,
        expectedBatchSequence: state.batchSequence,
        log: ctx.log,
        onBatchConfirmed: () => ctx.checkpoint?.("batch-confirmed"),
      });
      batches.push(...result.batches);
      if (result.stale) staleBatches++;
      rejected.push(...result.rejected);
      skipped.push(...result.skipped);
      for (const b of result.skipped) for (const t of b.trades) crumbs.add((t.tokenIn.toLowerCase() === state.stablecoin.address.toLowerCase() ? t.tokenOut : t.tokenIn).toLowerCase());
      for (const r of result.rejected) {
        const sell = r.trade.tokenOut.toLowerCase() === state.stablecoin.address.toLowerCase();
        const token = (sell ? r.trade.tokenIn : r.trade.tokenOut).toLowerCase();
        if (!stuck.has(token)) log.warn({ token, side: sell ? "sell" : "buy", reason: r.reason }, "trade rejected: held for the rest of this run, the others go ahead");
        stuck.set(token, { token, side: sell ? "sell" : "buy", reason: r.reason });
      }
    }
    if (dryRun) break;
  }
  const after = dryRun ? before : await readVault({ runner: ctx.provider, vault: ctx.vault });
  return { epoch, mode, targets, commit, catchUp, commitTx, snapshotPath, plans, batches, rejected, stuck: [...stuck.values()], skipped, staleBatches, complete, before, after };
}

/**
 * The snapshot already published for this epoch, if any. One published for another chain or vault means two
 * deployments share a snapshot folder, and one for another vault deployment block hash one of an earlier
 * instance of the chain (a restarted devnet); committing it would commit the wrong data: refused.
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
  // Same chain id and address, another chain: a restarted devnet redeploys the vault at the same address.
  const deployment = snapshot.vaultDeployment;
  if (deployment !== undefined && (deployment.block !== ctx.vaultDeployment.block || deployment.blockHash !== ctx.vaultDeployment.blockHash)) {
    throw new KeeperError(
      `${file} was published for an earlier instance of this chain (the vault's deployment block ${deployment.block} had hash ${deployment.blockHash}; here block ${ctx.vaultDeployment.block} has ${ctx.vaultDeployment.blockHash}): a restarted devnet? Move the old snapshots out of KEEPER_SNAPSHOT_DIR`,
    );
  }
  return json;
}

/** A dry run plans against the targets it would commit, as the vault would store them. */
function dryRunTargets(state: VaultState, built: BuildTargetsReturnType) {
  const weights = new Map(built.targets.assets.map((a, i) => [a.toLowerCase(), built.targets.weightsBps[i]]));
  return state.holdings.map(({ token }) => ({ token, weightBps: weights.get(token.address.toLowerCase()) ?? 0 }));
}

/** Held tokens (lower-case addresses) the committed targets leave out: exits still to complete. */
function pendingExits(state: VaultState): string[] {
  const targeted = new Set(state.targets.filter((t) => t.weightBps > 0).map((t) => t.token.address.toLowerCase()));
  const stable = state.stablecoin.address.toLowerCase();
  return state.holdings.filter((h) => h.balance > 0n && h.token.address.toLowerCase() !== stable && !targeted.has(h.token.address.toLowerCase())).map((h) => h.token.address.toLowerCase());
}

/** The crumbs rule for this state: trades valued at the vault's oracle, gas at the node's gas price. */
function gasGate(ctx: KeeperContext, state: VaultState, exits: ReadonlySet<string>): GasGate {
  const stable = state.stablecoin.address.toLowerCase();
  const decimals = new Map(state.holdings.map((h) => [h.token.address.toLowerCase(), h.token.decimals]));
  const prices = new Map([...state.pricesAsset18].map(([a, p]) => [a.toLowerCase(), p]));
  return {
    maxGasCostBps: ctx.settings.maxGasCostBps,
    costOf: async (gasUnits) => gasCostAsset({ gasUnits, gasPriceWei: await readGasPriceWei(ctx.provider), nativePriceAsset18: nativePriceAsset18(ctx, state) }),
    valueOf(t) {
      if (t.tokenIn.toLowerCase() === stable) return t.amountIn;
      const token = t.tokenIn.toLowerCase();
      return valueInAsset(t.amountIn, decimals.get(token) ?? 18, prices.get(token) ?? 0n);
    },
    isExit: (t) => t.tokenOut.toLowerCase() === stable && exits.has(t.tokenIn.toLowerCase()),
  };
}

/**
 * Routes each transaction's trades over every allowlisted venue (quoteRoutedTrades). A route opened beside
 * another pays its vault trade's gas at the node's gas price, in the order's output token at the oracle price.
 */
function routedQuote(ctx: KeeperContext, state: VaultState, venues: readonly Venue[]): ExecuteTradesParameters["quote"] {
  const stable = state.stablecoin.address.toLowerCase();
  const tokens = new Map(state.holdings.map((h) => [h.token.address.toLowerCase(), h.token]));
  const prices = new Map([...state.pricesAsset18].map(([a, p]) => [a.toLowerCase(), p]));
  return async (trades) => {
    const gasPrice = await readGasPriceWei(ctx.provider);
    return quoteRoutedTrades({
      runner: ctx.provider,
      chainId: ctx.chainId,
      vault: ctx.vault,
      venues,
      connectors: ctx.routing!.connectors,
      trades,
      slippageBps: ctx.settings.slippageBps,
      legCostOut: (route, tokenOut) => {
        const costAsset = gasCostAsset({ gasUnits: legGasUnits(route), gasPriceWei: gasPrice, nativePriceAsset18: nativePriceAsset18(ctx, state) });
        const out = tokenOut.toLowerCase();
        if (out === stable) return costAsset;
        // An unpriced token cannot be traded at all (the vault needs its oracle price): its cost does not matter.
        const price = prices.get(out) ?? 0n;
        return price === 0n ? 0n : amountForValue(costAsset, tokens.get(out)!.decimals, price);
      },
    });
  };
}

/** One native coin in the keeper's price unit, from the configured USD price (KEEPER_NATIVE_PRICE_USD). */
function nativePriceAsset18(ctx: KeeperContext, state: VaultState): bigint {
  return priceAsset18FromUsd(ctx.settings.nativePriceUsd, state.stablecoin.decimals);
}
