import { Token } from "@uniswap/sdk-core";
import { encodeSqrtRatioX96, Pool, SqrtPriceMath, type FeeAmount } from "@uniswap/v3-sdk";
import type { PoolHead } from "./readPoolState.js";

/**
 * How far a depth moves the pool's price (x 100): a trade's average price moves about half as far as the
 * pool's, so the value that moves the pool 2 % pays about 1 % in price impact, the planner's depth.
 */
export const DEPTH_PRICE_MOVE_PCT = 102n;

/**
 * A pool's depth in the planner's unit: the stablecoin (raw units) the pool's active liquidity takes or gives
 * while its price moves by DEPTH_PRICE_MOVE_PCT, as Uniswap's SqrtPriceMath computes an amount between two
 * sqrt prices, rounded down.
 */
export function poolDepthAsset(head: PoolHead, stablecoin: string): bigint {
  // Decimals do not enter the math; the SDK needs them only for display.
  const token0 = new Token(1, head.token0, 18);
  const token1 = new Token(1, head.token1, 18);
  const pool = new Pool(token0, token1, head.fee as FeeAmount, head.sqrtPriceX96.toString(), head.liquidity.toString(), head.tick);
  const moved = encodeSqrtRatioX96((head.sqrtPriceX96 * head.sqrtPriceX96 * DEPTH_PRICE_MOVE_PCT).toString(), (100n << 192n).toString());
  const amount = head.token0.toLowerCase() === stablecoin.toLowerCase()
    ? SqrtPriceMath.getAmount0Delta(pool.sqrtRatioX96, moved, pool.liquidity, false)
    : SqrtPriceMath.getAmount1Delta(pool.sqrtRatioX96, moved, pool.liquidity, false);
  return BigInt(amount.toString());
}
