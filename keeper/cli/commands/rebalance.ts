import { formatBps, formatFixed, formatNumber, formatTable, lastWeeklyRebalance, previewCost, priceAsset18FromUsd, startOfDay } from "../../core/index.js";
import { GAS_PER_TRADE_ESTIMATE } from "../../chain/executeTrades.js";
import { readGasPriceWei } from "../../chain/readGasPriceWei.js";
import type { KeeperContext } from "../../run/context.js";
import { runRebalance, type RebalanceMode, type RunRebalanceReturnType } from "../../run/runRebalance.js";
import { EXIT } from "../exitCodes.js";

export interface RebalanceCommandOptions {
  mode: RebalanceMode;
  dryRun: boolean;
  json: boolean;
  /** A time in the epoch to run (default: the chain's now), taken to its Monday 00:00 UTC or, for a regime check, its day. */
  asOf?: Date;
}

/** `keeper rebalance [--dry-run]` and `keeper plan` (a dry run with a cost preview). */
export async function rebalanceCommand(ctx: KeeperContext, { mode, dryRun, json, asOf }: RebalanceCommandOptions): Promise<number> {
  const block = await ctx.provider.getBlock("latest");
  const now = new Date(block!.timestamp * 1000);
  if (asOf !== undefined && asOf.getTime() > now.getTime()) {
    // The vault refuses an epoch after its block time (a future epoch would block every later commit): say so
    // before anything is published or sent.
    console.error(`keeper: --as-of ${asOf.toISOString()} is after the chain's time ${now.toISOString()}; nothing was sent`);
    return EXIT.usage;
  }
  // An epoch is a scheduled moment: --as-of is taken to its week's Monday (weekly) or its day (regime check).
  const reference = asOf ?? now;
  const at = mode === "weekly" ? lastWeeklyRebalance(reference) : startOfDay(reference);
  const result = await runRebalance(ctx, { asOf: at, mode, dryRun });
  const plan = result.plans[0];
  // Gas valued as the run's gas gate values it: the node's gas price, the native coin at KEEPER_NATIVE_PRICE_USD.
  const nativePriceAsset18 = priceAsset18FromUsd(ctx.settings.nativePriceUsd, result.before.stablecoin.decimals);
  const cost = plan === undefined ? undefined : previewCost(plan, { gasPerTrade: GAS_PER_TRADE_ESTIMATE, gasOverhead: 250_000n, gasPriceWei: await readGasPriceWei(ctx.provider), nativePriceAsset18 });
  if (json) {
    console.log(JSON.stringify(summary(result, cost), (_, v) => (typeof v === "bigint" ? v.toString() : v), 2));
  } else {
    printSummary(result, cost, dryRun);
  }
  return result.complete || dryRun ? EXIT.ok : EXIT.keeper;
}

function summary(result: RunRebalanceReturnType, cost: ReturnType<typeof previewCost> | undefined) {
  return {
    epoch: result.epoch,
    mode: result.mode,
    // Every amount below is in integer base units; the stablecoin's decimals are here, each token's in the vault.
    assetDecimals: result.before.stablecoin.decimals,
    commit: result.commit,
    commitTx: result.commitTx,
    snapshotPath: result.snapshotPath,
    snapshotHash: result.targets?.hash,
    catchUp: result.catchUp,
    unregistered: result.targets?.unregistered,
    unclassifiedEntrants: result.targets?.unclassifiedEntrants,
    regime: result.targets?.decision,
    targets: result.targets?.targets,
    plannedTrades: result.plans.map((p) => [...p.sells, ...p.buys]),
    costPreview: cost,
    batches: result.batches,
    rejected: result.rejected,
    stuck: result.stuck,
    skipped: result.skipped,
    held: result.plans.at(-1)?.held ?? [],
    complete: result.complete,
    navBefore: result.before.navAsset,
    navAfter: result.after.navAsset,
  };
}

