// splitOrder's greedy on in-memory V2 pairs, against a plain re-statement of the documented greedy (every slice
// to the route whose next slice returns most on what the earlier slices left, a route not used yet paying its
// gas first, the first route listed winning a tie), written here over the constant-product formula.
import { expect } from "chai";
import { describe, it } from "mocha";
import type { Pair } from "@uniswap/v2-sdk";
import { splitOrder } from "../../../../keeper/core/routing/splitOrder.js";
import type { Route } from "../../../../keeper/core/routing/types.js";
import { routeOf, statesOf, TKA, USDC, v2, v2Out, WETH, type TestVenue } from "./venues.js";

const E6 = 10n ** 6n;
const E18 = 10n ** 18n;
/** USDC/TKA pairs at $2: X and Y $1M a side, Z half as deep. */
const X = () => v2("0x00000000000000000000000000000000000000C1", USDC, 1_000_000n * E6, TKA, 500_000n * E18);
const Y = () => v2("0x00000000000000000000000000000000000000C2", USDC, 1_000_000n * E6, TKA, 500_000n * E18);
const Z = () => v2("0x00000000000000000000000000000000000000C3", USDC, 500_000n * E6, TKA, 250_000n * E18);
const reserves = (v: TestVenue): [bigint, bigint] => (v.state.protocol === "v2" ? [BigInt(v.state.pair.reserveOf(USDC).quotient.toString()), BigInt(v.state.pair.reserveOf(TKA).quotient.toString())] : [0n, 0n]);

/** The documented greedy over one-hop USDC -> TKA pairs: the amount each pair gets. */
function referenceGreedy(pairs: TestVenue[], amountIn: bigint, slices: bigint, gas: bigint[]): bigint[] {
  const state = pairs.map(reserves);
  const given = pairs.map(() => 0n);
  const size = amountIn / slices;
  for (let s = 0n; s < slices; s++) {
    const slice = s === slices - 1n ? amountIn - size * (slices - 1n) : size;
    const scores = state.map(([x, y], i) => v2Out(x, y, slice) - (given[i] === 0n && given.some((g) => g > 0n) ? gas[i]! : 0n));
    const best = scores.indexOf(scores.reduce((a, b) => (b > a ? b : a)));
    const out = v2Out(state[best]![0], state[best]![1], slice);
    state[best] = [state[best]![0] + slice, state[best]![1] - out];
    given[best] += slice;
  }
  return given;
}

async function split(pairs: TestVenue[], amountIn: bigint, slices: number, gas: bigint[] = pairs.map(() => 0n)) {
  const routes = pairs.map((p) => routeOf(USDC, [p, TKA]));
  const gasOf = (route: Route) => gas[routes.indexOf(route)]!;
  return splitOrder({ routes, amountIn, states: statesOf(...pairs), slices, extraLegCostOut: gasOf });
}

/** The legs a split onto `pairs` of `amounts` (0: unused) must give, each simulated whole on its fresh pair. */
function legsFor(pairs: TestVenue[], amounts: bigint[]) {
  return pairs.flatMap((p, i) => (amounts[i] === 0n ? [] : [{ address: p.venue.address, amountIn: amounts[i]!, amountOut: v2Out(...reserves(p), amounts[i]!) }]));
}
const legsOf = (result: Awaited<ReturnType<typeof split>>) => result.legs.map((l) => ({ address: l.route.hops[0]!.venue.address, amountIn: l.amountIn, amountOut: l.amountOut }));

