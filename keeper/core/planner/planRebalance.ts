import { InvalidInputError } from "../errors.js";
import { BPS } from "../vault/bps.js";
import { amountForValue } from "./amountForValue.js";
import { BUFFERED_WEIGHT_SCALE, cashBufferedTargets } from "./cashBufferedTargets.js";
import { maxChunkValueAsset } from "./maxChunkValueAsset.js";
import { modelPriceImpact } from "./modelPriceImpact.js";
import { splitTrade } from "./splitTrade.js";
import {
  DEFAULT_PLANNER_CONFIG,
  type Address,
  type DeferredTrade,
  type HeldPosition,
  type Holding,
  type PlannerConfig,
  type PositionExpectation,
  type TargetWeight,
  type TokenInfo,
  type Trade,
} from "./types.js";
import { valueInAsset } from "./valueInAsset.js";

export interface PlanRebalanceParameters {
  /** Everything the vault holds, the stablecoin included; zero balances may be listed or not. */
  readonly holdings: readonly Holding[];
  /** Token address -> priceAsset18 (the vault's oracle prices). The stablecoin needs none: it is the unit. */
  readonly prices: ReadonlyMap<Address, bigint>;
  /** Committed targets summing to 10,000 bps. Bear regime: the stablecoin alone at 10,000. */
  readonly targetsBps: readonly TargetWeight[];
  readonly stablecoin: TokenInfo;
  /** NAV to size targets from (the vault's own view, net of pending fees); default cash + oracle values. */
  readonly navAsset?: bigint;
  /**
   * Tokens to leave as they are this time: a sell the pools rejected earlier in the run (no pool, pool far
   * from the oracle). Their value stays in NAV; the other trades go ahead with the cash there is.
   */
  readonly hold?: readonly Address[];
  /**
   * The vault's per-batch position check (IIndexVault.targetToleranceBps): a batch may not leave a weight more
   * than this below the lower of its weight before and its target. Sells then stop at target - tolerance / 2
   * when the cash buffer would take them further, so every planned sell passes the check with room for the
   * NAV the batch's own costs move. Omitted: no such check (the backtester).
   */
  readonly targetToleranceBps?: number;
  readonly config?: Partial<PlannerConfig>;
}

export interface PlanRebalanceReturnType {
  /** Token -> stablecoin, to run first; largest position first, its chunks together. */
  readonly sells: readonly Trade[];
  /** Stablecoin -> token, to run after every sell; largest first. */
  readonly buys: readonly Trade[];
  readonly navAsset: bigint;
  /** One row per token, the stablecoin first, then by address. */
  readonly expected: readonly PositionExpectation[];
  readonly deferred: readonly DeferredTrade[];
  /** True when the buys were scaled down to fit the conservatively counted cash. */
  readonly buysScaled: boolean;
  /** Positions planned around rather than traded: no oracle price, or asked to hold. By address. */
  readonly held: readonly HeldPosition[];
}

interface Position {
  readonly key: string;
  readonly token: TokenInfo;
  readonly balance: bigint;
  readonly priceAsset18: bigint;
  readonly targetBps: number;
  readonly currentValueAsset: bigint;
  readonly targetValueAsset: bigint;
}

/**
 * Holdings + oracle prices + committed targets -> the trades that move the vault to its targets.
 * - Target values: NAV x the cash-buffered weight (cashBufferedTargets: weight x (1 - cashBuffer)) for each
 *   token; the stablecoin gets the rest, so the buffer comes pro rata out of every other target.
 * - Sells first: every position above its target sells the excess; a token not targeted (or at 0 bps)
 *   sells its whole balance, so none is left behind as rounding dust.
 * - Buys second, sized from the cash the sells conservatively return (oracle value less assumedCostBps
 *   and the modeled impact) minus the cash target: if that cannot fund them all, every buy is scaled down
 *   by the same factor, so a plan never spends stablecoin it will not have nor eats the buffer.
 * - A trade worth less than dustAsset is skipped, except a full exit: a token leaving the targets is sold
 *   whatever its size, so exits always complete (the executor packs these crumbs into the same transactions
 *   as the rest). A trade above maxImpactBps of modeled impact is split (splitTrade, modelPriceImpact).
 * - A token without an oracle price, or listed in `hold`, is planned around: neither sold nor bought, its
 *   balance kept, and reported in `held`; one bad feed or one dead pool never stops the rest of the plan
 *   (a bear exit included).
 * Pure and deterministic: the backtester and the live keeper run this same function.
 */
