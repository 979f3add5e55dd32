export interface ModelPriceImpactParameters {
  /** Value traded, stablecoin raw units. */
  readonly valueAsset: bigint;
  /** Value whose trade moves the price by about 1%; null when unknown. */
  readonly depthAsset: bigint | null;
}

export interface ModelPriceImpactReturnType {
  readonly impactBps: number;
  /** valueAsset x impact, rounded up so cost estimates err high. */
  readonly impactAsset: bigint;
}

/** A constant-product reserve of 99 x D loses 1% on a trade of D; see modelPriceImpact. */
export const RESERVE_PER_DEPTH = 99n;

/**
 * The depth D is turned into a constant-product pool whose trade of value D loses 1% against the spot
 * price: an x*y=k pool with reserve R (in value) gives an execution shortfall of v / (R + v), and
 * D / (R + D) = 1% makes R = 99 x D. So impact(v) = v / (99 D + v): linear (about v / 99D) for small
 * trades, and it saturates below 100% for huge ones instead of growing without bound.
 */
export function modelPriceImpact({ valueAsset, depthAsset }: ModelPriceImpactParameters): ModelPriceImpactReturnType {
  if (depthAsset === null || valueAsset <= 0n) return { impactBps: 0, impactAsset: 0n };
  const denominator = RESERVE_PER_DEPTH * depthAsset + valueAsset;
  // Scaled by 1e6 before converting, so the bps keep six decimals without float error on huge values.
  const impactBps = Number((valueAsset * 10_000_000_000n) / denominator) / 1e6;
  const impactAsset = (valueAsset * valueAsset + denominator - 1n) / denominator;
  return { impactBps, impactAsset };
}
