import { BPS } from "./bps.js";
import { mulDiv } from "./mulDiv.js";

// The TypeScript twin of contracts/libraries/NavLib.sol, function by function and rounding by rounding, so
// that off-chain code (the audit, a backtest, the web app) values holdings and bounds trades exactly as the
// vault does. test/keeper/core/vaultLibs.test.ts checks each against the Solidity library's harness.
// Prices are the oracle's unit: USD x 1e36 per raw unit of a token (OracleRouter.unitPriceUsd36).

/** Value of `amount` raw token units in raw asset units, rounded down. */
export function valueDown(amount: bigint, tokenUnitPriceUsd36: bigint, assetUnitPriceUsd36: bigint): bigint {
  return mulDiv(amount, tokenUnitPriceUsd36, assetUnitPriceUsd36);
}

/** The vault's oracle floor for a trade's output: amountIn x pIn x (1 - maxSlippage) / pOut, rounded up. */
export function minAmountOutUp(amountIn: bigint, unitPriceInUsd36: bigint, unitPriceOutUsd36: bigint, maxSlippageBps: number): bigint {
  return mulDiv(amountIn, unitPriceInUsd36 * (BPS - BigInt(maxSlippageBps)), unitPriceOutUsd36 * BPS, "ceil");
}

/** Assets -> shares with the vault's virtual shares (ERC-4626 inflation guard). */
export function toShares(assets: bigint, supply: bigint, nav: bigint, virtualShares: bigint, rounding: "floor" | "ceil"): bigint {
  return mulDiv(assets, supply + virtualShares, nav + 1n, rounding);
}

/** Shares -> assets with the vault's virtual shares. */
export function toAssets(shares: bigint, supply: bigint, nav: bigint, virtualShares: bigint, rounding: "floor" | "ceil"): bigint {
  return mulDiv(shares, nav + 1n, supply + virtualShares, rounding);
}

/** A holder's pro-rata part of a balance (in-kind exit), rounded down. */
export function proRataDown(balance: bigint, shares: bigint, supply: bigint, virtualShares: bigint): bigint {
  return mulDiv(balance, shares, supply + virtualShares);
}