export function planRebalance({ holdings, prices, targetsBps, stablecoin, navAsset, hold = [], targetToleranceBps, config }: PlanRebalanceParameters): PlanRebalanceReturnType {
  const cfg = resolvePlannerConfig(config);
  if (targetToleranceBps !== undefined && !(Number.isSafeInteger(targetToleranceBps) && targetToleranceBps >= 0 && targetToleranceBps <= 10_000)) {
    throw new InvalidInputError("targetToleranceBps must be an integer in [0, 10000].", { details: `targetToleranceBps: ${targetToleranceBps}` });
  }
  const stableKey = stablecoin.address.toLowerCase();
  const tokens = new Map<string, TokenInfo>([[stableKey, stablecoin]]);
  const balances = new Map<string, bigint>();
  for (const { token, balance } of holdings) {
    const key = token.address.toLowerCase();
    if (balances.has(key)) throw new InvalidInputError("Holdings list a token twice.", { details: `token: ${token.address}` });
    if (balance < 0n) throw new InvalidInputError("Balances cannot be negative.", { details: `${token.address}: ${balance}` });
    balances.set(key, balance);
    if (!tokens.has(key)) tokens.set(key, token);
  }
  const targets = new Map<string, number>();
  let targetSum = 0;
  for (const { token, weightBps } of targetsBps) {
    const key = token.address.toLowerCase();
    if (targets.has(key)) throw new InvalidInputError("Targets list a token twice.", { details: `token: ${token.address}` });
    if (!Number.isSafeInteger(weightBps) || weightBps < 0) throw new InvalidInputError("Target weights must be non-negative integers.", { details: `${token.address}: ${weightBps}` });
    targets.set(key, weightBps);
    targetSum += weightBps;
    if (!tokens.has(key)) tokens.set(key, token);
  }
  if (targetSum !== 10_000) throw new InvalidInputError("Targets must sum to 10,000 bps.", { details: `sum: ${targetSum}` });
  const lowerPrices = new Map<string, bigint>();
  for (const [address, price] of prices) lowerPrices.set(address.toLowerCase(), price);

  const cash = balances.get(stableKey) ?? 0n;
  const holdKeys = new Set(hold.map((a) => a.toLowerCase()));
  const held: HeldPosition[] = [];
  // Held positions that have a price still count in NAV (an unpriced one cannot, unless navAsset says so).
  let heldValue = 0n;
  const positions: Position[] = [];
  for (const key of [...tokens.keys()].sort()) {
    if (key === stableKey) continue;
    const token = tokens.get(key)!;
    const balance = balances.get(key) ?? 0n;
    const targetBps = targets.get(key) ?? 0;
    if (balance === 0n && targetBps === 0) continue;
    const priceAsset18 = lowerPrices.get(key);
    if (priceAsset18 !== undefined && priceAsset18 < 0n) throw new InvalidInputError("Oracle prices cannot be negative.", { details: `${token.address}: ${priceAsset18}` });
    if (priceAsset18 === undefined || priceAsset18 === 0n) {
      held.push({ token, balance, targetBps, reason: "unpriced" });
      continue;
    }
    if (holdKeys.has(key)) {
      held.push({ token, balance, targetBps, reason: "hold" });
      heldValue += valueInAsset(balance, token.decimals, priceAsset18);
      continue;
    }
    positions.push({ key, token, balance, priceAsset18, targetBps, currentValueAsset: valueInAsset(balance, token.decimals, priceAsset18), targetValueAsset: 0n });
  }
  const nav = navAsset ?? positions.reduce((sum, p) => sum + p.currentValueAsset, cash + heldValue);
  if (nav < 0n) throw new InvalidInputError("NAV cannot be negative.", { details: `navAsset: ${nav}` });
  const buffered = cashBufferedTargets(targets, stableKey, cfg.cashBufferBps);
  const targetValueOf = (token: TokenInfo) => (nav * (buffered.get(token.address.toLowerCase()) ?? 0n)) / BUFFERED_WEIGHT_SCALE;
  const sized = positions.map((p) => ({ ...p, targetValueAsset: targetValueOf(p.token) }));
  // A held position's target stays unfilled rather than moving to cash: the cash target is the stablecoin's
  // share only, so held weight never turns into money the buys must not spend.
  const cashTarget = nav - sized.reduce((sum, p) => sum + p.targetValueAsset, 0n) - held.reduce((sum, h) => sum + targetValueOf(h.token), 0n);

  const depthOf = (key: string): bigint | null => cfg.depthAsset.get(key) ?? cfg.defaultDepthAsset;
  const chunkLimit = (key: string): bigint | null => {
    const depth = depthOf(key);
    return depth === null ? null : maxChunkValueAsset({ depthAsset: depth, maxImpactBps: cfg.maxImpactBps });
  };
  const trade = (side: Trade["side"], p: Position, amountIn: bigint, valueAsset: bigint): Trade => {
    const { impactBps, impactAsset } = modelPriceImpact({ valueAsset, depthAsset: depthOf(p.key) });
    return {
      side,
      tokenIn: side === "sell" ? p.token.address : stablecoin.address,
      tokenOut: side === "sell" ? stablecoin.address : p.token.address,
      amountIn,
      expectedValueAsset: valueAsset,
      modeledImpactBps: impactBps,
      modeledImpactAsset: impactAsset,
    };
  };

  const sellGroups: Trade[][] = [];
  const deferred: DeferredTrade[] = [];
  const tradedValue = new Map<string, bigint>();
  let proceeds = 0n;
  // Target - tolerance / 2 in half-bps of NAV: the lowest weight a sell may aim for.
  const sellFloorBps = (targetBps: number) => (targetToleranceBps === undefined ? null : BigInt(targetBps) * 2n - BigInt(targetToleranceBps));
  for (const p of sized) {
    const exit = p.targetBps === 0 && p.balance > 0n;
    const floorHalfBps = sellFloorBps(p.targetBps);
    const floorValue = floorHalfBps === null || floorHalfBps <= 0n ? 0n : (nav * floorHalfBps) / (2n * BPS);
    const sellTo = floorValue > p.targetValueAsset ? floorValue : p.targetValueAsset;
    if (p.currentValueAsset <= sellTo && !exit) continue;
    const excess = p.currentValueAsset - sellTo;
    if (excess < cfg.dustAsset && !exit) continue;
    const valueOf = (amount: bigint): bigint => valueInAsset(amount, p.token.decimals, p.priceAsset18);
    const wanted = exit ? p.balance : min(p.balance, amountForValue(excess, p.token.decimals, p.priceAsset18));
    const { chunks, deferredAmount } = splitTrade({
      amountIn: wanted,
      valueOf,
      amountOf: (value) => amountForValue(value, p.token.decimals, p.priceAsset18),
      maxChunkValueAsset: chunkLimit(p.key),
      maxChunks: cfg.maxChunksPerTrade,
    });
    if (deferredAmount > 0n) deferred.push({ token: p.token, side: "sell", valueAsset: valueOf(deferredAmount) });
    const group = chunks.map((amount) => trade("sell", p, amount, valueOf(amount)));
    if (group.length === 0) continue;
    for (const t of group) {
      const cost = ceilDiv(t.expectedValueAsset * BigInt(cfg.assumedCostBps), BPS) + t.modeledImpactAsset;
      proceeds += t.expectedValueAsset > cost ? t.expectedValueAsset - cost : 0n;
    }
    tradedValue.set(p.key, -sum(group.map((t) => t.expectedValueAsset)));
    sellGroups.push(group);
  }

  const wantedBuys = sized
    .filter((p) => p.targetValueAsset > p.currentValueAsset && p.targetValueAsset - p.currentValueAsset >= cfg.dustAsset)
    .map((p) => ({ p, value: p.targetValueAsset - p.currentValueAsset }));
  const wantedTotal = sum(wantedBuys.map((b) => b.value));
  const spendable = max(0n, cash + proceeds - cashTarget);
  const buysScaled = wantedTotal > spendable;
  const buyGroups: Trade[][] = [];
  let spent = 0n;
  for (const { p, value } of wantedBuys) {
    const budget = buysScaled ? (value * spendable) / wantedTotal : value;
    if (budget === 0n || budget < cfg.dustAsset) continue;
    const { chunks, deferredAmount } = splitTrade({
      amountIn: budget,
      valueOf: (amount) => amount,
      amountOf: (v) => v,
      maxChunkValueAsset: chunkLimit(p.key),
      maxChunks: cfg.maxChunksPerTrade,
    });
    if (deferredAmount > 0n) deferred.push({ token: p.token, side: "buy", valueAsset: deferredAmount });
    if (chunks.length === 0) continue;
    const group = chunks.map((amount) => trade("buy", p, amount, amount));
    spent += sum(chunks);
    tradedValue.set(p.key, sum(chunks));
    buyGroups.push(group);
  }

  const expected: PositionExpectation[] = [
    {
      token: stablecoin,
      targetBps: targets.get(stableKey) ?? 0,
      currentValueAsset: cash,
      targetValueAsset: cashTarget,
      plannedValueAsset: cash + proceeds - spent,
    },
    ...sized.map((p) => ({
      token: p.token,
      targetBps: p.targetBps,
      currentValueAsset: p.currentValueAsset,
      targetValueAsset: p.targetValueAsset,
      plannedValueAsset: p.currentValueAsset + (tradedValue.get(p.key) ?? 0n),
    })),
  ];
  return {
    sells: orderGroups(sellGroups),
    buys: orderGroups(buyGroups),
    navAsset: nav,
    expected,
    deferred,
    buysScaled,
    held,
  };
}

