import { DEFAULT_METHODOLOGY_CONFIG_V2, DEFAULT_REGIME_CONFIG } from "../core/index.js";
import type { KeeperSettings } from "./context.js";

/**
 * The keeper's one set of defaults: the product's methodology and regime model, 1% slippage off the quote,
 * 15M gas per transaction. keeper/config.ts takes its environment defaults from here and from the core's
 * DEFAULT_PLANNER_CONFIG, so the CLI, the season and library callers run with the same values.
 */
export const DEFAULT_KEEPER_SETTINGS: KeeperSettings = Object.freeze({
  methodology: DEFAULT_METHODOLOGY_CONFIG_V2,
  regime: DEFAULT_REGIME_CONFIG,
  planner: {},
  minTradeBpsOfNav: 1,
  maxGasCostBps: 100,
  nativePriceUsd: 5_000,
  slippageBps: 100,
  // Under EIP-7825's 16,777,216 per-transaction cap, with headroom for the estimate's error.
  txGasBudget: 15_000_000n,
  universeSize: 250,
  maxGapSnapshots: 2,
  regimeUniverseSize: 100,
  maxSnapshotAgeDays: 8,
  snapshotDir: "snapshots",
  maxRounds: 4,
});

/** The smallest trade in dollars whatever the NAV (KEEPER_DUST_USD's default, the devnet's and the season's dust). */
export const DEFAULT_DUST_USD = 10;
