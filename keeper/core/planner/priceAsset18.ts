import { InvalidInputError } from "../errors.js";
import { valueDown } from "../vault/navLib.js";

/**
 * The keeper's one off-chain price unit (the planner's, the status table's, the report's): the value of one
 * whole token in stablecoin raw units x 1e18. The scale keeps sub-unit precision for cheap tokens against a
 * 6-decimal stablecoin.
 */
export const PRICE_ASSET18_SCALE = 10n ** 18n;

/**
 * A token's price in the keeper's unit from the oracle's (OracleRouter.unitPriceUsd36: USD x 1e36 per raw
 * unit), valued as the vault values it (NavLib.valueDown against the stablecoin's own unit price).
 */
export function priceAsset18(tokenUnitPriceUsd36: bigint, assetUnitPriceUsd36: bigint, decimals: number): bigint {
  if (assetUnitPriceUsd36 <= 0n) throw new InvalidInputError("The stablecoin's oracle price must be positive.", { details: `assetUnitPriceUsd36: ${assetUnitPriceUsd36}` });
  // One whole token at the 1e18 scale, 10^(decimals + 18), must be a uint256 for the vault's mulDiv: 59 at most.
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 59) throw new InvalidInputError("Token decimals must be an integer in [0, 59].", { details: `decimals: ${decimals}` });
  return valueDown(10n ** BigInt(decimals) * PRICE_ASSET18_SCALE, tokenUnitPriceUsd36, assetUnitPriceUsd36);
}

/**
 * A price given in dollars (a setting, such as the native coin's for gas) in the keeper's unit, taking the
 * stablecoin at $1: to a millionth of a dollar.
 */
export function priceAsset18FromUsd(priceUsd: number, assetDecimals: number): bigint {
  if (!(Number.isFinite(priceUsd) && priceUsd >= 0)) throw new InvalidInputError("A dollar price must be a finite number of at least 0.", { details: `priceUsd: ${priceUsd}` });
  if (!Number.isSafeInteger(assetDecimals) || assetDecimals < 0 || assetDecimals > 77) throw new InvalidInputError("Token decimals must be an integer in [0, 77].", { details: `assetDecimals: ${assetDecimals}` });
  return (BigInt(Math.round(priceUsd * 1e6)) * 10n ** BigInt(assetDecimals) * PRICE_ASSET18_SCALE) / 1_000_000n;
}