// Largest trade first so the biggest moves (and the cash they raise) happen before a gas or time budget
// runs out. Ties keep address order: the groups are built in address order and the sort is stable.
// Each group's total is summed once, not in every comparison: a backtest orders ~100 groups a rebalance.
function orderGroups(groups: readonly Trade[][]): Trade[] {
  return groups
    .map((group) => ({ group, total: sum(group.map((t) => t.expectedValueAsset)) }))
    .sort((a, b) => {
      const difference = b.total - a.total;
      return difference > 0n ? 1 : difference < 0n ? -1 : 0;
    })
    .flatMap(({ group }) => group);
}

function resolvePlannerConfig(config: Partial<PlannerConfig> = {}): PlannerConfig {
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const cfg: PlannerConfig = { ...DEFAULT_PLANNER_CONFIG, ...defined };
  const problems: string[] = [];
  const bpsInRange = (value: number, low: number, high: number): boolean => Number.isSafeInteger(value) && value >= low && value <= high;
  if (typeof cfg.dustAsset !== "bigint" || cfg.dustAsset < 0n) problems.push(`dustAsset: ${cfg.dustAsset} (a bigint >= 0)`);
  if (!bpsInRange(cfg.cashBufferBps, 0, 10_000)) problems.push(`cashBufferBps: ${cfg.cashBufferBps} (an integer in [0, 10000])`);
  if (!bpsInRange(cfg.maxImpactBps, 1, 9_999)) problems.push(`maxImpactBps: ${cfg.maxImpactBps} (an integer in [1, 9999])`);
  if (!bpsInRange(cfg.assumedCostBps, 0, 10_000)) problems.push(`assumedCostBps: ${cfg.assumedCostBps} (an integer in [0, 10000])`);
  if (!Number.isSafeInteger(cfg.maxChunksPerTrade) || cfg.maxChunksPerTrade < 1) problems.push(`maxChunksPerTrade: ${cfg.maxChunksPerTrade} (a positive integer)`);
  if (cfg.defaultDepthAsset !== null && cfg.defaultDepthAsset <= 0n) problems.push(`defaultDepthAsset: ${cfg.defaultDepthAsset} (> 0 or null)`);
  const depthAsset = new Map<string, bigint>();
  for (const [address, depth] of cfg.depthAsset) {
    if (depth <= 0n) problems.push(`depthAsset[${address}]: ${depth} (> 0)`);
    depthAsset.set(address.toLowerCase(), depth);
  }
  if (problems.length > 0) throw new InvalidInputError("Invalid planner configuration.", { details: problems });
  return { ...cfg, depthAsset };
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((acc, value) => acc + value, 0n);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
