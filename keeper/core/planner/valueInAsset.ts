import { wholeTokenScale18 } from "./wholeTokenScale18.js";

/**
 * Value of `balance` raw units of a token in the stablecoin's raw units, given `priceAsset18` = the value
 * of one whole token in stablecoin raw units x 1e18. Rounds down: a holding is never valued above what
 * the oracle says, so sells and NAV stay conservative.
 */
export function valueInAsset(balance: bigint, decimals: number, priceAsset18: bigint): bigint {
  return (balance * priceAsset18) / wholeTokenScale18(decimals);
}
