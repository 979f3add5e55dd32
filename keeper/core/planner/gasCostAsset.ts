import { InvalidInputError } from "../errors.js";
import { PRICE_ASSET18_SCALE } from "./priceAsset18.js";

const WEI_PER_NATIVE = 10n ** 18n;

export interface GasCostAssetParameters {
  readonly gasUnits: bigint;
  readonly gasPriceWei: bigint;
  /** One whole native coin (18 decimals) in stablecoin raw units x 1e18, as priceAsset18 elsewhere. */
  readonly nativePriceAsset18: bigint;
}

/** What a transaction's gas costs in the stablecoin's raw units, rounded up (a cost is never understated). */
export function gasCostAsset({ gasUnits, gasPriceWei, nativePriceAsset18 }: GasCostAssetParameters): bigint {
  if (gasUnits < 0n || gasPriceWei < 0n || nativePriceAsset18 < 0n) {
    throw new InvalidInputError("Gas, gas price and native price cannot be negative.", { details: `gas ${gasUnits}, price ${gasPriceWei} wei, native ${nativePriceAsset18}` });
  }
  const scale = WEI_PER_NATIVE * PRICE_ASSET18_SCALE;
  return (gasUnits * gasPriceWei * nativePriceAsset18 + scale - 1n) / scale;
}
