import { IndexQueue__factory, TestToken__factory, type IndexQueue } from "../../types/ethers-contracts/index.js";
import type { Chain } from "./chain.js";

/** One direction of an account's queued requests (ERC-7540, requestId 0: one pending window at a time). */
export interface QueuedSide {
  /** Deposits: stablecoin base units; redemptions: shares. */
  pending: bigint;
  /** The window of the pending request (0: none), its cut-off and when anyone (not only the keeper) may settle it. */
  window: bigint;
  cutOff: number;
  openToAllAt: number;
  /** Ready to claim: assets and shares at the settled ratio. */
  claimableAssets: bigint;
  claimableShares: bigint;
}

export interface QueuePosition {
  address: string;
  currentWindow: bigint;
  currentCutOff: number;
  deposit: QueuedSide;
  redeem: QueuedSide;
  /** The account's allowances to the queue: stablecoin (for requestDeposit) and shares (for requestRedeem). */
  assetAllowance: bigint;
  shareAllowance: bigint;
}

export function queueOf(chain: Chain): IndexQueue | null {
  return chain.config.queue === null ? null : IndexQueue__factory.connect(chain.config.queue, chain.provider);
}

/** The account's pending and claimable requests, from the queue's own ERC-7540 views (one batched round trip, then the cut-offs). */
export async function readQueuePosition(chain: Chain, account: string, stablecoin: string): Promise<QueuePosition | null> {
  const queue = queueOf(chain);
  if (queue === null) return null;
  const stable = TestToken__factory.connect(stablecoin, chain.provider);
  const [current, grace, depositWindow, pendingDeposit, claimDepositAssets, claimDepositShares, redeemWindow, pendingRedeem, claimRedeemAssets, claimRedeemShares, assetAllowance, shareAllowance] = await Promise.all([
    queue.currentWindow(),
    queue.graceSeconds(),
    queue.depositWindowOf(account),
    queue.pendingDepositRequest(0n, account),
    queue.maxDeposit(account),
    queue.maxMint(account),
    queue.redeemWindowOf(account),
    queue.pendingRedeemRequest(0n, account),
    queue.maxWithdraw(account),
    queue.maxRedeem(account),
    stable.allowance(account, queue.target as string),
    chain.vault.allowance(account, queue.target as string),
  ]);
  const [currentCutOff, depositCutOff, redeemCutOff] = (await Promise.all([current, depositWindow, redeemWindow].map((w) => queue.cutOffOf(w)))).map(Number);
  const side = (window: bigint, cutOff: number, pending: bigint, claimableAssets: bigint, claimableShares: bigint): QueuedSide => ({
    pending,
    window,
    cutOff,
    openToAllAt: cutOff + Number(grace),
    claimableAssets,
    claimableShares,
  });
  return {
    address: queue.target as string,
    currentWindow: current,
    currentCutOff: currentCutOff!,
    deposit: side(depositWindow, depositCutOff!, pendingDeposit, claimDepositAssets, claimDepositShares),
    redeem: side(redeemWindow, redeemCutOff!, pendingRedeem, claimRedeemAssets, claimRedeemShares),
    assetAllowance,
    shareAllowance,
  };
}
