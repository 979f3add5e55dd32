import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pool, type FeeAmount } from "@uniswap/v3-sdk";
import type { PoolState } from "./readPoolState.js";

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

/** Executes a single-hop exact-input swap off-chain with the v3-sdk's port of the pool's swap math. */
export async function simulateExactInput({ state, chainId, tokenIn, amountIn }: SimulateExactInputParameters): Promise<SimulateExactInputReturnType> {
  // Decimals do not enter the swap math; the SDK needs them only for display.
  const token0 = new Token(chainId, state.token0, 18);
  const token1 = new Token(chainId, state.token1, 18);
  const pool = new Pool(
    token0,
    token1,
    state.fee as FeeAmount,
    state.sqrtPriceX96.toString(),
    state.liquidity.toString(),
    state.tick,
    state.ticks.map((t) => ({ index: t.index, liquidityGross: t.liquidityGross.toString(), liquidityNet: t.liquidityNet.toString() })),
  );
  const input = tokenIn.toLowerCase() === state.token0.toLowerCase() ? token0 : token1;
  const [output, after] = await pool.getOutputAmount(CurrencyAmount.fromRawAmount(input, amountIn.toString()));
  return { amountOut: BigInt(output.quotient.toString()), sqrtPriceX96After: BigInt(after.sqrtRatioX96.toString()) };
}
