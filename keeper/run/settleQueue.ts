import { IndexQueue__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import { readQueue } from "../chain/readQueue.js";
import { decodeRevert } from "../chain/decodeRevert.js";
import type { KeeperContext } from "./context.js";

export interface QueueSettlement {
  window: bigint;
  /** `settled`: nothing of the window is pending any more; `partial`: cash was short, part of the redemptions wait;
   * `deferred`: a price source had no round after the cut-off (or a vault call failed), see `reason`;
   * `not-settler`: the keeper lacks SETTLER_ROLE and the grace period has not passed, nothing was sent. */
  outcome: "settled" | "partial" | "deferred" | "not-settler";
  /** Deposits settled: assets in, shares out; redemptions settled: shares in, assets out. */
  depositAssets: bigint;
  depositShares: bigint;
  redeemedShares: bigint;
  redeemedAssets: bigint;
  reason?: string;
  hash?: string;
}

/**
 * Settles every window of the keeper's IndexQueue that is past its cut-off with something still pending, oldest
 * first, one transaction each. Idempotent: a window with nothing pending is not sent (the queue would revert
 * IndexQueueNothingToSettle), so running it twice, or after someone else settled, sends nothing; a settlement
 * that fails because another daemon settled the window in between is logged and skipped. No queue configured:
 * nothing to do.
 */
export async function settleQueue(ctx: KeeperContext): Promise<QueueSettlement[]> {
  if (ctx.queue === undefined) return [];
  const state = await readQueue({ runner: ctx.provider, queue: ctx.queue });
  const due = state.windows.filter((w) => w.due);
  if (due.length === 0) return [];
  if (ctx.sender === undefined || ctx.signer === undefined) throw new KeeperError(`settleQueue: ${due.length} window(s) of the queue ${ctx.queue} are due but the keeper has no signer`);
  const queue = IndexQueue__factory.connect(ctx.queue, ctx.provider);
  const isSettler = await queue.hasRole(await queue.SETTLER_ROLE(), await ctx.signer.getAddress());
  const results: QueueSettlement[] = [];
  for (const w of due) {
    const result: QueueSettlement = { window: w.window, outcome: "settled", depositAssets: 0n, depositShares: 0n, redeemedShares: 0n, redeemedAssets: 0n };
    if (!isSettler && state.timestamp < w.openToAllAt) {
      ctx.log.warn({ at: "Keeper.settleQueue", window: w.window.toString(), openToAllAt: new Date(w.openToAllAt * 1000).toISOString() }, "the keeper is not the queue's settler: the window waits for its grace period to end");
      results.push({ ...result, outcome: "not-settler" });
      continue;
    }
    let receipt;
    try {
      receipt = await ctx.sender.send({ to: ctx.queue, data: queue.interface.encodeFunctionData("settle", [w.window]) }, `settle(${w.window})`);
    } catch (error) {
      // Another keeper (a second daemon) or anyone after the grace period may have settled it first.
      if ((await readQueue({ runner: ctx.provider, queue: ctx.queue })).windows.some((x) => x.window === w.window && x.due)) throw error;
      ctx.log.info({ at: "Keeper.settleQueue", window: w.window.toString() }, "queue window already settled by someone else");
      continue;
    }
    result.hash = receipt.hash;
    let sharesLeft = 0n;
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== ctx.queue.toLowerCase()) continue;
      const event = queue.interface.parseLog(log);
      if (event?.name === "DepositsSettled") [result.depositAssets, result.depositShares] = [event.args.assets, event.args.shares];
      if (event?.name === "RedemptionsSettled") [result.redeemedShares, result.redeemedAssets, sharesLeft] = [event.args.shares, event.args.assets, event.args.sharesLeft];
      if (event?.name === "SettlementDeferred") {
        result.outcome = "deferred";
        result.reason = event.args.token === "0x0000000000000000000000000000000000000000" ? `a vault call failed: ${decodeRevert(event.args.reason)?.text ?? event.args.reason}` : `${event.args.token}'s price was last updated at ${new Date(Number(event.args.updatedAt) * 1000).toISOString()}, before the cut-off`;
      }
    }
    if (result.outcome === "settled" && sharesLeft !== 0n) result.outcome = "partial";
    const fields = { at: "Keeper.settleQueue", window: w.window.toString(), outcome: result.outcome, depositAssets: result.depositAssets.toString(), depositShares: result.depositShares.toString(), redeemedShares: result.redeemedShares.toString(), redeemedAssets: result.redeemedAssets.toString(), sharesLeft: sharesLeft.toString(), tx: receipt.hash };
    if (result.outcome === "deferred") ctx.log.warn({ ...fields, reason: result.reason }, "queue settlement deferred: it is retried at the next run (anyone may settle after the grace period), and the window's requesters may cancel meanwhile");
    else ctx.log.info(fields, result.outcome === "partial" ? "queue window settled in part: cash was short, the rest of the redemptions wait for the rebalance's cash" : "queue window settled");
    results.push(result);
  }
  return results;
}
