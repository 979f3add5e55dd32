import type { Route } from "./types.js";

/** Gas of a single-hop vault trade (bench/gas.json: ~140k swap and accounting). */
export const LEG_GAS = 140_000n;
/** Gas each further hop of a route adds (one more pool swap and transfer). */
export const HOP_GAS = 60_000n;

/** The gas one more vault trade over `route` costs: what opening a route must win back before the splitter uses it. */
export function legGasUnits(route: Route): bigint {
  return LEG_GAS + HOP_GAS * BigInt(route.hops.length - 1);
}
