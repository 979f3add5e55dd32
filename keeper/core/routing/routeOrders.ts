import { enumerateRoutes } from "./enumerateRoutes.js";
import { splitOrder } from "./splitOrder.js";
import type { Route, RouteLeg, Venue, VenueState, VenueStates } from "./types.js";

/** An exact-input order the planner wants filled: sell `amountIn` of tokenIn for tokenOut. */
export interface RoutableOrder {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
}

export interface RoutedOrder {
  order: RoutableOrder;
  /** Empty when no allowlisted route joins the two tokens, or none fills within the vault's bound. */
  legs: RouteLeg[];
  /** What the legs sell: the order's amountIn, or what is left of it after halving (see routeOrders). */
  filledIn: bigint;
}

export interface RouteOrdersParameters {
  orders: readonly RoutableOrder[];
  venues: readonly Venue[];
  /** Tokens a route may pass through (WETH). */
  connectors: readonly string[];
  /** Venue states read once for the batch. */
  states: VenueStates;
  slices: number;
  /** An extra vault trade's gas over `route`, in raw units of `tokenOut`. */
  extraLegCostOut: (route: Route, tokenOut: string) => bigint;
  /** The vault's oracle floor for a trade (NavLib.minAmountOutUp on the oracle prices): a leg must return it. */
  floorOut: (order: RoutableOrder, amountIn: bigint) => bigint;
}

/** As the planner does for a single pool: an order whose legs fall below the vault's bound is halved this often. */
const MAX_HALVINGS = 4;

export interface RouteOrdersReturnType {
  routed: RoutedOrder[];
  /** The venue states after every leg of every order, in order. */
  states: Map<string, VenueState>;
}

/**
 * Routes a batch's orders in execution order: each order's candidate routes (direct, via a connector; V2 and
 * V3, every fee tier) are split by splitOrder on the states the earlier orders' legs left, so a pool two
 * orders share (WETH/USDC) is charged for both, and every leg's predicted output is exact when nobody else trades.
 * An order whose legs would not clear the vault's oracle floor is halved, up to 4 times, as the planner does;
 * the rest waits for the next round. This replaces the one-chunk-per-pool-per-transaction rule for routed trades: legs through the same pool may
 * share a transaction because each is simulated after the ones before it.
 */
export async function routeOrders({ orders, venues, connectors, states, slices, extraLegCostOut, floorOut }: RouteOrdersParameters): Promise<RouteOrdersReturnType> {
  const current = new Map(states);
  const routed: RoutedOrder[] = [];
  for (const order of orders) {
    const routes = enumerateRoutes({ tokenIn: order.tokenIn, tokenOut: order.tokenOut, venues, connectors });
    let result: RoutedOrder = { order, legs: [], filledIn: 0n };
    let amountIn = order.amountIn;
    for (let attempt = 0; routes.length > 0 && attempt <= MAX_HALVINGS && amountIn > 0n; attempt++, amountIn /= 2n) {
      const split = await splitOrder({ routes, amountIn, states: current, slices, extraLegCostOut: (route) => extraLegCostOut(route, order.tokenOut) });
      if (split.legs.every((leg) => leg.amountOut >= floorOut(order, leg.amountIn))) {
        result = { order, legs: split.legs, filledIn: amountIn };
        for (const [key, state] of split.moved) current.set(key, state);
        break;
      }
    }
    routed.push(result);
  }
  return { routed, states: current };
}
