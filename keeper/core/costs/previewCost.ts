import { InvalidInputError } from "../errors.js";
import { BPS } from "../vault/bps.js";
import { gasCostAsset } from "../planner/gasCostAsset.js";
import type { Trade } from "../planner/types.js";

export interface PreviewCostConfig {
  /** Gas one swap is expected to use. */
  readonly gasPerTrade: bigint;
  /** Gas paid once per rebalance (commit, bookkeeping); default 0. */
  readonly gasOverhead?: bigint;
  readonly gasPriceWei: bigint;
  /** Value of one whole native token (1e18 wei) in stablecoin raw units x 1e18, like a planner price. */
  readonly nativePriceAsset18: bigint;
  /** Pool fee paid on every trade's input value; default 30 bps (the 0.3% tier). */
  readonly poolFeeBps?: number;
}

export interface PreviewCostReturnType {
  readonly tradeCount: number;
  readonly volumeAsset: bigint;
  /** Sum of every trade's modeled price impact. */
  readonly slippageAsset: bigint;
  readonly poolFeeAsset: bigint;
  readonly gasUnits: bigint;
  readonly gasAsset: bigint;
  readonly totalAsset: bigint;
  /** totalAsset as bps of NAV (0 when NAV is 0). */
  readonly totalBpsOfNav: number;
}

/**
 * What a plan is expected to cost, in stablecoin raw units, for the preview the product shows before a
 * rebalance: modeled impact + pool fees + gas. Every part rounds up, since a preview that understates
 * cost is the one that misleads.
 */
export function previewCost(plan: { readonly sells: readonly Trade[]; readonly buys: readonly Trade[]; readonly navAsset: bigint }, config: PreviewCostConfig): PreviewCostReturnType {
  const { gasPerTrade, gasOverhead = 0n, gasPriceWei, nativePriceAsset18, poolFeeBps = 30 } = config;
  if (gasPerTrade < 0n || gasOverhead < 0n || gasPriceWei < 0n || nativePriceAsset18 < 0n) {
    throw new InvalidInputError("Gas and price inputs cannot be negative.", {
      details: [`gasPerTrade: ${gasPerTrade}`, `gasOverhead: ${gasOverhead}`, `gasPriceWei: ${gasPriceWei}`, `nativePriceAsset18: ${nativePriceAsset18}`],
    });
  }
  if (!Number.isSafeInteger(poolFeeBps) || poolFeeBps < 0 || poolFeeBps > 10_000) throw new InvalidInputError("poolFeeBps must be an integer in [0, 10000].", { details: `poolFeeBps: ${poolFeeBps}` });
  const trades = [...plan.sells, ...plan.buys];
  let volumeAsset = 0n;
  let slippageAsset = 0n;
  let poolFeeAsset = 0n;
  for (const trade of trades) {
    volumeAsset += trade.expectedValueAsset;
    slippageAsset += trade.modeledImpactAsset;
    poolFeeAsset += ceilDiv(trade.expectedValueAsset * BigInt(poolFeeBps), BPS);
  }
  const gasUnits = gasOverhead + gasPerTrade * BigInt(trades.length);
  const gasAsset = gasCostAsset({ gasUnits, gasPriceWei, nativePriceAsset18 });
  const totalAsset = slippageAsset + poolFeeAsset + gasAsset;
  const totalBpsOfNav = plan.navAsset > 0n ? Number((totalAsset * BPS * 1_000_000n) / plan.navAsset) / 1e6 : 0;
  return { tradeCount: trades.length, volumeAsset, slippageAsset, poolFeeAsset, gasUnits, gasAsset, totalAsset, totalBpsOfNav };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
