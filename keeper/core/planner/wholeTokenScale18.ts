import { InvalidInputError } from "../errors.js";
import { PRICE_ASSET18_SCALE } from "./priceAsset18.js";

// 10^decimals x PRICE_ASSET18_SCALE for every valid decimals: the planner values thousands of positions a
// rebalance and a backtest runs hundreds of thousands of rebalances, so the power is computed once.
const SCALES: readonly bigint[] = Array.from({ length: 78 }, (_, decimals) => 10n ** BigInt(decimals) * PRICE_ASSET18_SCALE);

/** One whole token in raw units (10^decimals) x PRICE_ASSET18_SCALE: the divisor between a raw balance x priceAsset18 and a stablecoin value. */
export function wholeTokenScale18(decimals: number): bigint {
  const scale = SCALES[decimals];
  if (scale === undefined || !Number.isSafeInteger(decimals)) throw new InvalidInputError("Token decimals must be an integer in [0, 77].", { details: `decimals: ${decimals}` });
  return scale;
}
