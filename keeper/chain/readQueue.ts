import { isError, type ContractRunner } from "ethers";
import { IndexQueue__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import { erc20 } from "./erc20.js";
import { revertData } from "./decodeRevert.js";

/** A simulated cancel that reverted (nothing pending, or past its cut-off) cancels nothing; any other failure is thrown. */
function nothingCancellable(error: unknown): bigint {
  if (isError(error, "CALL_EXCEPTION") || revertData(error) !== null) return 0n;
  throw error;
}

/** How many windows before the current one `readQueue` looks at by default: two weeks of daily windows. */
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

/**
 * One direction of an account's requests (ERC-7540 requestId 0). A controller can have two windows pending per
 * direction (the one past its cut-off and the current one): `pending` adds them up, `window` is the earliest.
 */
export interface QueueRequestSide {
  /** Deposits: raw asset units; redemptions: shares. */
  pending: bigint;
  /** The earliest pending request's window (0: none), its cut-off and when anyone, not only the settler, may settle it. */
  window: bigint;
  cutOff: number;
  openToAllAt: number;
  /** Ready to claim, at the settled ratio: deposits' assets paid and shares owed, redemptions' assets owed and shares redeemed. */
  claimableAssets: bigint;
  claimableShares: bigint;
  /**
   * What the controller's cancel would return now (the queue's own cancel, simulated from the controller): the
   * current window's request, and for redemptions a short window's rest; 0 when nothing can be cancelled.
   */
  cancellable: bigint;
}

/** A controller's requests, from the queue's own ERC-7540 views, and its allowances to the queue. */
export interface QueueAccount {
  address: string;
  deposit: QueueRequestSide;
  redeem: QueueRequestSide;
  /** Allowances to the queue: the asset (for requestDeposit) and the vault's shares (for requestRedeem). */
  assetAllowance: bigint;
  shareAllowance: bigint;
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
  /** The current window and the `lookbackWindows` before it that had any request, oldest first. */
  windows: QueueWindow[];
  /** Cash waiting for settlement (raw asset units) and shares waiting for cash, over `windows`. */
  pendingDepositAssets: bigint;
  pendingRedeemShares: bigint;
  /**
   * What settled requests have not claimed yet: the queue's vault shares less those still waiting to be
   * redeemed, and its cash less the deposits still waiting to be settled (with the few units that redemption
   * payouts left behind when they rounded down). Exact only when `windows` reaches back to every pending request.
   */
  claimableShares: bigint;
  claimableAssets: bigint;
  /** The requests of the `account` asked for. */
  account?: QueueAccount;
}

/**
 * Reads an IndexQueue in two batched rounds of calls: its recent windows (what is pending, what is due for
 * settlement), what is claimable, and with `account` that controller's requests. The keeper's status and
 * settlement and the web app's queued path all read it here (browser-safe: ethers and the generated types only).
 */
export async function readQueue({ runner, queue, account, lookbackWindows = QUEUE_LOOKBACK_WINDOWS }: { runner: ContractRunner; queue: string; account?: string; lookbackWindows?: bigint }): Promise<QueueState> {
  const q = IndexQueue__factory.connect(queue, runner);
  const [vault, asset, current, windowSeconds, graceSeconds, block, mine] = await Promise.all([
    q.share(),
    q.asset(),
    q.currentWindow(),
    q.windowSeconds(),
    q.graceSeconds(),
    runner.provider!.getBlock("latest"),
    account === undefined
      ? undefined
      : Promise.all([
          q.depositWindowOf(account),
          q.pendingDepositRequest(0n, account),
          q.maxDeposit(account),
          q.maxMint(account),
          q.redeemWindowOf(account),
          q.pendingRedeemRequest(0n, account),
          q.maxWithdraw(account),
          q.maxRedeem(account),
          // The contract decides what a cancel takes back (which of the two pending windows): ask it.
          q.cancelDepositRequest.staticCall(account, account, { from: account }).catch(nothingCancellable),
          q.cancelRedeemRequest.staticCall(account, account, { from: account }).catch(nothingCancellable),
        ]),
  ]);
  if (block === null) throw new KeeperError(`readQueue: the node returned no latest block for the queue ${queue}`);
  const first = current > lookbackWindows ? current - lookbackWindows : 1n;
  const numbers = Array.from({ length: Number(current - first + 1n) }, (_, i) => first + BigInt(i));
  const [read, shares, cash, allowances, accountCutOffs] = await Promise.all([
    Promise.all(numbers.map((n) => Promise.all([q.depositWindow(n), q.redeemWindow(n), q.cutOffOf(n)]))),
    erc20(vault, runner).balanceOf(queue),
    erc20(asset, runner).balanceOf(queue),
    account === undefined ? undefined : Promise.all([erc20(asset, runner).allowance(account, queue), erc20(vault, runner).allowance(account, queue)]),
    mine === undefined ? undefined : Promise.all([q.cutOffOf(mine[0]), q.cutOffOf(mine[4])]),
  ]);
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
  const side = (window: bigint, cutOff: bigint, pending: bigint, claimableAssets: bigint, claimableShares: bigint, cancellable: bigint): QueueRequestSide => ({
    pending,
    window,
    cutOff: Number(cutOff),
    openToAllAt: Number(cutOff + graceSeconds),
    claimableAssets,
    claimableShares,
    cancellable,
  });
  return {
    address: queue,
    timestamp: block.timestamp,
    currentWindow: current,
    currentCutOff: Number(read[read.length - 1]![2]),
    windowSeconds: Number(windowSeconds),
    graceSeconds: Number(graceSeconds),
    windows,
    pendingDepositAssets,
    pendingRedeemShares,
    claimableShares: shares - pendingRedeemShares,
    claimableAssets: cash - pendingDepositAssets,
    ...(account === undefined || mine === undefined || allowances === undefined || accountCutOffs === undefined
      ? {}
      : {
          account: {
            address: account,
            deposit: side(mine[0], accountCutOffs[0], mine[1], mine[2], mine[3], mine[8]),
            redeem: side(mine[4], accountCutOffs[1], mine[5], mine[6], mine[7], mine[9]),
            assetAllowance: allowances[0],
            shareAllowance: allowances[1],
          },
        }),
  };
}
