import { BPS } from "../vault/bps.js";

/** A holding's weight: its value in whole bps of NAV, rounded down; 0 in an empty vault. `keeper status` and the app show it. */
export function weightBpsOfNav(valueAsset: bigint, navAsset: bigint): number {
  return navAsset === 0n ? 0 : Number((valueAsset * BPS) / navAsset);
}
