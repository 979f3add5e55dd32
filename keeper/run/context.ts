import type { Provider, Signer } from "ethers";
import type { MethodologyConfigV2, PlannerConfig, RegimeConfig, RegimeSource } from "../core/index.js";
import type { TxSender } from "../chain/createTxSender.js";
import type { MarketDataProvider } from "../data/types.js";
import type { TokenList } from "../data/tokenList.js";
import type { Logger } from "../log.js";

/** Everything a keeper command needs, built once from the validated configuration. */
export interface KeeperContext {
  provider: Provider;
  /** Absent for read-only commands (status, plan, audit). */
  signer?: Signer;
  sender?: TxSender;
  chainId: number;
  vault: string;
  /** The vault's IndexQueue (queued deposits and redemptions), which the daemon settles; absent without one. */
  queue?: string;
  /** The vault's deployment block and its hash: which instance of the chain this is (snapshots carry it). */
  vaultDeployment: { block: number; blockHash: string };
  adapter: string;
  quoterV2: string;
  factory: string;
  /**
   * Routing through SwapRouter02 (direct or via WETH, V2 and V3, split across routes), when the deployment has
   * a SwapRouter02Adapter (KEEPER_SWAP_ROUTER02_ADAPTER); without it every trade takes its token's direct
   * stablecoin pool through `adapter`.
   */
  routing?: KeeperRouting;
  tokenList: TokenList;
  data: MarketDataProvider;
  /** Replaces the open moving-average model (e.g. Token Metrics' indicator) when set. */
  regimeSource?: RegimeSource;
  settings: KeeperSettings;
  log: Logger;
  /** Called after each durable step; tests stop the run here to prove a restart never trades twice. */
  checkpoint?: (step: RebalanceStep) => void | Promise<void>;
}

export interface KeeperRouting {
  /** The allowlisted SwapRouter02Adapter every routed trade goes through. */
  adapter: string;
  /** The Uniswap V3 and V2 factories whose pools and pairs the adapter accepts (read from it). */
  factoryV3: string;
  factoryV2: string;
  /** Tokens a route may pass through: the router's WETH. */
  connectors: string[];
}

export interface KeeperSettings {
  /** Resolved with the v2 defaults when a snapshot is built: a partial one (v1's fields) is fine. */
  methodology: Partial<MethodologyConfigV2>;
  regime: RegimeConfig;
  planner: Partial<PlannerConfig>;
  /**
   * Trades worth less than this share of NAV (bps) are not worth their gas and fees; with the planner's
   * absolute dust, the larger applies. It also ends the plan-execute rounds once only crumbs are left.
   */
  minTradeBpsOfNav: number;
  /**
   * The crumbs rule: no transaction (exits aside) whose gas costs more than this share (bps) of the value it
   * trades; such trades wait for the next rebalance.
   */
  maxGasCostBps: number;
  /** USD per native coin, to value gas in the stablecoin for that rule; err high (it only makes it stricter). */
  nativePriceUsd: number;
  /** Off the v3-sdk quote: minAmountOut = quote x (1 - slippage), never under the vault's oracle bound. */
  slippageBps: number;
  /** Gas one rebalance transaction may use. */
  txGasBudget: bigint;
  /**
   * A member missing from the market data is carried forward from the last published snapshot until it has
   * been missing from this many snapshots in a row (1: removed at the first gap).
   */
  maxGapSnapshots: number;
  /** The regime model reads this many of the screened universe's largest assets (signal and breadth). */
  regimeUniverseSize: number;
  /** While the data provider is down, a weekly run reuses the last published snapshot's universe up to this age. */
  maxSnapshotAgeDays: number;
  /** Assets read from the data provider to rank. */
  universeSize: number;
  /** Where each epoch's snapshot is published as <epoch>.json. */
  snapshotDir: string;
  /**
   * Plan-and-execute rounds per run: sells, then buys planned from the cash they raised, then whatever a
   * round left (halved retries, chunks one per transaction) in the next.
   */
  maxRounds: number;
}

export type RebalanceStep = "snapshot-written" | "committed" | "batch-confirmed";
