import { CurrencyAmount } from "@uniswap/sdk-core";
import { InsufficientInputAmountError, InsufficientReservesError } from "@uniswap/v2-sdk";
import { TickWindowExceededError } from "../errors.js";
import type { Route, VenueState, VenueStates } from "./types.js";

export interface SimulateRouteReturnType {
  amountOut: bigint;
  /** The states of the venues the swap crossed, after it (venue address in lower case -> state); `states` is not changed. */
  moved: Map<string, VenueState>;
}

/** The map key of a venue. */
export const venueKey = (address: string): string => address.toLowerCase();

/** bigint <-> the SDKs' JSBI through hex: JSBI's generic decimal toString was a tenth of the routing's CPU. */
const toRaw = (amount: bigint) => `0x${amount.toString(16)}`;
const fromQuotient = (quotient: { toString(radix?: number): string }) => BigInt(`0x${quotient.toString(16)}`);

/**
 * An exact-input swap of `amountIn` along `route`, hop by hop, with the official SDKs' port of each venue's
 * math (v3-sdk Pool.getOutputAmount over the ticks read, v2-sdk Pair.getOutputAmount over the reserves), on
 * the states the earlier legs of the batch left: the executed amount when nobody else trades. A swap that would
 * cross ticks beyond those read returns 0 (unknown is not a quote), and so does a V2 pair that pays nothing (no
 * reserves, or an input worth less than one raw unit out): the route is worth nothing at that size. Only the crossed venues' new states are
 * returned, so that the splitter, which tries every route for every slice, never copies the whole batch's states.
 */
export async function simulateRoute(route: Route, amountIn: bigint, states: Pick<VenueStates, "get">): Promise<SimulateRouteReturnType> {
  const moved = new Map<string, VenueState>();
  let amount = amountIn;
  for (const hop of route.hops) {
    const key = venueKey(hop.venue.address);
    const state = moved.get(key) ?? states.get(key);
    if (state === undefined) throw new Error(`simulateRoute: no state for venue ${hop.venue.address}`);
    if (amount === 0n) return { amountOut: 0n, moved };
    if (state.protocol === "v3") {
      const input = hop.tokenIn.toLowerCase() === state.pool.token0.address.toLowerCase() ? state.pool.token0 : state.pool.token1;
      let swapped;
      try {
        swapped = await state.pool.getOutputAmount(CurrencyAmount.fromRawAmount(input, toRaw(amount)));
      } catch (error) {
        // Past the ticks read (a pool read in a window): nothing is known there, so the route is worth nothing at
        // this size and no prediction is made from a guess; the splitter gives it less, the order halves.
        if (error instanceof TickWindowExceededError) return { amountOut: 0n, moved: new Map() };
        throw error;
      }
      const [output, pool] = swapped;
      moved.set(key, { protocol: "v3", pool });
      amount = fromQuotient(output.quotient);
    } else {
      const input = hop.tokenIn.toLowerCase() === state.pair.token0.address.toLowerCase() ? state.pair.token0 : state.pair.token1;
      let swapped;
      try {
        swapped = state.pair.getOutputAmount(CurrencyAmount.fromRawAmount(input, toRaw(amount)));
      } catch (error) {
        // v2-sdk throws where the pair contract would revert: the splitter must see a worthless route, not stop
        // the batch (a pair drained to its locked minimum liquidity pays 0 for any order).
        if (error instanceof InsufficientInputAmountError || error instanceof InsufficientReservesError) return { amountOut: 0n, moved: new Map() };
        throw error;
      }
      const [output, pair] = swapped;
      moved.set(key, { protocol: "v2", pair });
      amount = fromQuotient(output.quotient);
    }
  }
  return { amountOut: amount, moved };
}
