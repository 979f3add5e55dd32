import type { ContractRunner } from "ethers";
import { afterSlippage } from "../core/planner/afterSlippage.js";
import { enumerateRoutes } from "../core/routing/enumerateRoutes.js";
import { encodeRoute } from "../core/routing/encodeRoute.js";
import { routeOrders } from "../core/routing/routeOrders.js";
import { DEFAULT_SPLIT_SLICES } from "../core/routing/splitOrder.js";
import type { Route, Venue } from "../core/routing/types.js";
import { readTradeFloors } from "./readTradeFloors.js";
import { readVenueStates } from "./readVenueStates.js";
import { NEAR_WORDS, type QuoteTradesReturnType, type QuotedTrade, type TradeIntent } from "./quoteTrades.js";

export interface QuoteRoutedTradesParameters {
  runner: ContractRunner;
  chainId: number;
  vault: string;
  /** Every venue the vault allowlists (resolveVenues). */
  venues: readonly Venue[];
  /** Tokens a route may pass through (WETH). */
  connectors: readonly string[];
  /** In execution order: later trades are routed on the states the earlier ones' legs leave. */
  trades: readonly TradeIntent[];
  slippageBps: number;
  /** What one more vault trade over `route` costs in gas, in raw units of `tokenOut`. */
  legCostOut: (route: Route, tokenOut: string) => bigint;
  /** Slices of the splitter's greedy (splitOrder). */
  slices?: number;
}

/**
 * quoteTrades for the SwapRouter02 adapter: reads, at one block, every venue a trade could route through and
 * the oracle floors, then routes the trades in order (routeOrders: direct or via WETH, V2 and V3, split where
 * that pays after gas). Each leg becomes one quoted vault trade whose data is its mixed-route path, quotedOut its
 * exact predicted output, minAmountOut that less the slippage but never under the vault's oracle bound. A trade
 * with no allowlisted route, or whose legs miss the bound even at 1/16 of its size, is rejected; one filled at a
 * halved size leaves the rest for the next round, as quoteTrades does.
 */
export async function quoteRoutedTrades({ runner, chainId, vault, venues, connectors, trades, slippageBps, legCostOut, slices = DEFAULT_SPLIT_SLICES }: QuoteRoutedTradesParameters): Promise<QuoteTradesReturnType> {
  const blockTag = await runner.provider!.getBlockNumber();
  const candidates = trades.map((t) => enumerateRoutes({ tokenIn: t.tokenIn, tokenOut: t.tokenOut, venues, connectors }));
  const used = new Map(candidates.flat().flatMap((r) => r.hops.map((h) => [h.venue.address.toLowerCase(), h.venue] as const)));
  const tokens = [...new Set(trades.flatMap((t) => [t.tokenIn.toLowerCase(), t.tokenOut.toLowerCase()]))];
  const [states, floor] = await Promise.all([
    readVenueStates({ runner, chainId, venues: [...used.values()], blockTag, wordRadius: NEAR_WORDS }),
    readTradeFloors({ runner, vault, tokens, blockTag }),
  ]);
  const { routed } = await routeOrders({
    orders: trades,
    venues: [...used.values()],
    connectors,
    states,
    slices,
    extraLegCostOut: legCostOut,
    floorOut: (order, amountIn) => floor(order.tokenIn, order.tokenOut, amountIn),
  });
  const result: QuoteTradesReturnType = { quoted: [], rejected: [] };
  routed.forEach(({ order, legs }, i) => {
    if (legs.length === 0) {
      const reason =
        candidates[i].length === 0
          ? `no allowlisted route from ${order.tokenIn} to ${order.tokenOut} (direct or via ${connectors.join(", ")})`
          : `even 1/16 of it, over any of ${candidates[i].length} allowlisted routes, quotes under the vault's oracle bound: the pools are off the oracle, or too thin, by more than the vault's max slippage`;
      result.rejected.push({ trade: order, reason });
      return;
    }
    for (const leg of legs) {
      const oracleMinOut = floor(order.tokenIn, order.tokenOut, leg.amountIn);
      const fromQuote = afterSlippage(leg.amountOut, slippageBps);
      const quoted: QuotedTrade = {
        tokenIn: order.tokenIn,
        tokenOut: order.tokenOut,
        amountIn: leg.amountIn,
        pool: leg.route.hops[0].venue.address,
        fee: leg.route.hops[0].venue.fee,
        path: encodeRoute(leg.route),
        quotedOut: leg.amountOut,
        oracleMinOut,
        minAmountOut: fromQuote > oracleMinOut ? fromQuote : oracleMinOut,
      };
      result.quoted.push(quoted);
    }
  });
  return result;
}
