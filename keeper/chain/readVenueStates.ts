import { Contract, type ContractRunner } from "ethers";
import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pair } from "@uniswap/v2-sdk";
import { uniswapArtifacts } from "./uniswapArtifacts.js";
import { readPoolState } from "./readPoolState.js";
import { toSdkPool } from "./simulateSwap.js";
import type { Venue, VenueState } from "../core/routing/types.js";

export interface ReadVenueStatesParameters {
  runner: ContractRunner;
  chainId: number;
  venues: readonly Venue[];
  /** Read at this block, so that every venue is from the same state. */
  blockTag: number;
  /**
   * Tick-bitmap words read either side of a V3 pool's current one (default all): 2 covers +-5,120 ticks at the
   * finest spacing, far past any trade within the vault's bound, for a few calls instead of hundreds a pool.
   */
  wordRadius?: number;
}

/**
 * Every venue's state at one block, as the SDKs model it: a V3 pool's price, liquidity and its initialized ticks
 * (all, or within `wordRadius`) (v3-sdk Pool), a V2 pair's reserves (v2-sdk Pair). Read once per batch; the
 * router advances copies.
 */
export async function readVenueStates({ runner, chainId, venues, blockTag, wordRadius }: ReadVenueStatesParameters): Promise<Map<string, VenueState>> {
  const states = new Map<string, VenueState>();
  await Promise.all(
    venues.map(async (venue) => {
      if (venue.protocol === "v3") {
        const state = await readPoolState({ runner, pool: venue.address, blockTag, wordRadius });
        states.set(venue.address.toLowerCase(), { protocol: "v3", pool: toSdkPool(state, chainId) });
      } else {
        const pair = new Contract(venue.address, uniswapArtifacts.v2Pair.abi, runner);
        const [reserve0, reserve1] = (await pair.getReserves({ blockTag })) as [bigint, bigint, bigint];
        // Decimals do not enter the swap math.
        const token0 = new Token(chainId, venue.token0, 18);
        const token1 = new Token(chainId, venue.token1, 18);
        const sdkPair = new Pair(CurrencyAmount.fromRawAmount(token0, reserve0.toString()), CurrencyAmount.fromRawAmount(token1, reserve1.toString()));
        states.set(venue.address.toLowerCase(), { protocol: "v2", pair: sdkPair });
      }
    }),
  );
  return states;
}
