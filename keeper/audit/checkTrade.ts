import type { Violation } from "./types.js";

export interface CheckTradeBoundsParameters {
  readonly epoch: string;
  readonly tradeIndex: number;
  readonly txHash: string;
  readonly amountIn: bigint;
  readonly amountOut: bigint;
  readonly minAmountOut: bigint;
  readonly valueIn: bigint;
  readonly valueOut: bigint;
  readonly maxSlippageBps: number;
}

/**
 * amountOut >= minAmountOut >= the oracle bound, from the TradeExecuted event alone.
 *
 * The vault's bound is minOut >= amountIn x pIn x (1 - s) / pOut. The event carries valueIn = floor(amountIn x
 * pIn / pA) and valueOut = floor(amountOut x pOut / pA), so pOut / pA lies in [valueOut, valueOut + 1) / amountOut
 * and pIn / pA >= valueIn / amountIn. The check uses the bounds that favour the keeper
 * (minOut x (valueOut + 1) x 10^4 >= valueIn x (10^4 - s) x amountOut): a flagged trade broke the rule for
 * certain; the rounding can only hide a violation smaller than one unit of value.
 */
export function checkTradeBounds(p: CheckTradeBoundsParameters): Violation[] {
  const violations: Violation[] = [];
  const at = { epoch: p.epoch, tradeIndex: p.tradeIndex, txHash: p.txHash };
  if (p.amountOut < p.minAmountOut) {
    violations.push({
      ...at,
      check: "received-below-min",
      message: `trade ${p.tradeIndex} received ${p.amountOut}, below its minAmountOut ${p.minAmountOut}`,
      values: { amountOut: String(p.amountOut), minAmountOut: String(p.minAmountOut) },
    });
  }
  const bps = 10_000n;
  const minOutValueUpper = p.minAmountOut * (p.valueOut + 1n) * bps;
  // A zero output makes `required` 0, so the division below only runs with amountOut > 0.
  const required = p.valueIn * (bps - BigInt(p.maxSlippageBps)) * p.amountOut;
  if (minOutValueUpper < required) {
    const minOutValue = (p.minAmountOut * p.valueOut) / p.amountOut;
    violations.push({
      ...at,
      check: "min-below-oracle-bound",
      message: `trade ${p.tradeIndex}: minAmountOut is worth ${minOutValue}, below valueIn ${p.valueIn} x (1 - ${p.maxSlippageBps} bps)`,
      values: {
        minAmountOut: String(p.minAmountOut),
        minAmountOutValue: String(minOutValue),
        valueIn: String(p.valueIn),
        oracleBoundValue: String((p.valueIn * (bps - BigInt(p.maxSlippageBps))) / bps),
        maxSlippageBps: p.maxSlippageBps,
      },
    });
  }
  return violations;
}
