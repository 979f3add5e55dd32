import { simulateRoute, venueKey, type SimulateRouteReturnType } from "./simulateRoute.js";
import type { Route, RouteLeg, VenueState, VenueStates } from "./types.js";

/** The slices the keeper cuts an order into (quoteRoutedTrades; the backtest's liquidity model splits the same way). */
export const DEFAULT_SPLIT_SLICES = 8;

export interface SplitOrderParameters {
  routes: readonly Route[];
  amountIn: bigint;
  /** Venue states before this order (after the batch's earlier legs). */
  states: VenueStates;
  /** Slices the order is cut into for the greedy allocation (the legs themselves are whole). */
  slices: number;
  /** What one more vault trade over `route` costs in gas, in raw units of the order's tokenOut. */
  extraLegCostOut: (route: Route) => bigint;
}

export interface SplitOrderReturnType {
  /** One leg per route used, in execution order, each with its exact predicted output. */
  legs: RouteLeg[];
  /** The venues the legs moved, with their states after every leg: over `states`, what the batch's next order sees. */
  moved: Map<string, VenueState>;
}

/**
 * Splits an exact-input order across routes by a documented greedy: the order is cut into `slices` equal
 * slices, and each goes to the route whose next slice returns the most on the states the slices already
 * placed left behind (so shared pools, WETH/USDC above all, are charged for their earlier use), a route not
 * used yet paying its extra vault trade's gas first. That approximates equal marginal prices across routes
 * after gas. A route's quote for the next slice is kept until a placed slice moves one of its venues, so a
 * slice costs one simulation per route it touched rather than one per route. The legs are then simulated whole,
 * in order, from `states`: their predicted outputs are what the chain returns when nobody else trades.
 */
export async function splitOrder({ routes, amountIn, states, slices, extraLegCostOut }: SplitOrderParameters): Promise<SplitOrderReturnType> {
  if (routes.length === 0) throw new Error("splitOrder: no route");
  if (amountIn <= 0n) throw new Error(`splitOrder: amountIn must be positive, got ${amountIn}`);
  const allocated = routes.map(() => 0n);
  const only = routes.length === 1 ? 0 : await singleRouteSuffices(routes, amountIn, states, slices, extraLegCostOut);
  if (only !== undefined) allocated[only] = amountIn;
  else {
    // The slices placed so far, over `states` (never copied: a batch holds every venue's state).
    const placedMoved = new Map<string, VenueState>();
    const placed = { get: (key: string) => placedMoved.get(key) ?? states.get(key) };
    const count = BigInt(Math.max(1, slices));
    const size = amountIn / count;
    let quotes: (SimulateRouteReturnType | undefined)[] = routes.map(() => undefined);
    for (let s = 0n; s < count; s++) {
      const slice = s === count - 1n ? amountIn - size * (count - 1n) : size;
      if (slice !== size) quotes = routes.map(() => undefined);
      let best: number | undefined;
      let bestScore = 0n;
      for (let i = 0; i < routes.length; i++) {
        const quote = (quotes[i] ??= await simulateRoute(routes[i], slice, placed));
        const opened = allocated[i] === 0n && allocated.some((a) => a > 0n);
        const score = quote.amountOut - (opened ? extraLegCostOut(routes[i]) : 0n);
        if (best === undefined || score > bestScore) [best, bestScore] = [i, score];
      }
      allocated[best!] += slice;
      const moved = quotes[best!]!.moved;
      for (const [key, state] of moved) placedMoved.set(key, state);
      quotes = quotes.map((q, i) => (routes[i].hops.some((h) => moved.has(venueKey(h.venue.address))) ? undefined : q));
    }
  }
  const legs: RouteLeg[] = [];
  const legsMoved = new Map<string, VenueState>();
  const current = { get: (key: string) => legsMoved.get(key) ?? states.get(key) };
  for (let i = 0; i < routes.length; i++) {
    if (allocated[i] === 0n) continue;
    const { amountOut, moved } = await simulateRoute(routes[i], allocated[i], current);
    legs.push({ route: routes[i], amountIn: allocated[i], amountOut });
    for (const [key, state] of moved) legsMoved.set(key, state);
  }
  return { legs, moved: legsMoved };
}

/**
 * The greedy's shortcut: the route with the best first slice takes the whole order when its last slice still
 * returns at least any other route's first slice after that route's extra gas. Marginal returns only fall as a
 * route fills, so the greedy would then place every slice on it; this costs routes + 2 simulations instead of
 * slices x routes. Returns that route's index, or undefined when the order may split.
 */
async function singleRouteSuffices(
  routes: readonly Route[],
  amountIn: bigint,
  states: VenueStates,
  slices: number,
  extraLegCostOut: (route: Route) => bigint,
): Promise<number | undefined> {
  const count = BigInt(Math.max(1, slices));
  const slice = amountIn / count;
  if (count === 1n || slice === 0n) return undefined;
  const first = await Promise.all(routes.map(async (route) => (await simulateRoute(route, slice, states)).amountOut));
  const best = first.indexOf(first.reduce((a, b) => (b > a ? b : a)));
  const { moved } = await simulateRoute(routes[best], amountIn - slice, states);
  const filled = { get: (key: string) => moved.get(key) ?? states.get(key) };
  const last = (await simulateRoute(routes[best], slice, filled)).amountOut;
  return routes.every((route, i) => i === best || last >= first[i] - extraLegCostOut(route)) ? best : undefined;
}
