import type { Route, Venue } from "./types.js";

export interface EnumerateRoutesParameters {
  tokenIn: string;
  tokenOut: string;
  /** Every allowlisted venue. */
  venues: readonly Venue[];
  /** Intermediate tokens a route may pass through once (WETH). */
  connectors: readonly string[];
}

const pairKey = (a: string, b: string) => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? `${x}:${y}` : `${y}:${x}`;
};

/** The venues of each pair of tokens, built once per venue list (a batch routes 100 orders over the same list). */
const indexes = new WeakMap<readonly Venue[], Map<string, Venue[]>>();
function venuesByPair(venues: readonly Venue[]): Map<string, Venue[]> {
  let index = indexes.get(venues);
  if (index === undefined) {
    index = new Map();
    for (const v of venues) {
      const key = pairKey(v.token0, v.token1);
      index.set(key, [...(index.get(key) ?? []), v]);
    }
    indexes.set(venues, index);
  }
  return index;
}

/**
 * Candidate routes from tokenIn to tokenOut over allowlisted venues: every direct pool or pair (each V3 fee
 * tier, V2), and every two-hop route through a connector (each venue into it times each venue out of it).
 * No route visits a token twice: a connector that is one of the two tokens would need a venue pairing it with
 * itself, and none does.
 */
export function enumerateRoutes({ tokenIn, tokenOut, venues, connectors }: EnumerateRoutesParameters): Route[] {
  const index = venuesByPair(venues);
  const between = (a: string, b: string) => index.get(pairKey(a, b)) ?? [];
  const routes: Route[] = between(tokenIn, tokenOut).map((venue) => ({ hops: [{ venue, tokenIn, tokenOut }] }));
  for (const mid of connectors) {
    for (const first of between(tokenIn, mid)) {
      for (const second of between(mid, tokenOut)) {
        routes.push({ hops: [{ venue: first, tokenIn, tokenOut: mid }, { venue: second, tokenIn: mid, tokenOut }] });
      }
    }
  }
  return routes;
}
