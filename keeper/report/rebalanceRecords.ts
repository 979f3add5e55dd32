import type { VaultState } from "../chain/readVault.js";
import type { RebalanceMode, RunRebalanceReturnType } from "../run/runRebalance.js";
import type { RebalanceRecord } from "./types.js";

/** One record per rebalance that committed or traded: kind, gas, turnover, cost against the oracle, constituents in and out. */
export function rebalanceRecords(results: { mode: RebalanceMode; result: RunRebalanceReturnType; date: string }[], finalState: VaultState): RebalanceRecord[] {
  const unit = 10 ** finalState.stablecoin.decimals;
  const symbol = (address: string) => finalState.assets.find((a) => a.address.toLowerCase() === address.toLowerCase())?.symbol ?? address;
  return results
    .filter(({ result }) => result.commit === "sent" || result.batches.length > 0)
    .map(({ result, date }) => {
      const regime = result.after.regime;
      const switched = result.targets !== null && result.targets.decision.state !== result.before.regime;
      const kind: RebalanceRecord["kind"] = switched ? (regime === "bear" ? "switch-to-bear" : "switch-to-bull") : "weekly";
      const valueIn = result.batches.flatMap((b) => b.trades).reduce((v, t) => v + t.valueIn, 0n);
      const cost = result.batches.flatMap((b) => b.trades).reduce((c, t) => c + (t.valueIn - t.valueOut), 0n);
      const before = new Set(result.before.targets.filter((t) => t.weightBps > 0 && t.token.address !== result.before.stablecoin.address).map((t) => t.token.address));
      const after = new Set(result.after.targets.filter((t) => t.weightBps > 0 && t.token.address !== result.after.stablecoin.address).map((t) => t.token.address));
      const nav = Number(result.before.navAsset) / unit;
      return {
        epoch: result.epoch.toString(),
        date,
        kind,
        regime,
        snapshotHash: result.targets?.hash ?? result.after.snapshotHash,
        commitTx: result.commitTx ?? null,
        transactions: result.batches.length + (result.commitTx ? 1 : 0),
        trades: result.batches.reduce((n, b) => n + b.trades.length, 0),
        gasUsed: Number(result.batches.reduce((g, b) => g + b.gasUsed, 0n)),
        turnover: nav === 0 ? 0 : Number(valueIn) / unit / nav,
        costAsset: Number(cost) / unit,
        costBpsOfNav: nav === 0 ? 0 : (Number(cost) / unit / nav) * 10_000,
        navBeforeAsset: nav,
        navAfterAsset: Number(result.after.navAsset) / unit,
        constituentsEntered: before.size === 0 ? [] : [...after].filter((a) => !before.has(a)).map(symbol),
        constituentsLeft: after.size === 0 ? [] : [...before].filter((a) => !after.has(a)).map(symbol),
      };
    });
}
