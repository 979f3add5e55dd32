import { Contract, ZeroAddress, type ContractRunner } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { poolDepthNearPrice } from "./poolDepthNearPrice.js";
import { readPoolState } from "./readPoolState.js";
import { FEE_TIERS } from "./resolvePools.js";
import { uniswapArtifacts } from "./uniswapArtifacts.js";
import { TickWindowExceededError } from "./windowTickDataProvider.js";

export interface ReadTokenDepthsParameters {
  runner: ContractRunner;
  factory: string;
  vault: string;
  stablecoin: string;
  /** Each token with its decimals and its oracle price (pricesAsset18: stablecoin raw x 1e18 per whole token). */
  tokens: readonly { address: string; decimals: number; priceAsset18: bigint }[];
  /** Every read is at this block (the first at or after the data cut-off). */
  blockTag: number;
  bandBps: number;
}

export interface TokenDepth {
  /** Stablecoin (raw) tradable within the band, the smaller of the buy and the sell side, summed over the pools. */
  depthAsset: bigint;
  /** The allowlisted pools it was read from. */
  pools: string[];
}

/**
 * Each token's on-chain depth at one block: over every Uniswap V3 pool against the stablecoin, each fee tier, that
 * the vault allowlists, the stablecoin the pools trade while their price stays within `bandBps` of the oracle's,
 * buys and sells summed over the pools, then the smaller side. A token with no allowlisted pool, or no usable
 * oracle price, has depth 0.
 */
export async function readTokenDepths({ runner, factory, vault, stablecoin, tokens, blockTag, bandBps }: ReadTokenDepthsParameters): Promise<Map<string, TokenDepth>> {
  const factoryContract = new Contract(factory, uniswapArtifacts.factory.abi, runner);
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const at = { blockTag };
  const entries = await Promise.all(
    tokens.map(async ({ address, decimals, priceAsset18 }) => {
      const pools: string[] = [];
      for (const fee of FEE_TIERS) {
        const pool: string = await factoryContract.getPool(address, stablecoin, fee, at);
        if (pool !== ZeroAddress && (await vaultContract.isPoolAllowed(pool, at))) pools.push(pool);
      }
      if (priceAsset18 === 0n) return [address.toLowerCase(), { depthAsset: 0n, pools }] as const;
      let buy = 0n;
      let sell = 0n;
      for (const pool of pools) {
        const reference = { quoteToken: stablecoin, quoteRaw: priceAsset18, baseRaw: 10n ** BigInt(18 + decimals), bandBps };
        let depth;
        try {
          depth = await poolDepthNearPrice({ state: await readPoolState({ runner, pool, blockTag, wordRadius: 2 }), ...reference });
        } catch (error) {
          if (!(error instanceof TickWindowExceededError)) throw error;
          depth = await poolDepthNearPrice({ state: await readPoolState({ runner, pool, blockTag, wordRadius: 32 }), ...reference });
        }
        buy += depth.buyQuoteRaw;
        sell += depth.sellQuoteRaw;
      }
      return [address.toLowerCase(), { depthAsset: buy < sell ? buy : sell, pools }] as const;
    }),
  );
  return new Map(entries);
}
