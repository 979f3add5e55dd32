/** An ERC-20 address as a 0x-prefixed hex string; compared case-insensitively by the planner. */
export type Address = string;

export interface TokenInfo {
  readonly address: Address;
  readonly decimals: number;
}

export interface Holding {
  readonly token: TokenInfo;
  /** Raw units. */
  readonly balance: bigint;
}

export interface TargetWeight {
  readonly token: TokenInfo;
  /** Committed target; all targets sum to 10,000. The stablecoin's entry, if any, is the cash target. */
  readonly weightBps: number;
}

export interface Trade {
  readonly side: "sell" | "buy";
  readonly tokenIn: Address;
  readonly tokenOut: Address;
  /** Raw units of tokenIn. */
  readonly amountIn: bigint;
  /** Oracle value of amountIn in the stablecoin's raw units, before any cost. */
  readonly expectedValueAsset: bigint;
  /** Modeled price impact of this trade alone (see modelPriceImpact); 0 when the depth is unknown. */
  readonly modeledImpactBps: number;
  /** The value that impact costs, in the stablecoin's raw units, rounded up. */
  readonly modeledImpactAsset: bigint;
}

export interface PositionExpectation {
  readonly token: TokenInfo;
  /** The committed target (for the stablecoin: the cash target including the buffer). */
  readonly targetBps: number;
  readonly currentValueAsset: bigint;
  readonly targetValueAsset: bigint;
  /** Value after the planned trades at oracle prices; for the stablecoin after the assumed costs. */
  readonly plannedValueAsset: bigint;
}

/** Part of a trade the planner did not schedule this time because it needed more than maxChunksPerTrade. */
export interface DeferredTrade {
  readonly token: TokenInfo;
  readonly side: "sell" | "buy";
  readonly valueAsset: bigint;
}

/** A position the planner left untouched, and why: no usable oracle price, or the caller asked to hold it. */
export interface HeldPosition {
  readonly token: TokenInfo;
  readonly balance: bigint;
  readonly targetBps: number;
  readonly reason: "unpriced" | "hold";
}

export interface PlannerConfig {
  /** Skip a trade worth less than this (stablecoin raw units: 10_000_000n is $10 of 6-decimal USDC). */
  readonly dustAsset: bigint;
  /** Held in the stablecoin for cash redemptions on top of its target, taken pro rata from the others. */
  readonly cashBufferBps: number;
  /** Largest modeled impact of one chunk; larger trades are split into equal chunks under it. */
  readonly maxImpactBps: number;
  /** Cost a sell is assumed to lose besides modeled impact (pool fee, spread), when budgeting buys. */
  readonly assumedCostBps: number;
  /** Chunks one trade may be split into; the rest of the trade waits for the next rebalance. */
  readonly maxChunksPerTrade: number;
  /** Token address -> value (stablecoin raw units) whose trade moves its price by about 1%. */
  readonly depthAsset: ReadonlyMap<Address, bigint>;
  /** Depth for tokens missing from depthAsset; null leaves their trades unsplit with no modeled impact. */
  readonly defaultDepthAsset: bigint | null;
}

/**
 * The largest cash buffer a keeper runs with (KEEPER_CASH_BUFFER_BPS): half of NAV. The audit refuses a snapshot
 * that publishes more, since the published buffer lowers the floor it judges sells against.
 */
export const MAX_CASH_BUFFER_BPS = 5_000;

/**
 * Dust 0 because the unit depends on the stablecoin's decimals: the caller sets it. Cash buffer 2% of NAV
 * covers ordinary weekly redemptions (in-kind exits are always open for the rest). Impact 100 bps per
 * chunk is what the keeper (KEEPER_MAX_IMPACT_BPS) and the season run with, one value for every caller;
 * 30 bps assumed cost is a 0.3% pool fee.
 */
export const DEFAULT_PLANNER_CONFIG: PlannerConfig = Object.freeze({
  dustAsset: 0n,
  cashBufferBps: 200,
  maxImpactBps: 100,
  assumedCostBps: 30,
  maxChunksPerTrade: 20,
  depthAsset: new Map<Address, bigint>(),
  defaultDepthAsset: null,
});
