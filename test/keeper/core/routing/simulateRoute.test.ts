// simulateRoute on in-memory venues: every expected amount is the swap formula written out (venues.ts), not the SDK.
import { expect } from "chai";
import { describe, it } from "mocha";
import { Pool } from "@uniswap/v3-sdk";
import { simulateRoute, venueKey } from "../../../../keeper/core/routing/simulateRoute.js";
import { encodeRoute, V2_HOP_FEE } from "../../../../keeper/core/routing/encodeRoute.js";
import { HOP_GAS, LEG_GAS, legGasUnits } from "../../../../keeper/core/routing/legGasUnits.js";
import type { VenueState } from "../../../../keeper/core/routing/types.js";
import { Q96, routeOf, statesOf, TKA, USDC, v2, v2Out, v3, v3ExactIn, WETH } from "./venues.js";

const E18 = 10n ** 18n;
const E6 = 10n ** 6n;
const L = 10n ** 21n;
/** WETH/TKA 0.3 %, 4 TKA a WETH (sqrt price exactly 2), one position over ticks 12,000..15,000 (the current is 13,862). */
const wethTka = () => v3({ address: "0x00000000000000000000000000000000000000A1", token0: WETH, token1: TKA, fee: 3000, sqrtPriceX96: 2n * Q96, liquidity: L, tickLower: 12_000, tickUpper: 15_000 });
/** USDC/WETH V2: $3,000,000 against 1,000 WETH. */
const usdcWeth = () => v2("0x00000000000000000000000000000000000000B2", USDC, 3_000_000n * E6, WETH, 1_000n * E18);
const sqrtOf = (state: VenueState | undefined) => (state?.protocol === "v3" ? BigInt(state.pool.sqrtRatioX96.toString()) : undefined);
const reservesOf = (state: VenueState | undefined) => (state?.protocol === "v2" ? [BigInt(state.pair.reserve0.quotient.toString()), BigInt(state.pair.reserve1.quotient.toString())] : undefined);

