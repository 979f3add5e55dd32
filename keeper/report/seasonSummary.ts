import type { SeasonReportData } from "./types.js";

/** The figures a script or a test reads from `summary.json`; snake_case because other tools read it too. */
export interface SeasonSummary {
  weeks: number;
  tokens: number;
  seed: number;
  network: string;
  chain_id: number;
  vault: string;
  /** The block the season's audit starts at (the vault's deployment block). */
  vault_deployment_block: number;
  rebalances: number;
  weekly_rebalances: number;
  /** Rebalances of kind switch-to-bear or switch-to-bull. */
  regime_switches: number;
  trades: number;
  transactions: number;
  depositor_actions: number;
  final_nav_per_share: number;
  final_nav_asset: number;
  /** Fractions of the start value: 0.12 is +12%. From the normalised series' last point. */
  nav_return: number | null;
  buy_and_hold_return: number | null;
  btc_return: number | null;
  /** Fractions of the running peak: 0.2 is a 20% fall. */
  max_drawdown: number;
  buy_and_hold_max_drawdown: number;
  btc_max_drawdown: number;
  total_gas: number;
  total_trading_cost_asset: number;
  started_at: string;
  finished_at: string;
  wall_s: number;
}

/** The headline figures of a season, each taken as-is from the data or counted from its records. */
export function seasonSummary(data: SeasonReportData): SeasonSummary {
  const last = data.series.at(-1);
  return {
    weeks: data.weeks,
    tokens: data.tokens,
    seed: data.seed,
    network: data.network,
    chain_id: data.chainId,
    vault: data.vault,
    vault_deployment_block: data.vaultDeploymentBlock,
    rebalances: data.rebalances.length,
    weekly_rebalances: data.rebalances.filter((r) => r.kind === "weekly").length,
    regime_switches: data.rebalances.filter((r) => r.kind !== "weekly").length,
    trades: data.trades.length,
    transactions: data.rebalances.reduce((sum, r) => sum + r.transactions, 0),
    depositor_actions: data.depositorActions.length,
    final_nav_per_share: data.final.navPerShare,
    final_nav_asset: data.final.navAsset,
    nav_return: last ? last.navPerShare - 1 : null,
    buy_and_hold_return: last ? last.buyAndHold - 1 : null,
    btc_return: last ? last.btc - 1 : null,
    max_drawdown: data.final.maxDrawdown,
    buy_and_hold_max_drawdown: data.final.buyAndHoldMaxDrawdown,
    btc_max_drawdown: data.final.btcMaxDrawdown,
    total_gas: data.final.totalGasUsed,
    total_trading_cost_asset: data.final.totalTradingCostAsset,
    started_at: data.startedAt,
    finished_at: data.finishedAt,
    wall_s: data.wallSeconds,
  };
}
