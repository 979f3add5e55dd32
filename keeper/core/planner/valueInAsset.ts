import { InvalidInputError } from "../errors.js";
import { PRICE_ASSET18_SCALE } from "./priceAsset18.js";

/**
 * Value of `balance` raw units of a token in the stablecoin's raw units, given `priceAsset18` = the value
 * of one whole token in stablecoin raw units x 1e18. Rounds down: a holding is never valued above what
 * the oracle says, so sells and NAV stay conservative.
 */
export function valueInAsset(balance: bigint, decimals: number, priceAsset18: bigint): bigint {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 77) throw new InvalidInputError("Token decimals must be an integer in [0, 77].", { details: `decimals: ${decimals}` });
  return (balance * priceAsset18) / (10n ** BigInt(decimals) * PRICE_ASSET18_SCALE);
}
