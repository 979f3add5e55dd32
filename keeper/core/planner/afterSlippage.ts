import { BPS } from "../vault/bps.js";

/**
 * The least an amount may come to after `slippageBps` of slippage, rounded down: a trade's minimum output off
 * its quote (the keeper's, never under the vault's oracle bound) and the web app's minimum shares or assets.
 */
export function afterSlippage(amount: bigint, slippageBps: number): bigint {
  return (amount * (BPS - BigInt(slippageBps))) / BPS;
}
