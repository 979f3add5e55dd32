import { InvalidInputError } from "../errors.js";
import { wholeTokenScale18 } from "./wholeTokenScale18.js";

/**
 * Raw units of a token worth `valueAsset` stablecoin raw units at `priceAsset18`; the inverse of
 * valueInAsset. Rounds down, so a sell never gives away more than the value it was sized for and
 * valueInAsset(amountForValue(v)) <= v.
 */
export function amountForValue(valueAsset: bigint, decimals: number, priceAsset18: bigint): bigint {
  if (priceAsset18 <= 0n) throw new InvalidInputError("Price must be positive.", { details: `priceAsset18: ${priceAsset18}` });
  return (valueAsset * wholeTokenScale18(decimals)) / priceAsset18;
}
