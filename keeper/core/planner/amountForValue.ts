import { InvalidInputError } from "../errors.js";
import { PRICE_ASSET18_SCALE } from "./priceAsset18.js";

/**
 * Raw units of a token worth `valueAsset` stablecoin raw units at `priceAsset18`; the inverse of
 * valueInAsset. Rounds down, so a sell never gives away more than the value it was sized for and
 * valueInAsset(amountForValue(v)) <= v.
 */
export function amountForValue(valueAsset: bigint, decimals: number, priceAsset18: bigint): bigint {
  if (priceAsset18 <= 0n) throw new InvalidInputError("Price must be positive.", { details: `priceAsset18: ${priceAsset18}` });
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 77) throw new InvalidInputError("Token decimals must be an integer in [0, 77].", { details: `decimals: ${decimals}` });
  return (valueAsset * 10n ** BigInt(decimals) * PRICE_ASSET18_SCALE) / priceAsset18;
}
