import { InvalidInputError } from "../errors.js";

export interface TradeDustAssetParameters {
  /** The vault's NAV, stablecoin raw units. */
  readonly navAsset: bigint;
  /** The smallest trade as a share of NAV (bps). */
  readonly minTradeBpsOfNav: number;
  /** The smallest trade in stablecoin raw units, whatever the NAV. */
  readonly dustAsset: bigint;
}

/**
 * The planner's dust for a vault of this size: the larger of the absolute dust and the minimum trade as a share
 * of NAV, so a large vault does not spend gas on trades that cannot move its weights. The keeper and the
 * backtester plan with it alike.
 */
export function tradeDustAsset({ navAsset, minTradeBpsOfNav, dustAsset }: TradeDustAssetParameters): bigint {
  if (!Number.isSafeInteger(minTradeBpsOfNav) || minTradeBpsOfNav < 0 || minTradeBpsOfNav > 10_000) {
    throw new InvalidInputError("minTradeBpsOfNav must be an integer in [0, 10000].", { details: `minTradeBpsOfNav: ${minTradeBpsOfNav}` });
  }
  const relative = (navAsset * BigInt(minTradeBpsOfNav)) / 10_000n;
  return relative > dustAsset ? relative : dustAsset;
}
