import { Contract, ZeroAddress, type ContractRunner } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { uniswapArtifacts } from "./uniswapArtifacts.js";
import { FEE_TIERS } from "./resolvePools.js";
import type { Venue } from "../core/routing/types.js";

export interface ResolveVenuesParameters {
  runner: ContractRunner;
  vault: string;
  factoryV3: string;
  /** Absent: V3 pools only (the direct adapter, which trades no V2 pair). */
  factoryV2?: string;
  /** The vault's constituents. */
  tokens: readonly string[];
  /** The tokens routes may start, end or pass through besides the constituents: the stablecoin and WETH. */
  quotes: readonly string[];
  /** Read at this block (default: the latest): the depth screen reads the routes allowlisted at the data cut-off. */
  blockTag?: number;
}

/**
 * Every venue the vault allowlists between a constituent and a quote token, or between two quote tokens:
 * each V3 fee tier and the V2 pair. The routes the keeper may use are made of these only.
 */
export async function resolveVenues({ runner, vault, factoryV3, factoryV2, tokens, quotes, blockTag }: ResolveVenuesParameters): Promise<Venue[]> {
  const at = { blockTag };
  const v3 = new Contract(factoryV3, uniswapArtifacts.factory.abi, runner);
  const v2 = factoryV2 === undefined ? undefined : new Contract(factoryV2, uniswapArtifacts.v2Factory.abi, runner);
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const pairsOfTokens: [string, string][] = [];
  for (const token of tokens) for (const quote of quotes) pairsOfTokens.push([token, quote]);
  for (let i = 0; i < quotes.length; i++) for (let j = i + 1; j < quotes.length; j++) pairsOfTokens.push([quotes[i], quotes[j]]);
  const found = await Promise.all(
    pairsOfTokens.map(async ([a, b]) => {
      const [token0, token1] = a.toLowerCase() < b.toLowerCase() ? [a, b] : [b, a];
      const candidates: Venue[] = [];
      for (const fee of FEE_TIERS) {
        const address: string = await v3.getPool(a, b, fee, at);
        if (address !== ZeroAddress) candidates.push({ protocol: "v3", address, token0, token1, fee });
      }
      const pair: string = v2 === undefined ? ZeroAddress : await v2.getPair(a, b, at);
      if (pair !== ZeroAddress) candidates.push({ protocol: "v2", address: pair, token0, token1, fee: 3000 });
      const allowed = await Promise.all(candidates.map((c) => vaultContract.isPoolAllowed(c.address, at)));
      return candidates.filter((_, i) => allowed[i]);
    }),
  );
  return found.flat();
}
