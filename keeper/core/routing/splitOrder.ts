import { simulateRoute } from "./simulateRoute.js";
import type { Route, RouteLeg, VenueState, VenueStates } from "./types.js";

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
  /** The venue states after every leg, for the batch's next order. */
  states: Map<string, VenueState>;
}

/**
 * Splits an exact-input order across routes by a documented greedy: the order is cut into `slices` equal
 * slices, and each goes to the route whose next slice returns the most on the states the slices already
 * placed left behind (so shared pools, WETH/USDC above all, are charged for their earlier use), a route not
 * used yet paying its extra vault trade's gas first. That approximates equal marginal prices across routes
 * after gas. The legs are then simulated whole, in order, from `states`: their predicted outputs are what the
 * chain returns when nobody else trades.
 */
export async function splitOrder({ routes, amountIn, states, slices, extraLegCostOut }: SplitOrderParameters): Promise<SplitOrderReturnType> {
  if (routes.length === 0) throw new Error("splitOrder: no route");
  if (amountIn <= 0n) throw new Error(`splitOrder: amountIn must be positive, got ${amountIn}`);
  const allocated = routes.map(() => 0n);
  if (routes.length === 1) allocated[0] = amountIn;
  else {
    let placed: Map<string, VenueState> = new Map(states);
    const count = BigInt(Math.max(1, slices));
    for (let s = 0n; s < count; s++) {
      const slice = s === count - 1n ? amountIn - (amountIn / count) * (count - 1n) : amountIn / count;
      let best: { index: number; score: bigint; states: Map<string, VenueState> } | undefined;
      for (let i = 0; i < routes.length; i++) {
        const { amountOut, states: after } = await simulateRoute(routes[i], slice, placed);
        const opened = allocated[i] === 0n && allocated.some((a) => a > 0n);
        const score = amountOut - (opened ? extraLegCostOut(routes[i]) : 0n);
        if (best === undefined || score > best.score) best = { index: i, score, states: after };
      }
      allocated[best!.index] += slice;
      placed = best!.states;
    }
  }
  const legs: RouteLeg[] = [];
  let current: Map<string, VenueState> = new Map(states);
  for (let i = 0; i < routes.length; i++) {
    if (allocated[i] === 0n) continue;
    const { amountOut, states: after } = await simulateRoute(routes[i], allocated[i], current);
    legs.push({ route: routes[i], amountIn: allocated[i], amountOut });
    current = after;
  }
  return { legs, states: current };
}
