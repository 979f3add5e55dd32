import { formatFixed, formatTable } from "../../core/index.js";
import type { QueueState } from "../../chain/readQueue.js";

/**
 * `keeper status`'s queue section: what waits for settlement (per window, with its cut-off and state) and what
 * settled requests have not claimed yet. Shares have the asset's decimals plus the vault's 6-decimal offset.
 */
export function formatQueueStatus(queue: QueueState, asset: { symbol: string; decimals: number }): string[] {
  const d = asset.decimals;
  const shareDecimals = d + 6;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const lines = [
    `Queue          ${queue.address}: window ${queue.currentWindow} open, requests close at ${iso(queue.currentCutOff)} (settled once a feed round after it is in, by the keeper; by anyone ${queue.graceSeconds / 3600} h later)`,
    `Pending        ${formatFixed(queue.pendingDepositAssets, d)} ${asset.symbol} to deposit, ${formatFixed(queue.pendingRedeemShares, shareDecimals, 6)} shares to redeem`,
    `Claimable      ${formatFixed(queue.claimableShares, shareDecimals, 6)} shares (settled deposits), ${formatFixed(queue.claimableAssets, d)} ${asset.symbol} (settled redemptions)`,
  ];
  if (queue.windows.length === 0) return lines;
  const state = (w: QueueState["windows"][number]) => {
    if (w.cutOff > queue.timestamp) return "open";
    if (!w.due) return "settled";
    if (w.short && w.redeemSharesLeft !== 0n && (w.depositsSettled || w.depositAssets === 0n)) return "short of cash: redemptions settle pro rata as cash comes";
    return queue.timestamp >= w.openToAllAt ? "DUE (anyone may settle)" : `due (the settler's until ${iso(w.openToAllAt)})`;
  };
  const rows = queue.windows.map((w) => [
    w.window.toString(),
    iso(w.cutOff),
    formatFixed(w.depositAssets, d),
    w.depositsSettled ? formatFixed(w.depositShares, shareDecimals, 6) : "-",
    formatFixed(w.redeemShares, shareDecimals, 6),
    formatFixed(w.redeemSharesLeft, shareDecimals, 6),
    state(w),
  ]);
  return [...lines, "", ...formatTable(["window", "cut-off", `deposits (${asset.symbol})`, "shares issued", "shares to redeem", "still pending", "state"], rows).split("\n")];
}