describe("keeper/core/routing #splitOrder", function () {
  it("halves an order between two equal pairs, slice by slice, and returns both pairs' states after", async function () {
    const result = await split([X(), Y()], 80_000n * E6, 8);
    expect(legsOf(result)).to.deep.equal(legsFor([X(), Y()], [40_000n * E6, 40_000n * E6]));
    const out = v2Out(1_000_000n * E6, 500_000n * E18, 40_000n * E6);
    for (const v of [X(), Y()]) {
      const after = result.moved.get(v.venue.address.toLowerCase());
      expect(after?.protocol === "v2" && [after.pair.reserveOf(USDC).quotient.toString(), after.pair.reserveOf(TKA).quotient.toString()]).to.deep.equal([`${1_040_000n * E6}`, `${500_000n * E18 - out}`]);
    }
  });

  it("gives a tie to the route listed first: the odd remainder of the last slice lands on the second pair", async function () {
    // Slices alternate X, Y, X, ... (X first on every tie); the eighth, 5 raw units larger, is Y's.
    const result = await split([X(), Y()], 80_000n * E6 + 5n, 8);
    expect(legsOf(result)).to.deep.equal(legsFor([X(), Y()], [40_000n * E6, 40_000n * E6 + 5n]));
  });

  it("splits unequal pairs as the greedy does, the sizes summing to the order", async function () {
    for (const [amountIn, slices] of [
      [90_000n * E6 + 3n, 8],
      [250_000n * E6, 5],
      [7_777n * E6, 3],
    ] as const) {
      const pairs = [Z(), X()];
      const expected = referenceGreedy(pairs, amountIn, BigInt(slices), [0n, 0n]);
      expect(expected.every((a) => a > 0n), "the reference splits").to.equal(true);
      const result = await split(pairs, amountIn, slices);
      expect(legsOf(result), `${amountIn} in ${slices}`).to.deep.equal(legsFor(pairs, expected));
      expect(result.legs.reduce((sum, l) => sum + l.amountIn, 0n)).to.equal(amountIn);
    }
  });

  it("charges a route its extra trade's gas before it is opened, never the first route used", async function () {
    const pairs = [Z(), X()];
    // The deeper pair is listed second and takes the first slice; the shallower one opens later, after its gas.
    const first = (v: TestVenue) => v2Out(...reserves(v), 10_000n * E6);
    for (const gas of [first(Z()) - first(X()) / 2n, (first(Z()) * 3n) / 10n, 1n]) {
      const expected = referenceGreedy(pairs, 80_000n * E6, 8n, [gas, gas]);
      const result = await split(pairs, 80_000n * E6, 8, [gas, gas]);
      expect(legsOf(result), `gas ${gas}`).to.deep.equal(legsFor(pairs, expected));
    }
    // A gas no slice wins back: one leg, on the deeper pair (the better first slice), though listed second.
    const alone = await split(pairs, 80_000n * E6, 8, [10n ** 30n, 10n ** 30n]);
    expect(legsOf(alone)).to.deep.equal(legsFor(pairs, [0n, 80_000n * E6]));
  });

  it("keeps a small order on the better route when the other cannot win its gas back, and splits it when it can", async function () {
    const pairs = [X(), Y()];
    const size = 1_000n * E6;
    // X's last slice after the other seven, against Y's first: the gap the second trade's gas must exceed.
    let [x, y] = reserves(X());
    for (let s = 0; s < 7; s++) {
      const out = v2Out(x, y, size);
      [x, y] = [x + size, y - out];
    }
    const gap = v2Out(...reserves(Y()), size) - v2Out(x, y, size);
    expect(legsOf(await split(pairs, 8n * size, 8, [gap, gap]))).to.deep.equal(legsFor(pairs, [8n * size, 0n]));
    const expected = referenceGreedy(pairs, 8n * size, 8n, [gap - 1n, gap - 1n]);
    expect(expected).to.deep.equal([7n * size, size]);
    expect(legsOf(await split(pairs, 8n * size, 8, [gap - 1n, gap - 1n]))).to.deep.equal(legsFor(pairs, expected));
  });

  it("charges two routes through one pair (USDC/WETH) for both legs, the second leg simulated after the first", async function () {
    const shared = v2("0x00000000000000000000000000000000000000D1", USDC, 3_000_000n * E6, WETH, 1_000n * E18);
    const p1 = v2("0x00000000000000000000000000000000000000D2", WETH, 1_000n * E18, TKA, 1_500_000n * E18);
    const p2 = v2("0x00000000000000000000000000000000000000D3", WETH, 1_000n * E18, TKA, 1_500_000n * E18);
    const routes = [routeOf(USDC, [shared, WETH], [p1, TKA]), routeOf(USDC, [shared, WETH], [p2, TKA])];
    const { legs, moved } = await splitOrder({ routes, amountIn: 160_000n * E6, states: statesOf(shared, p1, p2), slices: 8, extraLegCostOut: () => 0n });
    // Equal token pairs behind one shared pair: the slices alternate, 80k each.
    expect(legs.map((l) => l.amountIn)).to.deep.equal([80_000n * E6, 80_000n * E6]);
    const w1 = v2Out(3_000_000n * E6, 1_000n * E18, 80_000n * E6);
    const w2 = v2Out(3_080_000n * E6, 1_000n * E18 - w1, 80_000n * E6);
    expect(legs.map((l) => l.amountOut)).to.deep.equal([v2Out(1_000n * E18, 1_500_000n * E18, w1), v2Out(1_000n * E18, 1_500_000n * E18, w2)]);
    const after = moved.get(shared.venue.address.toLowerCase());
    expect(after?.protocol === "v2" && after.pair.reserveOf(WETH).quotient.toString()).to.equal(`${1_000n * E18 - w1 - w2}`);
    expect([...moved.keys()]).to.have.members([shared, p1, p2].map((v) => v.venue.address.toLowerCase()));
  });

  it("puts the whole order on the best route when there is one slice (0 counts as 1) or one route", async function () {
    for (const slices of [1, 0, -3]) expect(legsOf(await split([Z(), X()], 50_000n * E6, slices))).to.deep.equal(legsFor([Z(), X()], [0n, 50_000n * E6]));
    expect(legsOf(await split([Z()], 50_000n * E6, 8))).to.deep.equal(legsFor([Z()], [50_000n * E6]));
  });

  it("fills an order smaller than its slice count in the last slice, on the route that pays most for it", async function () {
    expect(legsOf(await split([X(), Y()], 5n, 8))).to.deep.equal(legsFor([X(), Y()], [5n, 0n]));
    expect(legsOf(await split([Z(), X()], 5n, 8))).to.deep.equal(legsFor([Z(), X()], [0n, 5n]));
  });

  it("gives the first slice to the best route whatever its own gas, a route's gas being its own", async function () {
    // X would cost a fortune as a second trade, Y nothing: X still takes the first slice (a tie, listed first), then
    // Y opens for free and the order halves; the reverse gas leaves it all on X.
    expect(legsOf(await split([X(), Y()], 80_000n * E6, 8, [10n ** 30n, 0n]))).to.deep.equal(legsFor([X(), Y()], [40_000n * E6, 40_000n * E6]));
    expect(legsOf(await split([X(), Y()], 80_000n * E6, 8, [0n, 10n ** 30n]))).to.deep.equal(legsFor([X(), Y()], [80_000n * E6, 0n]));
    // The deeper pair listed first, the shallower second, neither worth a second trade: the deeper takes it all.
    expect(legsOf(await split([X(), Z()], 80_000n * E6, 8, [10n ** 30n, 10n ** 30n]))).to.deep.equal(legsFor([X(), Z()], [80_000n * E6, 0n]));
    // Two equal routes, neither worth a second trade: the one listed first takes it all.
    expect(legsOf(await split([X(), Y()], 80_000n * E6, 8, [10n ** 30n, 10n ** 30n]))).to.deep.equal(legsFor([X(), Y()], [80_000n * E6, 0n]));
  });

  // The cost model the keeper's CPU budget rests on (issue 16: plan + routing < 200 ms for 100 orders): one route
  // that suffices costs routes + 2 simulations before the legs; otherwise each slice re-quotes only the routes a
  // placed slice moved (all of them when the last slice's size differs). Counted as V2 swaps simulated.
  describe("simulations", function () {
    /** `pairs` whose every state, and every state a swap derives from it, counts its swaps in `count.swaps`. */
    function counting(pairs: TestVenue[]) {
      const count = { swaps: 0 };
      const wrap = (pair: Pair): Pair => {
        const original = pair.getOutputAmount.bind(pair);
        pair.getOutputAmount = (...args: Parameters<Pair["getOutputAmount"]>) => {
          count.swaps++;
          const [out, next] = original(...args);
          return [out, wrap(next)];
        };
        return pair;
      };
      for (const p of pairs) if (p.state.protocol === "v2") wrap(p.state.pair);
      return { count, pairs };
    }
    const run = async (pairs: TestVenue[], amountIn: bigint, slices: number, gas: bigint) => {
      const { count } = counting(pairs);
      const result = await split(pairs, amountIn, slices, pairs.map(() => gas));
      return { swaps: count.swaps, legs: result.legs.length };
    };

    it("one route: only its leg", async function () {
      expect(await run([X()], 80_000n * E6, 8, 0n)).to.deep.equal({ swaps: 1, legs: 1 });
    });

    it("one route suffices: routes + 2, then the leg", async function () {
      expect(await run([X(), Y()], 80_000n * E6, 8, 10n ** 30n)).to.deep.equal({ swaps: 2 + 2 + 1, legs: 1 });
      // Only the other routes' gas counts against the best one: its own is never paid.
      const pairs = [X(), Y()];
      const { count } = counting(pairs);
      const routes = pairs.map((p) => routeOf(USDC, [p, TKA]));
      await splitOrder({ routes, amountIn: 80_000n * E6, states: statesOf(...pairs), slices: 8, extraLegCostOut: (route) => (route === routes[0] ? 0n : 10n ** 30n) });
      expect(count.swaps).to.equal(5);
      // At the shortcut's exact edge: X's last slice (after the other seven in one swap) equals Y's first less its gas.
      const [x, y] = reserves(X());
      const rest = v2Out(x, y, 70_000n * E6);
      const gap = v2Out(x, y, 10_000n * E6) - v2Out(x + 70_000n * E6, y - rest, 10_000n * E6);
      expect(await run([X(), Y()], 80_000n * E6, 8, gap)).to.deep.equal({ swaps: 5, legs: 1 });
    });

    it("a split: the shortcut's 4, the first slice's 2 quotes, 1 re-quote for each later slice, then the legs", async function () {
      expect(await run([X(), Y()], 80_000n * E6, 8, 0n)).to.deep.equal({ swaps: 4 + 2 + 7 + 2, legs: 2 });
      // A last slice of another size re-quotes both routes.
      expect(await run([X(), Y()], 80_000n * E6 + 5n, 8, 0n)).to.deep.equal({ swaps: 4 + 2 + 6 + 2 + 2, legs: 2 });
      // One slice: no shortcut, one quote per route.
      expect(await run([X(), Y()], 80_000n * E6, 1, 0n)).to.deep.equal({ swaps: 2 + 1, legs: 1 });
    });

    it("routes through a shared pair are re-quoted when either moves it", async function () {
      const shared = v2("0x00000000000000000000000000000000000000D1", USDC, 3_000_000n * E6, WETH, 1_000n * E18);
      const p1 = v2("0x00000000000000000000000000000000000000D2", WETH, 1_000n * E18, TKA, 1_500_000n * E18);
      const p2 = v2("0x00000000000000000000000000000000000000D3", WETH, 1_000n * E18, TKA, 1_500_000n * E18);
      const { count } = counting([shared, p1, p2]);
      const routes = [routeOf(USDC, [shared, WETH], [p1, TKA]), routeOf(USDC, [shared, WETH], [p2, TKA])];
      await splitOrder({ routes, amountIn: 160_000n * E6, states: statesOf(shared, p1, p2), slices: 8, extraLegCostOut: () => 0n });
      // Two hops a simulation: the shortcut's 4, then 2 quotes for every slice (each placed slice moves the shared pair), then 2 legs.
      expect(count.swaps).to.equal(2 * (4 + 2 * 8 + 2));
    });
  });

  it("refuses no route, and an amount that is not positive", async function () {
    await expectRejected(splitOrder({ routes: [], amountIn: 1n, states: statesOf(), slices: 8, extraLegCostOut: () => 0n }), /no route/);
    for (const amountIn of [0n, -1n]) await expectRejected(split([X()], amountIn, 8), new RegExp(`amountIn must be positive, got ${amountIn}`));
  });
});

async function expectRejected(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail("no error");
}
