import { Counter, Gauge, Registry } from "prom-client";
import type { VaultState } from "../chain/readVault.js";

/** The keeper's Prometheus metrics, on a registry of its own (so tests can make several). */
export interface KeeperMetrics {
  registry: Registry;
  runs: Counter<"job" | "result">;
  trades: Counter;
  gasUsed: Counter;
  lastSuccess: Gauge<"job">;
  navAsset: Gauge;
  lossBudgetAvailableAsset: Gauge;
  regimeBear: Gauge;
}

export function createKeeperMetrics(): KeeperMetrics {
  const registry = new Registry();
  return {
    registry,
    runs: new Counter({ name: "keeper_runs_total", help: "Keeper jobs run, by job and result", labelNames: ["job", "result"], registers: [registry] }),
    trades: new Counter({ name: "keeper_trades_total", help: "Trades confirmed on-chain", registers: [registry] }),
    gasUsed: new Counter({ name: "keeper_gas_used_total", help: "Gas used by the keeper's transactions", registers: [registry] }),
    lastSuccess: new Gauge({ name: "keeper_last_success_timestamp_seconds", help: "When each job last succeeded", labelNames: ["job"], registers: [registry] }),
    navAsset: new Gauge({ name: "keeper_vault_nav_asset", help: "Vault NAV in whole stablecoin units, at the last run", registers: [registry] }),
    lossBudgetAvailableAsset: new Gauge({ name: "keeper_loss_budget_available_asset", help: "Loss budget left, whole stablecoin units", registers: [registry] }),
    regimeBear: new Gauge({ name: "keeper_regime_bear", help: "1 while the committed regime is bear", registers: [registry] }),
  };
}

/** The vault gauges from a read of the vault: after every job, and once at start-up so they never read 0. */
export function recordVaultState(metrics: KeeperMetrics, state: Pick<VaultState, "stablecoin" | "navAsset" | "lossBudgetAvailable" | "regime">): void {
  const unit = 10 ** state.stablecoin.decimals;
  metrics.navAsset.set(Number(state.navAsset) / unit);
  metrics.lossBudgetAvailableAsset.set(Number(state.lossBudgetAvailable) / unit);
  metrics.regimeBear.set(state.regime === "bear" ? 1 : 0);
}
