import { CurrencyAmount } from "@uniswap/sdk-core";
import { simulateRoute, venueKey } from "./simulateRoute.js";
import type { Route, Venue, VenueState, VenueStates } from "./types.js";
import { venueDepthNearPrice, type VenueDepthNearPriceReturnType } from "./venueDepthNearPrice.js";

export interface RoutesDepthNearPriceParameters {
  /** The token whose depth this is. */
  token: string;
  stablecoin: string;
  /** The token's routes from the stablecoin, as enumerateRoutes lists them: direct venues, and two hops via a connector. */
  routes: readonly Route[];
  /** Every venue of the routes, read at one block (readVenueStates). */
  states: VenueStates;
  /**
   * The oracle value of one raw unit of each token the routes touch, in one unit for all (the oracle's USD x 1e36),
   * keyed in lower case; 0 or absent: no usable price.
   */
  unitPrices: ReadonlyMap<string, bigint>;
  /** 200: within 2 % of the oracle price. */
  bandBps: number;
}

/** One group of routes: the direct venues (`via` null), or every route through one connector. */
export interface RouteGroupDepth {
  via: string | null;
  /** The venues the group counts (a connector's own venues against the stablecoin included). */
  venues: string[];
  /** Stablecoin (raw) paid buying the token, and received selling it, within the band. */
  buyAsset: bigint;
  sellAsset: bigint;
}

export interface RoutesDepthNearPriceReturnType {
  buyAsset: bigint;
  sellAsset: bigint;
  /** The smaller side: the token's on-chain depth. */
  depthAsset: bigint;
  parts: RouteGroupDepth[];
}

/**
 * A token's on-chain depth over its allowlisted routes: the stablecoin it can be bought for, and sold for, while
 * every venue crossed stays within `bandBps` of the oracles' price, the smaller side. Direct venues (each V3 fee
 * tier, a V2 pair) count what each trades up to the band's edge (venueDepthNearPrice), summed. Routes through a
 * connector C (WETH) count together: the token's C venues trade within the band around token oracle / C oracle,
 * which gives the C that buying the token up to the edge takes in (buy) and selling it down to the edge pays out
 * (sell), summed over the C venues; the C/stablecoin venues can give or take, within the band around C's oracle
 * price, at most their own capacity, so the C used is the smaller of the two, split over the C/stablecoin venues in
 * proportion to their capacities; its value is what those venues charge for it (exact output, buy) or pay for it
 * (exact input, sell). Each token's depth is its own: the C/stablecoin capacity is not shared out among tokens.
 * The token's side is the direct part plus every connector's; a missing price (the token's, the stablecoin's)
 * gives depth 0, a connector's missing price its part 0. Pure: the caller reads the states at the block it chose.
 */
export async function routesDepthNearPrice({ token, stablecoin, routes, states, unitPrices, bandBps }: RoutesDepthNearPriceParameters): Promise<RoutesDepthNearPriceReturnType> {
  const price = (t: string) => unitPrices.get(t.toLowerCase()) ?? 0n;
  const stateOf = (venue: Venue) => {
    const state = states.get(venueKey(venue.address));
    if (state === undefined) throw new Error(`routesDepthNearPrice: no state for venue ${venue.address}`);
    return state;
  };
  const flows = (venue: Venue, base: string, quote: string) => venueDepthNearPrice({ state: stateOf(venue), quoteToken: quote, quoteRaw: price(base), baseRaw: price(quote), bandBps });
  const unique = (venues: Venue[]) => [...new Map(venues.map((v) => [venueKey(v.address), v])).values()];
  const parts: RouteGroupDepth[] = [];
  if (price(token) > 0n && price(stablecoin) > 0n) {
    const direct = unique(routes.filter((r) => r.hops.length === 1).map((r) => r.hops[0]!.venue));
    if (direct.length > 0) {
      const each = await Promise.all(direct.map((v) => flows(v, token, stablecoin)));
      parts.push({ via: null, venues: direct.map((v) => v.address), buyAsset: sum(each, "buyQuoteIn"), sellAsset: sum(each, "sellQuoteOut") });
    }
    const connectors = [...new Set(routes.filter((r) => r.hops.length === 2).map((r) => r.hops[0]!.tokenOut.toLowerCase()))];
    for (const connector of connectors) {
      // A direct route's one hop ends at the token, never at a connector.
      const through = routes.filter((r) => r.hops[0]!.tokenOut.toLowerCase() === connector);
      const tokenVenues = unique(through.map((r) => r.hops[1]!.venue));
      const connectorVenues = unique(through.map((r) => r.hops[0]!.venue));
      const venues = [...tokenVenues, ...connectorVenues].map((v) => v.address);
      if (price(connector) === 0n) {
        parts.push({ via: connector, venues, buyAsset: 0n, sellAsset: 0n });
        continue;
      }
      const tokenLegs = await Promise.all(tokenVenues.map((v) => flows(v, token, connector)));
      const connectorLegs = await Promise.all(connectorVenues.map((v) => flows(v, connector, stablecoin)));
      const buyAsset = await spread(sum(tokenLegs, "buyQuoteIn"), connectorLegs.map((l) => l.buyBaseOut), (i, amount) => costOfOutput(stateOf(connectorVenues[i]!), connector, amount));
      const sellAsset = await spread(
        sum(tokenLegs, "sellQuoteOut"),
        connectorLegs.map((l) => l.sellBaseIn),
        async (i, amount) => (await simulateRoute({ hops: [{ venue: connectorVenues[i]!, tokenIn: connector, tokenOut: stablecoin }] }, amount, states)).amountOut,
      );
      parts.push({ via: connector, venues, buyAsset, sellAsset });
    }
  }
  const buyAsset = sum(parts, "buyAsset");
  const sellAsset = sum(parts, "sellAsset");
  return { buyAsset, sellAsset, depthAsset: buyAsset < sellAsset ? buyAsset : sellAsset, parts };
}

function sum<K extends string>(items: readonly Record<K, bigint>[], key: K): bigint {
  return items.reduce((total, item) => total + item[key], 0n);
}

/**
 * `wanted` of the connector, capped at the venues' total capacity within the band and split over them in
 * proportion to their capacities; `valueOf(i, amount)` values venue i's share. The stablecoin of all shares.
 */
async function spread(wanted: bigint, capacities: readonly bigint[], valueOf: (i: number, amount: bigint) => Promise<bigint>): Promise<bigint> {
  const total = capacities.reduce((a, b) => a + b, 0n);
  const used = wanted < total ? wanted : total;
  const values = await Promise.all(capacities.map((capacity, i) => (capacity === 0n ? 0n : valueOf(i, (used * capacity) / total))));
  return values.reduce((a, b) => a + b, 0n);
}

/** The stablecoin a connector/stablecoin venue takes (fees included) to pay out `amountOut` of the connector. */
async function costOfOutput(state: VenueState, connector: string, amountOut: bigint): Promise<bigint> {
  if (amountOut === 0n) return 0n;
  if (state.protocol === "v3") {
    const output = state.pool.token0.address.toLowerCase() === connector.toLowerCase() ? state.pool.token0 : state.pool.token1;
    const [input] = await state.pool.getInputAmount(CurrencyAmount.fromRawAmount(output, amountOut.toString()));
    return BigInt(input.quotient.toString());
  }
  const output = state.pair.token0.address.toLowerCase() === connector.toLowerCase() ? state.pair.token0 : state.pair.token1;
  const [input] = state.pair.getInputAmount(CurrencyAmount.fromRawAmount(output, amountOut.toString()));
  return BigInt(input.quotient.toString());
}
