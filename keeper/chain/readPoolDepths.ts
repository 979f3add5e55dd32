import { Contract, type ContractRunner } from "ethers";
import type { TokenPool } from "./resolvePools.js";
import { uniswapArtifacts } from "./uniswapArtifacts.js";

export interface ReadPoolDepthsParameters {
  runner: ContractRunner;
  stablecoin: string;
  /** Lower-case token address -> its pool against the stablecoin. */
  pools: ReadonlyMap<string, TokenPool>;
}

/**
 * Each pool's depth in the planner's unit: the value (stablecoin raw units) whose trade costs about 1% in
 * price impact, from the active liquidity. A trade's average price moves about half as far as the pool's, so
 * that is the value that moves the pool's price about 2%: a sqrt-price factor f = sqrt(1.02), taking
 * L x sqrtP x (f - 1) of token1 (f - 1 = 0.995%) or L / sqrtP x (1 - 1/f) of token0 (0.985%).
 */
export async function readPoolDepths({ runner, stablecoin, pools }: ReadPoolDepthsParameters): Promise<Map<string, bigint>> {
  const depths = new Map<string, bigint>();
  const stable = stablecoin.toLowerCase();
  await Promise.all(
    [...pools.values()].map(async ({ token, pool }) => {
      const contract = new Contract(pool, uniswapArtifacts.pool.abi, runner);
      const [slot0, liquidity, token0] = await Promise.all([contract.slot0(), contract.liquidity(), contract.token0()]);
      const sqrtPriceX96: bigint = slot0.sqrtPriceX96;
      const q96 = 1n << 96n;
      const depth = (token0 as string).toLowerCase() === stable ? (liquidity * q96 * 9_852n) / sqrtPriceX96 / 1_000_000n : (liquidity * sqrtPriceX96 * 9_950n) / q96 / 1_000_000n;
      depths.set(token, depth);
    }),
  );
  return depths;
}
