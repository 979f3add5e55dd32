import { BPS, cashBufferedTargets, effectiveCashBufferBps, computeTargets, formatBps, formatFixed, formatTable, nextWeeklyRebalance, valueInAsset, weightBpsOfNav, type Snapshot } from "../../core/index.js";
import { readVault, type VaultState } from "../../chain/readVault.js";
import { readQueue, type QueueState } from "../../chain/readQueue.js";
import { formatQueueStatus } from "./formatQueueStatus.js";
import { createSnapshotStore } from "../../data/createSnapshotStore.js";
import type { KeeperContext } from "../../run/context.js";
import { EXIT } from "../exitCodes.js";

/** `keeper status`: NAV, holdings against targets, regime, loss budget left, next rebalance. */
export async function statusCommand(ctx: KeeperContext, { json }: { json: boolean }): Promise<number> {
  const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
  const rows = holdingRows(state, effectiveCashBufferBps(ctx.settings.planner));
  const next = nextWeeklyRebalance(new Date(state.timestamp * 1000));
  const unregistered = await unregisteredConstituents(ctx, state.epoch);
  const queue = ctx.queue === undefined ? undefined : await readQueue({ runner: ctx.provider, queue: ctx.queue });
  if (json) {
    console.log(
      JSON.stringify(
        // Amounts as integer base units (strings), with each token's decimals given once beside them.
        { vault: state.address, block: state.blockNumber, assetDecimals: state.stablecoin.decimals, navAsset: state.navAsset.toString(), totalSupply: state.totalSupply.toString(), regime: state.regime, epoch: state.epoch.toString(), snapshotHash: state.snapshotHash, lossBudgetAvailable: state.lossBudgetAvailable.toString(), nextRebalance: next.toISOString(), depositsPaused: state.depositsPaused, rebalancesPaused: state.rebalancesPaused, targetToleranceBps: state.targetToleranceBps, unpriced: state.unpriced.map((t) => ({ symbol: t.symbol, address: t.address })), unregistered, holdings: rows.map((r) => ({ ...r, balance: r.balance.toString(), valueAsset: r.valueAsset.toString() })), queue: queue === undefined ? null : queueJson(queue) },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  const d = state.stablecoin.decimals;
  const sym = state.stablecoin.symbol;
  const navPerShare = state.totalSupply === 0n ? "-" : formatFixed((state.navAsset * 10n ** BigInt(d + 6)) / state.totalSupply, d, 6);
  console.log(`Vault ${state.address} on chain ${ctx.chainId}, block ${state.blockNumber} (${new Date(state.timestamp * 1000).toISOString()})`);
  console.log(`NAV            ${formatFixed(state.navAsset, d)} ${sym}   (${formatFixed(state.totalSupply, d + 6)} shares, ${navPerShare} per share)`);
  console.log(`Regime         ${state.regime}${state.epoch === 0n ? ", no targets committed yet" : `, epoch ${state.epoch} (${new Date(Number(state.epoch) * 1000).toISOString()}), snapshot ${state.snapshotHash}`}`);
  console.log(`Loss budget    ${formatFixed(state.lossBudgetAvailable, d)} ${sym} left   (max slippage per trade ${formatBps(state.maxSlippageBps)}, position tolerance ${formatBps(state.targetToleranceBps)})`);
  console.log(`Next rebalance ${next.toISOString()} (notice 12 hours before)`);
  console.log(`Deposits ${state.depositsPaused ? "PAUSED" : "open"}, rebalances ${state.rebalancesPaused ? "PAUSED" : "open"}`);
  for (const t of state.unpriced) console.log(`NO PRICE       ${t.symbol} (${t.address}): its oracle feed is unusable (stale or dead); it counts 0 in NAV, is not traded, and deposits and cash exits wait for it (in-kind exits work)`);
  if (unregistered.length > 0) console.log(`Not on the vault  ${unregistered.join(", ")} rank into the index but are not registered; their weight is spread over the rest`);
  if (queue !== undefined) for (const line of formatQueueStatus(queue, state.stablecoin)) console.log(line);
  console.log();
  console.log(formatTable(["token", "balance", `value (${sym})`, "weight", "target", "diff"], rows.map((r) => [r.symbol, formatFixed(r.balance, r.decimals, 4), formatFixed(r.valueAsset, d), formatBps(r.weightBps), formatBps(r.targetBps), formatBps(r.weightBps - r.targetBps)])));
  return EXIT.ok;
}

/** The queue's state with amounts as integer base-unit strings, as the rest of `status --json`. */
function queueJson(queue: QueueState) {
  const windows = queue.windows.map((w) => ({ ...w, window: w.window.toString(), depositAssets: w.depositAssets.toString(), depositShares: w.depositShares.toString(), redeemShares: w.redeemShares.toString(), redeemSharesLeft: w.redeemSharesLeft.toString() }));
  return { ...queue, currentWindow: queue.currentWindow.toString(), windows, pendingDepositAssets: queue.pendingDepositAssets.toString(), pendingRedeemShares: queue.pendingRedeemShares.toString(), claimableShares: queue.claimableShares.toString(), claimableAssets: queue.claimableAssets.toString() };
}

export interface HoldingRow {
  symbol: string;
  address: string;
  decimals: number;
  /** Raw token units. */
  balance: bigint;
  /** Raw stablecoin units, at the oracle's price. */
  valueAsset: bigint;
  weightBps: number;
  targetBps: number;
}

/**
 * Holdings against the targets the keeper trades to: the committed weights with the planner's cash buffer
 * (cashBufferedTargets), so a fully rebalanced vault shows no difference.
 */
export function holdingRows(state: VaultState, cashBufferBps: number): HoldingRow[] {
  const committed = new Map(state.targets.map((t) => [t.token.address.toLowerCase(), t.weightBps]));
  const buffered = cashBufferedTargets(committed, state.stablecoin.address, cashBufferBps);
  // Bps of bps to bps; fractions stay, as the weights they are compared with.
  const targets = new Map([...buffered].map(([token, weight]) => [token, Number(weight) / Number(BPS)]));
  return state.holdings
    .map(({ token, balance }) => {
      const price = state.pricesAsset18.get(token.address) ?? 0n;
      const value = valueInAsset(balance, token.decimals, price);
      const symbol = token.address === state.stablecoin.address ? state.stablecoin.symbol : (state.assets.find((a) => a.address === token.address)?.symbol ?? token.address);
      return { symbol, address: token.address, decimals: token.decimals, balance, valueAsset: value, weightBps: weightBpsOfNav(value, state.navAsset), targetBps: targets.get(token.address.toLowerCase()) ?? 0 };
    })
    .filter((r) => r.valueAsset > 0n || r.targetBps > 0)
    .sort((a, b) => (b.valueAsset > a.valueAsset ? 1 : b.valueAsset < a.valueAsset ? -1 : 0));
}

/** Ids the committed epoch's published snapshot ranks in but the vault does not register (v2); [] without a snapshot. */
async function unregisteredConstituents(ctx: KeeperContext, epoch: bigint): Promise<string[]> {
  if (epoch === 0n) return [];
  let text: string | null;
  try {
    text = await createSnapshotStore(ctx.settings.snapshotDir).read(epoch);
  } catch {
    return [];
  }
  if (text === null) return [];
  const snapshot = JSON.parse(text) as Snapshot;
  return snapshot.regime.state === "bull" ? computeTargets(snapshot).unregistered.map((u) => u.id) : [];
}
