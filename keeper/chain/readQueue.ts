import type { ContractRunner } from "ethers";
import { IndexQueue__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import { erc20 } from "./erc20.js";

/** How many windows before the current one `readQueue` looks at: two weeks of daily windows. */
export const QUEUE_LOOKBACK_WINDOWS = 14n;

export interface QueueWindow {
  window: bigint;
  /** Unix seconds: requests close, and from a feed round after it on, the window can be settled. */
  cutOff: number;
  /** Unix seconds from which anyone, not only the settler, may settle. */
  openToAllAt: number;
  /** Deposits requested and not cancelled (raw asset units); `depositShares` once settled. */
  depositAssets: bigint;
  depositsSettled: boolean;
  depositShares: bigint;
  /** Shares requested for redemption, and how many of them still wait for cash. */
  redeemShares: bigint;
  redeemSharesLeft: bigint;
  /** A settlement found too little cash and filled the redemptions pro rata. */
  short: boolean;
  /** Past its cut-off with deposits or redemptions still to settle. */
  due: boolean;
}

export interface QueueState {
  address: string;
  /** The chain's latest block time (unix seconds), which windows are judged by. */
  timestamp: number;
  currentWindow: bigint;
  /** When the current window's requests close (unix seconds). */
  currentCutOff: number;
  windowSeconds: number;
  graceSeconds: number;
  /** The current window and the QUEUE_LOOKBACK_WINDOWS before it that had any request, oldest first. */
  windows: QueueWindow[];
  /** Cash waiting for settlement (raw asset units) and shares waiting for cash, over `windows`. */
  pendingDepositAssets: bigint;
  pendingRedeemShares: bigint;
  /**
   * What settled requests have not claimed yet: the queue's vault shares less those still waiting to be
   * redeemed, and its cash less the deposits still waiting to be settled (with the few units that redemption
   * payouts left behind when they rounded down).
   */
  claimableShares: bigint;
  claimableAssets: bigint;
}

/** Reads an IndexQueue: its recent windows (what is pending, what is due for settlement) and what is claimable. */
export async function readQueue({ runner, queue }: { runner: ContractRunner; queue: string }): Promise<QueueState> {
  const q = IndexQueue__factory.connect(queue, runner);
  const [vault, asset, current, windowSeconds, graceSeconds] = await Promise.all([q.share(), q.asset(), q.currentWindow(), q.windowSeconds(), q.graceSeconds()]);
  const block = await runner.provider!.getBlock("latest");
  if (block === null) throw new KeeperError(`readQueue: the node returned no latest block for the queue ${queue}`);
  const first = current > QUEUE_LOOKBACK_WINDOWS ? current - QUEUE_LOOKBACK_WINDOWS : 1n;
  const numbers = Array.from({ length: Number(current - first + 1n) }, (_, i) => first + BigInt(i));
  const read = await Promise.all(numbers.map((n) => Promise.all([q.depositWindow(n), q.redeemWindow(n), q.cutOffOf(n)])));
  const windows: QueueWindow[] = [];
  for (const [i, [d, r, cutOff]] of read.entries()) {
    if (d.assets === 0n && r.units === 0n) continue;
    const pending = (!d.settled && d.assets !== 0n) || r.sharesLeft !== 0n;
    windows.push({
      window: numbers[i],
      cutOff: Number(cutOff),
      openToAllAt: Number(cutOff + graceSeconds),
      depositAssets: d.assets,
      depositsSettled: d.settled,
      depositShares: d.shares,
      redeemShares: r.units,
      redeemSharesLeft: r.sharesLeft,
      short: r.short,
      due: pending && Number(cutOff) <= block.timestamp,
    });
  }
  const pendingDepositAssets = windows.reduce((s, w) => s + (w.depositsSettled ? 0n : w.depositAssets), 0n);
  const pendingRedeemShares = windows.reduce((s, w) => s + w.redeemSharesLeft, 0n);
  const [shares, cash] = await Promise.all([erc20(vault, runner).balanceOf(queue), erc20(asset, runner).balanceOf(queue)]);
  return {
    address: queue,
    timestamp: block.timestamp,
    currentWindow: current,
    currentCutOff: Number(await q.cutOffOf(current)),
    windowSeconds: Number(windowSeconds),
    graceSeconds: Number(graceSeconds),
    windows,
    pendingDepositAssets,
    pendingRedeemShares,
    claimableShares: shares - pendingRedeemShares,
    claimableAssets: cash - pendingDepositAssets,
  };
}
