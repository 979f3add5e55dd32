import type { Route, Venue } from "./types.js";

export interface EnumerateRoutesParameters {
  tokenIn: string;
  tokenOut: string;
  /** Every allowlisted venue. */
  venues: readonly Venue[];
  /** Intermediate tokens a route may pass through once (WETH). */
  connectors: readonly string[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const pairs = (v: Venue, a: string, b: string) => (same(v.token0, a) && same(v.token1, b)) || (same(v.token0, b) && same(v.token1, a));

/**
 * Candidate routes from tokenIn to tokenOut over allowlisted venues: every direct pool or pair (each V3 fee
 * tier, V2), and every two-hop route through a connector (each venue into it times each venue out of it).
 * No route visits a token twice.
 */
export function enumerateRoutes({ tokenIn, tokenOut, venues, connectors }: EnumerateRoutesParameters): Route[] {
  const routes: Route[] = venues.filter((v) => pairs(v, tokenIn, tokenOut)).map((venue) => ({ hops: [{ venue, tokenIn, tokenOut }] }));
  for (const mid of connectors) {
    if (same(mid, tokenIn) || same(mid, tokenOut)) continue;
    for (const first of venues.filter((v) => pairs(v, tokenIn, mid))) {
      for (const second of venues.filter((v) => pairs(v, mid, tokenOut))) {
        routes.push({ hops: [{ venue: first, tokenIn, tokenOut: mid }, { venue: second, tokenIn: mid, tokenOut }] });
      }
    }
  }
  return routes;
}
