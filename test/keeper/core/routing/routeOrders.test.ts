// Route enumeration and batch routing on in-memory V2 pairs and V3 pools: expected amounts from the swap formulas.
import { expect } from "chai";
import { describe, it } from "mocha";
import { enumerateRoutes } from "../../../../keeper/core/routing/enumerateRoutes.js";
import { routeOrders, type RoutableOrder } from "../../../../keeper/core/routing/routeOrders.js";
import type { Route, Venue } from "../../../../keeper/core/routing/types.js";
import { Q96, TKA, TKB, USDC, v2, v2Out, v3, v3ExactIn, WETH, statesOf } from "./venues.js";

const E6 = 10n ** 6n;
const E18 = 10n ** 18n;
const venue = (protocol: "v2" | "v3", address: string, a: string, b: string, fee = 3000): Venue => ({ protocol, address, token0: a, token1: b, fee });
const hopsOf = (routes: Route[]) => routes.map((r) => r.hops.map((h) => [h.venue.address, h.tokenIn, h.tokenOut]));

describe("keeper/core/routing #enumerateRoutes", function () {
  const usdcTka500 = venue("v3", "0xa1", USDC.address, TKA.address, 500);
  const usdcTka3000 = venue("v3", "0xa2", USDC.address, TKA.address);
  const usdcTkaV2 = venue("v2", "0xa3", USDC.address, TKA.address);
  const usdcWeth = venue("v3", "0xa4", USDC.address, WETH.address, 500);
  const usdcWethV2 = venue("v2", "0xa5", USDC.address, WETH.address);
  const wethTka = venue("v3", "0xa6", WETH.address, TKA.address);
  const wethTkb = venue("v3", "0xa7", WETH.address, TKB.address);
  const tkaTkb = venue("v2", "0xa8", TKA.address, TKB.address);
  const venues = [usdcTka500, usdcWeth, usdcTka3000, wethTkb, usdcTkaV2, usdcWethV2, wethTka, tkaTkb];

  it("lists every direct venue (each tier, V2), then every venue into the connector times every venue out of it", function () {
    const routes = enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues, connectors: [WETH.address] });
    const [u, w, t] = [USDC.address, WETH.address, TKA.address];
    expect(hopsOf(routes)).to.deep.equal([
      [["0xa1", u, t]],
      [["0xa2", u, t]],
      [["0xa3", u, t]],
      [
        ["0xa4", u, w],
        ["0xa6", w, t],
      ],
      [
        ["0xa5", u, w],
        ["0xa6", w, t],
      ],
    ]);
    expect(routes[3]!.hops.map((h) => h.venue)).to.deep.equal([usdcWeth, wethTka]);
  });

  it("matches addresses whatever their case, keeping the spelling given for the hops' tokens", function () {
    const lower = enumerateRoutes({ tokenIn: TKA.address.toLowerCase(), tokenOut: USDC.address.toUpperCase().replace("0X", "0x"), venues, connectors: [WETH.address.toLowerCase()] });
    expect(lower.map((r) => r.hops.map((h) => h.venue.address))).to.deep.equal([["0xa1"], ["0xa2"], ["0xa3"], ["0xa6", "0xa4"], ["0xa6", "0xa5"]]);
    expect(lower[3]!.hops.map((h) => [h.tokenIn, h.tokenOut])).to.deep.equal([
      [TKA.address.toLowerCase(), WETH.address.toLowerCase()],
      [WETH.address.toLowerCase(), USDC.address.toUpperCase().replace("0X", "0x")],
    ]);
  });

  it("never passes through an end of the route itself, and uses every connector given", function () {
    // USDC -> WETH: no route "via WETH" or "via USDC", only the two direct venues; TKA -> TKB via WETH and via USDC (no venue USDC/TKB).
    expect(hopsOf(enumerateRoutes({ tokenIn: USDC.address, tokenOut: WETH.address, venues, connectors: [WETH.address, USDC.address] })).map((r) => r.map((h) => h[0]))).to.deep.equal([
      ["0xa4"],
      ["0xa5"],
    ]);
    expect(enumerateRoutes({ tokenIn: TKA.address, tokenOut: TKB.address, venues, connectors: [USDC.address, WETH.address] }).map((r) => r.hops.map((h) => h.venue.address))).to.deep.equal([
      ["0xa8"],
      ["0xa6", "0xa7"],
    ]);
  });

  it("finds nothing without a venue, and reads each venue list afresh", function () {
    expect(enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKB.address, venues: [usdcTka500], connectors: [WETH.address] })).to.deep.equal([]);
    expect(enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues: [usdcTkaV2], connectors: [] }).map((r) => r.hops[0]!.venue.address)).to.deep.equal(["0xa3"]);
    expect(enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues: [usdcTka3000], connectors: [] }).map((r) => r.hops[0]!.venue.address)).to.deep.equal(["0xa2"]);
  });
});

