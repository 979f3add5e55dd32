import type { ContractRunner } from "ethers";
import { IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import { TickWindowExceededError } from "../core/index.js";
import { enumerateRoutes } from "../core/routing/enumerateRoutes.js";
import { routesDepthNearPrice, type RoutesDepthNearPriceReturnType } from "../core/routing/routesDepthNearPrice.js";
import type { Route } from "../core/routing/types.js";
import { readVenueStates } from "./readVenueStates.js";
import { resolveVenues } from "./resolveVenues.js";

export interface ReadTokenDepthsParameters {
  runner: ContractRunner;
  chainId: number;
  vault: string;
  /** Uniswap V3's factory; V2's when the keeper routes through SwapRouter02 (absent: V3 pools only). */
  factoryV3: string;
  factoryV2?: string;
  stablecoin: string;
  /** Tokens a route may pass through (the router's WETH); none for the direct adapter. */
  connectors: readonly string[];
  /** The registered tokens to measure. */
  tokens: readonly string[];
  /** Every read is at this block (the first at or after the data cut-off). */
  blockTag: number;
  bandBps: number;
}

export interface TokenDepth extends RoutesDepthNearPriceReturnType {
  /** Every allowlisted venue it was read from: the token's pools and pairs, and the connectors' against the stablecoin. */
  pools: string[];
}

/** Tick-bitmap words read around each V3 pool's price: enough for a 2 % band unless the pool sits far off the oracle. */
const NEAR_WORDS = 2;
const WIDE_WORDS = 32;

/**
 * Each token's on-chain depth at one block over its allowlisted routes from the stablecoin, as the keeper's
 * routing enumerates them (enumerateRoutes over the venues the vault allowlists: direct V3 pools in every fee tier
 * and V2 pairs, and two hops through each connector), with the vault's oracle prices at that block
 * (routesDepthNearPrice). Venues are read once for all tokens (the WETH/stablecoin pool is shared); a token whose
 * band crosses ticks beyond the words read is read again wider. A token with no allowlisted route, or no usable
 * oracle price, has depth 0.
 */
export async function readTokenDepths({ runner, chainId, vault, factoryV3, factoryV2, stablecoin, connectors, tokens, blockTag, bandBps }: ReadTokenDepthsParameters): Promise<Map<string, TokenDepth>> {
  const at = { blockTag };
  const oracle = OracleRouter__factory.connect(await IndexVault__factory.connect(vault, runner).oracle(at), runner);
  const priced = [stablecoin, ...connectors, ...tokens];
  const [venues, unitPrices] = await Promise.all([
    resolveVenues({ runner, vault, factoryV3, factoryV2, tokens, quotes: [stablecoin, ...connectors], blockTag }),
    // 0 for a token whose source is unusable at that block.
    oracle.tryUnitPricesUsd36(priced, at),
  ]);
  const prices = new Map(priced.map((t, i) => [t.toLowerCase(), unitPrices[i]!]));
  const routesOf = tokens.map((token) => enumerateRoutes({ tokenIn: stablecoin, tokenOut: token, venues, connectors }));
  const venuesOf = (routes: readonly Route[]) => [...new Map(routes.flatMap((r) => r.hops.map((h) => [h.venue.address.toLowerCase(), h.venue] as const))).values()];
  const states = await readVenueStates({ runner, chainId, venues: venuesOf(routesOf.flat()), blockTag, wordRadius: NEAR_WORDS });
  const entries = await Promise.all(
    tokens.map(async (token, i) => {
      const routes = routesOf[i]!;
      const measure = (read: typeof states) => routesDepthNearPrice({ token, stablecoin, routes, states: read, unitPrices: prices, bandBps });
      let depth: RoutesDepthNearPriceReturnType;
      try {
        depth = await measure(states);
      } catch (error) {
        if (!(error instanceof TickWindowExceededError)) throw error;
        depth = await measure(await readVenueStates({ runner, chainId, venues: venuesOf(routes), blockTag, wordRadius: WIDE_WORDS }));
      }
      return [token.toLowerCase(), { ...depth, pools: venuesOf(routes).map((v) => v.address) }] as const;
    }),
  );
  return new Map(entries);
}