describe("keeper/core/routing #simulateRoute", function () {
  it("swaps token0 for token1 on a V3 pool as the pool contract does, and returns the pool after", async function () {
    const pool = wethTka();
    const states = statesOf(pool);
    const { amountOut, moved } = await simulateRoute(routeOf(WETH, [pool, TKA]), 3n * E18 + 7n, states);
    const expected = v3ExactIn(2n * Q96, L, 3000, 3n * E18 + 7n, true);
    expect(amountOut).to.equal(expected.amountOut);
    // About 4 TKA a WETH less the fee and the impact: the formula is the pool's.
    expect(amountOut > 11n * E18 && amountOut < 12n * E18).to.equal(true);
    expect([...moved.keys()]).to.deep.equal([venueKey(pool.venue.address)]);
    expect(sqrtOf(moved.get(venueKey(pool.venue.address)))).to.equal(expected.sqrtAfterX96);
    // The states given are not changed.
    expect(sqrtOf(states.get(venueKey(pool.venue.address)))).to.equal(2n * Q96);
  });

  it("swaps token1 for token0 on a V3 pool, whatever the case of the token's address", async function () {
    const pool = wethTka();
    const route = routeOf(TKA, [pool, WETH]);
    route.hops[0]!.tokenIn = TKA.address.toLowerCase();
    const { amountOut, moved } = await simulateRoute(route, 5n * E18, statesOf(pool));
    const expected = v3ExactIn(2n * Q96, L, 3000, 5n * E18, false);
    expect(amountOut).to.equal(expected.amountOut);
    expect(sqrtOf(moved.get(venueKey(pool.venue.address)))).to.equal(expected.sqrtAfterX96);
  });

  it("swaps either way on a V2 pair with the constant-product formula, whatever the case of the token's address", async function () {
    const pair = usdcWeth();
    const buy = routeOf(USDC, [pair, WETH]);
    buy.hops[0]!.tokenIn = USDC.address.toUpperCase().replace("0X", "0x");
    const bought = await simulateRoute(buy, 30_000n * E6, statesOf(pair));
    expect(bought.amountOut).to.equal(v2Out(3_000_000n * E6, 1_000n * E18, 30_000n * E6));
    expect(reservesOf(bought.moved.get(venueKey(pair.venue.address)))).to.deep.equal([3_030_000n * E6, 1_000n * E18 - bought.amountOut]);
    const sold = await simulateRoute(routeOf(WETH, [pair, USDC]), 2n * E18, statesOf(pair));
    expect(sold.amountOut).to.equal(v2Out(1_000n * E18, 3_000_000n * E6, 2n * E18));
  });

  it("chains a two-hop route (V2 then V3), the second hop selling what the first returned", async function () {
    const pair = usdcWeth();
    const pool = wethTka();
    const { amountOut, moved } = await simulateRoute(routeOf(USDC, [pair, WETH], [pool, TKA]), 9_000n * E6, statesOf(pair, pool));
    const weth = v2Out(3_000_000n * E6, 1_000n * E18, 9_000n * E6);
    expect(amountOut).to.equal(v3ExactIn(2n * Q96, L, 3000, weth, true).amountOut);
    expect([...moved.keys()].sort()).to.deep.equal([venueKey(pair.venue.address), venueKey(pool.venue.address)].sort());
  });

  it("prices a second swap on the state the first left", async function () {
    const pair = usdcWeth();
    const first = await simulateRoute(routeOf(USDC, [pair, WETH]), 300_000n * E6, statesOf(pair));
    const second = await simulateRoute(routeOf(USDC, [pair, WETH]), 300_000n * E6, first.moved);
    expect(second.amountOut).to.equal(v2Out(3_300_000n * E6, 1_000n * E18 - first.amountOut, 300_000n * E6));
    expect(second.amountOut < first.amountOut).to.equal(true);
  });

  it("returns 0 and moves nothing for a zero amount", async function () {
    const pool = wethTka();
    expect(await simulateRoute(routeOf(WETH, [pool, TKA]), 0n, statesOf(pool))).to.deep.equal({ amountOut: 0n, moved: new Map() });
  });

  it("values at 0, moving nothing, a V3 swap that would cross ticks beyond the words read", async function () {
    // Only word 0 read: 60 WETH pushes the price below the position (tick 12,000) and on into word -1.
    const narrow = v3({ address: "0x00000000000000000000000000000000000000A1", token0: WETH, token1: TKA, fee: 3000, sqrtPriceX96: 2n * Q96, liquidity: L, tickLower: 12_000, tickUpper: 15_000, minWord: 0, maxWord: 0 });
    expect(await simulateRoute(routeOf(WETH, [narrow, TKA]), 60n * E18, statesOf(narrow))).to.deep.equal({ amountOut: 0n, moved: new Map() });
    // Inside the word the same pool quotes normally.
    expect((await simulateRoute(routeOf(WETH, [narrow, TKA]), E18, statesOf(narrow))).amountOut).to.equal(v3ExactIn(2n * Q96, L, 3000, E18, true).amountOut);
  });

  it("values at 0, moving nothing, a V2 pair that pays nothing: an input too small, or no reserves", async function () {
    const pair = usdcWeth();
    // 1 raw WETH is worth 3e-12 raw USDC: the pair pays 0, which v2-sdk reports as an error.
    expect(await simulateRoute(routeOf(WETH, [pair, USDC]), 1n, statesOf(pair))).to.deep.equal({ amountOut: 0n, moved: new Map() });
    const empty = v2("0x00000000000000000000000000000000000000B3", USDC, 0n, WETH, 0n);
    expect(await simulateRoute(routeOf(USDC, [empty, WETH]), 1_000n * E6, statesOf(empty))).to.deep.equal({ amountOut: 0n, moved: new Map() });
    // A two-hop route whose second hop pays nothing (250k raw WETH is worth 7.5e-7 raw USDC) is worth nothing, and moves nothing either.
    const pool = wethTka();
    expect(await simulateRoute(routeOf(TKA, [pool, WETH], [pair, USDC]), 1_000_000n, statesOf(pool, pair))).to.deep.equal({ amountOut: 0n, moved: new Map() });
  });

  it("lets any other failure of a V3 pool's ticks through, rather than quote 0 on it", async function () {
    const pool = wethTka();
    const tick = pool.state.protocol === "v3" ? pool.state.pool.tickCurrent : 0;
    const failing = new Pool(WETH, TKA, 3000, (2n * Q96).toString(), L.toString(), tick, {
      getTick: () => Promise.reject(new Error("tick read failed")),
      nextInitializedTickWithinOneWord: () => Promise.reject(new Error("tick read failed")),
    });
    const states = new Map([[venueKey(pool.venue.address), { protocol: "v3" as const, pool: failing }]]);
    try {
      await simulateRoute(routeOf(WETH, [pool, TKA]), E18, states);
      expect.fail("no error");
    } catch (error) {
      expect((error as Error).message).to.equal("tick read failed");
    }
  });

  it("refuses a route over a venue it has no state for, naming the venue", async function () {
    const pool = wethTka();
    const pair = usdcWeth();
    try {
      await simulateRoute(routeOf(USDC, [pair, WETH], [pool, TKA]), E6, statesOf(pool));
      expect.fail("no error");
    } catch (error) {
      expect((error as Error).message).to.contain(pair.venue.address);
    }
  });
});

describe("keeper/core/routing #encodeRoute and #legGasUnits", function () {
  it("packs tokenIn, then fee and token per hop, a V2 hop's fee marked 0x800000", function () {
    const pair = usdcWeth();
    const pool = wethTka();
    const hex = (address: string) => address.slice(2).toLowerCase();
    expect(encodeRoute(routeOf(USDC, [pair, WETH], [pool, TKA]))).to.equal(`0x${hex(USDC.address)}800000${hex(WETH.address)}000bb8${hex(TKA.address)}`);
    expect(encodeRoute(routeOf(TKA, [pool, WETH]))).to.equal(`0x${hex(TKA.address)}000bb8${hex(WETH.address)}`);
    expect(V2_HOP_FEE).to.equal(0x800000);
  });

  it("charges 140k gas for a one-hop trade and 60k for each further hop", function () {
    const pair = usdcWeth();
    const pool = wethTka();
    expect([LEG_GAS, HOP_GAS]).to.deep.equal([140_000n, 60_000n]);
    expect(legGasUnits(routeOf(USDC, [pair, WETH]))).to.equal(140_000n);
    expect(legGasUnits(routeOf(USDC, [pair, WETH], [pool, TKA]))).to.equal(200_000n);
  });
});