describe("keeper/core/routing #routeOrders", function () {
  // Two tokens with liquidity only against WETH, and one WETH/USDC pool both routes cross.
  const usdcWeth = v2("0x00000000000000000000000000000000000000E1", USDC, 3_000_000n * E6, WETH, 1_000n * E18);
  const L = 10n ** 21n;
  const wethTka = v3({ address: "0x00000000000000000000000000000000000000E2", token0: WETH, token1: TKA, fee: 3000, sqrtPriceX96: 2n * Q96, liquidity: L, tickLower: 12_000, tickUpper: 15_000 });
  const wethTkb = v2("0x00000000000000000000000000000000000000E3", WETH, 1_000n * E18, TKB, 1_500_000n * E18);
  const venues = [usdcWeth, wethTka, wethTkb].map((v) => v.venue);
  const states = statesOf(usdcWeth, wethTka, wethTkb);
  const base = { venues, connectors: [WETH.address], states, slices: 8, extraLegCostOut: () => 0n, floorOut: () => 0n };

  it("routes a batch in order, the second order through the shared pool priced after the first", async function () {
    const orders: RoutableOrder[] = [
      { tokenIn: USDC.address, tokenOut: TKA.address, amountIn: 30_000n * E6 },
      { tokenIn: USDC.address, tokenOut: TKB.address, amountIn: 60_000n * E6 },
    ];
    const { routed, states: after } = await routeOrders({ ...base, orders });
    const w1 = v2Out(3_000_000n * E6, 1_000n * E18, 30_000n * E6);
    const w2 = v2Out(3_030_000n * E6, 1_000n * E18 - w1, 60_000n * E6);
    expect(routed.map((r) => [r.order, r.filledIn, r.legs.map((l) => [l.route.hops.map((h) => h.venue.address), l.amountIn, l.amountOut])])).to.deep.equal([
      [orders[0], 30_000n * E6, [[[usdcWeth.venue.address, wethTka.venue.address], 30_000n * E6, v3ExactIn(2n * Q96, L, 3000, w1, true).amountOut]]],
      [orders[1], 60_000n * E6, [[[usdcWeth.venue.address, wethTkb.venue.address], 60_000n * E6, v2Out(1_000n * E18, 1_500_000n * E18, w2)]]],
    ]);
    const shared = after.get(usdcWeth.venue.address.toLowerCase());
    expect(shared?.protocol === "v2" && shared.pair.reserveOf(WETH).quotient.toString()).to.equal(`${1_000n * E18 - w1 - w2}`);
    expect(after.get(wethTkb.venue.address.toLowerCase())).to.not.equal(states.get(wethTkb.venue.address.toLowerCase()));
    // The batch's states are not changed.
    expect(states.get(usdcWeth.venue.address.toLowerCase())).to.equal(usdcWeth.state);
  });

  it("halves an order whose legs miss the oracle floor, up to four times, and the rest waits", async function () {
    const order = { tokenIn: USDC.address, tokenOut: TKB.address, amountIn: 160_000n * E6 + 1n };
    for (const passes of [0, 1, 4, 5]) {
      const asked: bigint[] = [];
      const amount = (attempt: number) => order.amountIn / 2n ** BigInt(attempt);
      const floorOut = (o: RoutableOrder, amountIn: bigint) => {
        expect(o).to.equal(order);
        asked.push(amountIn);
        return amountIn === amount(passes) ? 0n : 10n ** 40n;
      };
      const { routed, states: after } = await routeOrders({ ...base, orders: [order], floorOut });
      expect(asked, `passing at attempt ${passes}`).to.deep.equal([0, 1, 2, 3, 4, 5].slice(0, Math.min(passes, 4) + 1).map(amount));
      const filled = passes <= 4 ? amount(passes) : 0n;
      expect(routed[0]!.filledIn).to.equal(filled);
      expect(routed[0]!.legs.map((l) => l.amountIn)).to.deep.equal(filled === 0n ? [] : [filled]);
      // An order that did not route leaves the states as they were.
      if (filled === 0n) expect(after).to.deep.equal(new Map(states));
    }
  });

  it("checks every leg against the floor for its own size", async function () {
    // Two equal WETH/TKB pairs behind the shared pool: the order splits into two legs; a floor on the second leg alone fails it.
    const twin = v2("0x00000000000000000000000000000000000000E4", WETH, 1_000n * E18, TKB, 1_500_000n * E18);
    const order = { tokenIn: USDC.address, tokenOut: TKB.address, amountIn: 400_000n * E6 };
    const run = (floorOut: (o: RoutableOrder, amountIn: bigint) => bigint) =>
      routeOrders({ ...base, venues: [...venues, twin.venue], states: statesOf(usdcWeth, wethTka, wethTkb, twin), orders: [order], floorOut });
    const open = await run(() => 0n);
    expect(open.routed[0]!.legs).to.have.length(2);
    const [first, second] = open.routed[0]!.legs;
    const strict = await run((_, amountIn) => (amountIn === second!.amountIn ? second!.amountOut + 1n : amountIn === first!.amountIn ? first!.amountOut : 0n));
    expect(strict.routed[0]!.filledIn).to.equal(200_000n * E6);
    const exact = await run((_, amountIn) => (amountIn === second!.amountIn ? second!.amountOut : amountIn === first!.amountIn ? first!.amountOut : 0n));
    expect(exact.routed[0]!.filledIn).to.equal(400_000n * E6);
  });

  it("passes the extra leg's gas the order's output token and the route", async function () {
    const seen: [number, string][] = [];
    const extraLegCostOut = (route: Route, tokenOut: string) => {
      seen.push([route.hops.length, tokenOut]);
      return 0n;
    };
    const twin = v2("0x00000000000000000000000000000000000000E4", WETH, 1_000n * E18, TKB, 1_500_000n * E18);
    await routeOrders({ ...base, venues: [...venues, twin.venue], states: statesOf(usdcWeth, wethTka, wethTkb, twin), orders: [{ tokenIn: USDC.address, tokenOut: TKB.address, amountIn: 400_000n * E6 }], extraLegCostOut });
    expect(seen.length > 0 && seen.every(([hops, token]) => hops === 2 && token === TKB.address)).to.equal(true);
  });

  it("leaves unrouted an order no venue serves, and one for nothing", async function () {
    const orders = [
      { tokenIn: USDC.address, tokenOut: "0x00000000000000000000000000000000000000F9", amountIn: 1_000n * E6 },
      { tokenIn: USDC.address, tokenOut: TKA.address, amountIn: 0n },
    ];
    const { routed, states: after } = await routeOrders({ ...base, orders });
    expect(routed).to.deep.equal(orders.map((order) => ({ order, legs: [], filledIn: 0n })));
    expect(after).to.deep.equal(new Map(states));
  });
});
