import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pool, type FeeAmount } from "@uniswap/v3-sdk";
import type { PoolState } from "./readPoolState.js";
import { WindowTickDataProvider } from "./windowTickDataProvider.js";

/** A v3-sdk Pool built from on-chain state: the SDK's port of the pool's swap math over the ticks read. */
export function toSdkPool(state: PoolState, chainId: number): Pool {
  // Decimals do not enter the swap math; the SDK needs them only for display.
  const token0 = new Token(chainId, state.token0, 18);
  const token1 = new Token(chainId, state.token1, 18);
  return new Pool(
    token0,
    token1,
    state.fee as FeeAmount,
    state.sqrtPriceX96.toString(),
    state.liquidity.toString(),
    state.tick,
    new WindowTickDataProvider(state.ticks, state.minWord, state.maxWord),
  );
}

export interface SwapOnPoolReturnType {
  amountOut: bigint;
  /** The pool after the swap, for simulating the next swap through it. */
  poolAfter: Pool;
}

/** A single-hop exact-input swap on an SDK pool. */
export async function swapOnPool(pool: Pool, tokenIn: string, amountIn: bigint): Promise<SwapOnPoolReturnType> {
  const input = tokenIn.toLowerCase() === pool.token0.address.toLowerCase() ? pool.token0 : pool.token1;
  const [output, poolAfter] = await pool.getOutputAmount(CurrencyAmount.fromRawAmount(input, amountIn.toString()));
  return { amountOut: BigInt(output.quotient.toString()), poolAfter };
}

export interface SimulateExactInputParameters {
  state: PoolState;
  chainId: number;
  tokenIn: string;
  amountIn: bigint;
}

export interface SimulateExactInputReturnType {
  amountOut: bigint;
  /** The pool's sqrt price after the swap. */
  sqrtPriceX96After: bigint;
}

/** Executes a single-hop exact-input swap off-chain from a pool's on-chain state. */
export async function simulateExactInput({ state, chainId, tokenIn, amountIn }: SimulateExactInputParameters): Promise<SimulateExactInputReturnType> {
  const { amountOut, poolAfter } = await swapOnPool(toSdkPool(state, chainId), tokenIn, amountIn);
  return { amountOut, sqrtPriceX96After: BigInt(poolAfter.sqrtRatioX96.toString()) };
}
