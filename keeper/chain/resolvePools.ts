import { Contract, ZeroAddress, type ContractRunner } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";

import { uniswapArtifacts } from "./uniswapArtifacts.js";

export const FEE_TIERS = [100, 500, 3000, 10000] as const;

export interface TokenPool {
  token: string;
  pool: string;
  fee: number;
}

export interface ResolvePoolsParameters {
  runner: ContractRunner;
  factory: string;
  vault: string;
  stablecoin: string;
  tokens: readonly string[];
}

/**
 * For each token, the pool against the stablecoin that the vault allowlists; when several fee tiers are
 * allowlisted, the one with the most active liquidity. A token without one cannot be traded: it is missing
 * from the result, and the caller reports it.
 */
export async function resolvePools({ runner, factory, vault, stablecoin, tokens }: ResolvePoolsParameters): Promise<Map<string, TokenPool>> {
  const factoryContract = new Contract(factory, uniswapArtifacts.factory.abi, runner);
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const result = new Map<string, TokenPool>();
  await Promise.all(
    tokens.map(async (token) => {
      let best: { pool: string; fee: number; liquidity: bigint } | undefined;
      for (const fee of FEE_TIERS) {
        const pool: string = await factoryContract.getPool(token, stablecoin, fee);
        if (pool === ZeroAddress || !(await vaultContract.isPoolAllowed(pool))) continue;
        const liquidity: bigint = await new Contract(pool, uniswapArtifacts.pool.abi, runner).liquidity();
        if (best === undefined || liquidity > best.liquidity) best = { pool, fee, liquidity };
      }
      if (best !== undefined) result.set(token.toLowerCase(), { token, pool: best.pool, fee: best.fee });
    }),
  );
  return result;
}
