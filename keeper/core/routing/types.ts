import type { Pair } from "@uniswap/v2-sdk";
import type { Pool } from "@uniswap/v3-sdk";

/** A pool (Uniswap V3) or pair (Uniswap V2) the vault allowlists, as the router sees it. */
export interface Venue {
  protocol: "v3" | "v2";
  address: string;
  token0: string;
  token1: string;
  /** The V3 fee tier; V2 pairs charge 0.3 % (3000). */
  fee: number;
}

/** One hop of a route: a venue crossed from tokenIn to tokenOut. */
export interface RouteHop {
  venue: Venue;
  tokenIn: string;
  tokenOut: string;
}

/** A path from the trade's tokenIn to its tokenOut, executed as one vault trade. */
export interface Route {
  hops: RouteHop[];
}

/** A venue's state as the official SDKs model it; every swap returns a new one. */
export type VenueState = { protocol: "v3"; pool: Pool } | { protocol: "v2"; pair: Pair };

/** Venue address (lower case) -> its state, read once per batch and advanced by each simulated leg. */
export type VenueStates = ReadonlyMap<string, VenueState>;

/** One leg of a routed order: a vault trade of `amountIn` over `route`, predicted to return `amountOut`. */
export interface RouteLeg {
  route: Route;
  amountIn: bigint;
  amountOut: bigint;
}