function printSummary(result: RunRebalanceReturnType, cost: ReturnType<typeof previewCost> | undefined, dryRun: boolean) {
  const d = result.before.stablecoin.decimals;
  const sym = result.before.stablecoin.symbol;
  const symbolOf = (address: string) => (address === result.before.stablecoin.address ? sym : (result.before.assets.find((a) => a.address === address)?.symbol ?? address.slice(0, 10)));
  const decimalsOf = (address: string) => (address === result.before.stablecoin.address ? d : (result.before.assets.find((a) => a.address === address)?.decimals ?? 18));
  console.log(`Epoch ${result.epoch} (${new Date(Number(result.epoch) * 1000).toISOString()}), ${result.mode}${result.catchUp ? " (catch-up)" : ""}: commit ${result.commit}${result.commitTx ? ` in ${result.commitTx}` : ""}`);
  if (result.targets !== null) {
    const r = result.targets.decision;
    console.log(`Regime ${r.state} (was ${r.previous}, by ${r.source}); snapshot ${result.targets.hash}${result.snapshotPath ? ` published at ${result.snapshotPath}` : result.commit === "dry-run" ? " (dry run: not published, nothing written)" : ""}`);
    console.log(formatTable(["target", "weight"], result.targets.targets.assets.map((a, i) => [symbolOf(a), formatBps(result.targets!.targets.weightsBps[i])])));
    if (result.targets.unregistered.length > 0) console.log(`Ranked in but not on the vault (weight spread over the rest): ${result.targets.unregistered.join(", ")}`);
    if (result.targets.unclassifiedEntrants.length > 0) console.log(`Unclassified ids within the top N + buffer: ${result.targets.unclassifiedEntrants.join(", ")}`);
  }
  const plan = result.plans[0];
  const empty = plan !== undefined && plan.sells.length + plan.buys.length === 0;
  if (empty) {
    console.log(`\nPlan: nothing to trade${plan.deferred.length ? `; ${plan.deferred.length} deferred to the next rebalance` : ""}`);
  } else if (plan !== undefined) {
    console.log(`\nPlan: ${plan.sells.length} sells, then ${plan.buys.length} buys${plan.deferred.length ? `; ${plan.deferred.length} deferred to the next rebalance` : ""}`);
    console.log(formatTable(["side", "token", "amount in (token units)", `value (${sym})`, "modeled impact (bps)"], [...plan.sells, ...plan.buys].map((t) => [t.side, symbolOf(t.side === "sell" ? t.tokenIn : t.tokenOut), formatFixed(t.amountIn, decimalsOf(t.tokenIn), 4), formatFixed(t.expectedValueAsset, d), formatNumber(t.modeledImpactBps, 1)])));
  }
  if (cost !== undefined && !empty) {
    console.log(`\nCost preview: slippage ${formatFixed(cost.slippageAsset, d)} + pool fees ${formatFixed(cost.poolFeeAsset, d)} + gas ${formatFixed(cost.gasAsset, d)} (${formatNumber(Number(cost.gasUnits), 0)} gas) = ${formatFixed(cost.totalAsset, d)} ${sym}, ${formatBps(cost.totalBpsOfNav)} of NAV`);
  }
  if (!dryRun) {
    const trades = result.batches.flatMap((b) => b.trades.map((t) => ({ ...t, tx: b.hash })));
    console.log(`\nExecuted ${trades.length} trades in ${result.batches.length} transactions, ${formatNumber(Number(result.batches.reduce((g, b) => g + b.gasUsed, 0n)), 0)} gas`);
    if (trades.length > 0) {
      console.log(formatTable(["tx", "in", "out", "amount in", "amount out", "min out", `value in (${sym})`, `value out (${sym})`], trades.map((t) => [t.tx.slice(0, 12), symbolOf(t.tokenIn), symbolOf(t.tokenOut), formatFixed(t.amountIn, decimalsOf(t.tokenIn), 4), formatFixed(t.amountOut, decimalsOf(t.tokenOut), 4), formatFixed(t.minAmountOut, decimalsOf(t.tokenOut), 4), formatFixed(t.valueIn, d), formatFixed(t.valueOut, d)])));
    }
    console.log(`NAV ${formatFixed(result.before.navAsset, d)} -> ${formatFixed(result.after.navAsset, d)} ${sym}; ${result.complete ? "holdings on target" : "NOT complete: run again after the loss budget refills or prices settle"}`);
  }
  for (const r of result.rejected) console.log(`rejected: ${symbolOf(r.trade.tokenIn)} -> ${symbolOf(r.trade.tokenOut)}: ${r.reason}`);
  for (const s of result.stuck) console.log(`stuck ${s.side}: ${symbolOf(result.before.assets.find((a) => a.address.toLowerCase() === s.token)?.address ?? s.token)} held for this run; the daily job retries exits`);
  for (const h of result.plans.at(-1)?.held ?? []) if (h.reason === "unpriced") console.log(`skipped ${symbolOf(h.token.address)}: its oracle price is unusable (stale or dead feed), so the vault cannot trade it; held as it is until the feed returns`);
  for (const b of result.skipped) console.log(`not worth its gas: ${b.trades.length} trade(s) worth ${formatFixed(b.valueAsset, d)} ${sym} for ${formatFixed(b.gasCostAsset, d)} ${sym} of gas, left for the next rebalance`);
}
