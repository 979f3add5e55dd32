// Depth near the oracle price, venue by venue and over a token's routes, on in-memory V2 pairs and V3 pools; the
// expected amounts are the constant-product and single-range V3 formulas written out (venues.ts).
import { expect } from "chai";
import { describe, it } from "mocha";
import { TickMath } from "@uniswap/v3-sdk";
import { enumerateRoutes } from "../../../../keeper/core/routing/enumerateRoutes.js";
import { routesDepthNearPrice } from "../../../../keeper/core/routing/routesDepthNearPrice.js";
import { venueDepthNearPrice } from "../../../../keeper/core/routing/venueDepthNearPrice.js";
import { amount0Delta, amount1Delta, isqrt, Q96, sqrtRatioX96, statesOf, TKA, TKB, USDC, v2, v2In, v2Out, v3, v3ExactIn, v3Fee, WETH, type TestVenue } from "./venues.js";

const E6 = 10n ** 6n;
const E18 = 10n ** 18n;
const L = 10n ** 21n;
/** WETH/TKA 0.3 %: 4 TKA a WETH, one position over ticks 12,000..15,000 (the 2 % band stays inside it). */
const pool = v3({ address: "0x00000000000000000000000000000000000000A1", token0: WETH, token1: TKA, fee: 3000, sqrtPriceX96: 2n * Q96, liquidity: L, tickLower: 12_000, tickUpper: 15_000 });
const CUR = 2n * Q96;

/** The V2 depth rule written out: x of the base, y of the quote; the edges (quoteRaw / baseRaw) x (1 +- band). */
function pairFlows(x: bigint, y: bigint, quoteRaw: bigint, baseRaw: bigint, bandBps: bigint) {
  const out = (rin: bigint, rout: bigint, a: bigint) => v2Out(rin, rout, a);
  const yUp = isqrt((x * y * quoteRaw * (10_000n + bandBps)) / (baseRaw * 10_000n));
  const xDown = isqrt((x * y * baseRaw * 10_000n) / (quoteRaw * (10_000n - bandBps)));
  const buyQuoteIn = yUp > y ? yUp - y : 0n;
  const sellBaseIn = xDown > x ? xDown - x : 0n;
  return { buyQuoteIn, buyBaseOut: out(y, x, buyQuoteIn), sellBaseIn, sellQuoteOut: out(x, y, sellBaseIn) };
}

describe("keeper/core/routing #venueDepthNearPrice", function () {
  it("trades a V3 pool quoted in token1 to either edge of the band, as the pool's swap step does", async function () {
    const flows = await venueDepthNearPrice({ state: pool.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 200 });
    const up = sqrtRatioX96(4n * 10_200n, 10_000n);
    const down = sqrtRatioX96(4n * 9_800n, 10_000n);
    const buyIn = amount1Delta(CUR, up, L, true);
    const sellIn = amount0Delta(down, CUR, L, true);
    expect(flows).to.deep.equal({
      buyQuoteIn: buyIn + v3Fee(buyIn, 3000),
      buyBaseOut: amount0Delta(CUR, up, L, false),
      sellBaseIn: sellIn + v3Fee(sellIn, 3000),
      sellQuoteOut: amount1Delta(down, CUR, L, false),
    });
    // About 1 % of the position's virtual reserves (500 WETH, 2,000 TKA) each way.
    expect(flows.buyBaseOut / E18).to.equal(4n);
  });

  it("trades a V3 pool quoted in token0 the other way round", async function () {
    const flows = await venueDepthNearPrice({ state: pool.state, quoteToken: WETH.address.toLowerCase(), quoteRaw: 1n, baseRaw: 4n, bandBps: 200 });
    const up = sqrtRatioX96(4n * 10_000n, 10_200n);
    const down = sqrtRatioX96(4n * 10_000n, 9_800n);
    const buyIn = amount0Delta(up, CUR, L, true);
    const sellIn = amount1Delta(CUR, down, L, true);
    expect(flows).to.deep.equal({
      buyQuoteIn: buyIn + v3Fee(buyIn, 3000),
      buyBaseOut: amount1Delta(up, CUR, L, false),
      sellBaseIn: sellIn + v3Fee(sellIn, 3000),
      sellQuoteOut: amount0Delta(CUR, down, L, false),
    });
  });

  it("gives nothing towards an edge a V3 pool is already past, and counts the other side across the range's end", async function () {
    // Reference 3 TKA a WETH: the pool (4) is past the buy edge (3.06); selling down to 2.94 leaves the position at tick 12,000.
    const rich = await venueDepthNearPrice({ state: pool.state, quoteToken: TKA.address, quoteRaw: 3n, baseRaw: 1n, bandBps: 200 });
    const lower = BigInt(TickMath.getSqrtRatioAtTick(12_000).toString());
    expect([rich.buyQuoteIn, rich.buyBaseOut]).to.deep.equal([0n, 0n]);
    expect(rich.sellQuoteOut).to.equal(amount1Delta(lower, CUR, L, false));
    // Reference 5: past the sell edge (4.9), the buy side runs to 5.1, beyond the position's top (about 4.48).
    const cheap = await venueDepthNearPrice({ state: pool.state, quoteToken: TKA.address, quoteRaw: 5n, baseRaw: 1n, bandBps: 200 });
    const upper = BigInt(TickMath.getSqrtRatioAtTick(15_000).toString());
    expect([cheap.sellBaseIn, cheap.sellQuoteOut]).to.deep.equal([0n, 0n]);
    expect(cheap.buyBaseOut).to.equal(amount0Delta(CUR, upper, L, false));
    // At a band's edge exactly, nothing is traded towards it (the pool's 4 is the reference x 1.02, or x 0.98).
    const atEdge = await venueDepthNearPrice({ state: pool.state, quoteToken: TKA.address, quoteRaw: 40_000n, baseRaw: 10_200n, bandBps: 200 });
    expect([atEdge.buyQuoteIn, atEdge.buyBaseOut]).to.deep.equal([0n, 0n]);
    expect(atEdge.sellQuoteOut > 0n).to.equal(true);
    const atLowerEdge = await venueDepthNearPrice({ state: pool.state, quoteToken: TKA.address, quoteRaw: 40_000n, baseRaw: 9_800n, bandBps: 200 });
    expect([atLowerEdge.sellBaseIn, atLowerEdge.sellQuoteOut]).to.deep.equal([0n, 0n]);
    expect(atLowerEdge.buyQuoteIn > 0n).to.equal(true);
  });

  it("takes a V2 pair to each edge with its product unchanged, and values the trade with the pair's fee", async function () {
    const pair = v2("0x00000000000000000000000000000000000000B1", WETH, 1_000n * E18, TKA, 4_000n * E18 + 12_345n);
    expect(await venueDepthNearPrice({ state: pair.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 200 })).to.deep.equal(
      pairFlows(1_000n * E18, 4_000n * E18 + 12_345n, 4n, 1n, 200n),
    );
    expect(await venueDepthNearPrice({ state: pair.state, quoteToken: WETH.address, quoteRaw: 1n, baseRaw: 4n, bandBps: 350 })).to.deep.equal(
      pairFlows(4_000n * E18 + 12_345n, 1_000n * E18, 1n, 4n, 350n),
    );
    // Past the sell edge (the pair at 3 against a reference of 4): only the buy side.
    const cheap = v2("0x00000000000000000000000000000000000000B2", WETH, 1_000n * E18, TKA, 3_000n * E18);
    const flows = await venueDepthNearPrice({ state: cheap.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 200 });
    expect(flows).to.deep.equal(pairFlows(1_000n * E18, 3_000n * E18, 4n, 1n, 200n));
    expect([flows.sellBaseIn, flows.buyQuoteIn > 0n]).to.deep.equal([0n, true]);
    // Past the buy edge: only the sell side.
    const rich = v2("0x00000000000000000000000000000000000000B3", WETH, 1_000n * E18, TKA, 5_000n * E18);
    const richFlows = await venueDepthNearPrice({ state: rich.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 200 });
    expect(richFlows).to.deep.equal(pairFlows(1_000n * E18, 5_000n * E18, 4n, 1n, 200n));
    expect([richFlows.buyQuoteIn, richFlows.sellBaseIn > 0n]).to.deep.equal([0n, true]);
  });

  it("counts a V2 pair too small to pay a raw unit as paying nothing, not as a failure", async function () {
    // 100 and 400 raw: 3 raw of quote moves the price to the edge, and buys less than one raw unit of base.
    const dust = v2("0x00000000000000000000000000000000000000B4", WETH, 100n, TKA, 400n);
    const flows = await venueDepthNearPrice({ state: dust.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 200 });
    expect([flows.buyQuoteIn, flows.buyBaseOut]).to.deep.equal([3n, 0n]);
  });

  it("refuses a price that is not positive, a band outside (0, 10000) bps or not whole, and a venue without the quote token", async function () {
    const call = (quoteRaw: bigint, baseRaw: bigint, bandBps: number, quoteToken = TKA.address) => venueDepthNearPrice({ state: pool.state, quoteToken, quoteRaw, baseRaw, bandBps });
    for (const [q, b] of [
      [0n, 1n],
      [1n, 0n],
      [-1n, 1n],
      [1n, -1n],
    ]) {
      await expectRangeError(call(q!, b!, 200), `quote ${q}, base ${b}`);
    }
    for (const band of [0, -1, 10_000, 10_001, 1.5, Number.NaN]) await expectRangeError(call(4n, 1n, band), `bandBps ${band}`);
    await expectRangeError(call(4n, 1n, 1), undefined);
    const pair = v2("0x00000000000000000000000000000000000000B5", WETH, 1_000n * E18, TKA, 4_000n * E18);
    await expectRangeError(venueDepthNearPrice({ state: pair.state, quoteToken: TKA.address, quoteRaw: 4n, baseRaw: 1n, bandBps: 9_999 }), undefined);
    await expectRangeError(call(4n, 1n, 200, USDC.address), USDC.address);
  });
});

/** `message` undefined: the call must succeed. */
async function expectRangeError(promise: Promise<unknown>, message: string | undefined): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(RangeError);
    expect(message, `unexpected ${String(error)}`).to.not.equal(undefined);
    expect((error as Error).message).to.contain(message);
    return;
  }
  expect(message, "no error").to.equal(undefined);
}

describe("keeper/core/routing #routesDepthNearPrice", function () {
  /** Oracle USD x 1e36 per raw unit: USDC $1, WETH $3,000, TKA $2. */
  const PRICES = new Map([
    [USDC.address.toLowerCase(), 10n ** 30n],
    [WETH.address.toLowerCase(), 3_000n * E18],
    [TKA.address.toLowerCase(), 2n * E18],
  ]);
  const depthOf = (venues: TestVenue[], prices = PRICES) =>
    routesDepthNearPrice({
      token: TKA.address,
      stablecoin: USDC.address,
      routes: enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues: venues.map((v) => v.venue), connectors: [WETH.address] }),
      states: statesOf(...venues),
      unitPrices: prices,
      bandBps: 200,
    });
  // Two direct pairs at $2.01 and $1.99; a thin TKA/WETH pair ($30k a side at 1,500 TKA a WETH) and two deep WETH/USDC pairs.
  const direct1 = v2("0x00000000000000000000000000000000000000C1", TKA, 500_000n * E18, USDC, 1_005_000n * E6);
  const direct2 = v2("0x00000000000000000000000000000000000000C2", TKA, 300_000n * E18, USDC, 597_000n * E6);
  const tkaWeth = v2("0x00000000000000000000000000000000000000C3", TKA, 15_000n * E18, WETH, 10n * E18);
  const wethUsdc1 = v2("0x00000000000000000000000000000000000000C4", WETH, 1_000n * E18, USDC, 3_000_000n * E6);
  const wethUsdc2 = v2("0x00000000000000000000000000000000000000C5", WETH, 500n * E18, USDC, 1_501_000n * E6);

  it("sums the direct venues' flows, and counts the smaller side", async function () {
    const depth = await depthOf([direct1, direct2]);
    const f1 = pairFlows(500_000n * E18, 1_005_000n * E6, 2n * E18, 10n ** 30n, 200n);
    const f2 = pairFlows(300_000n * E18, 597_000n * E6, 2n * E18, 10n ** 30n, 200n);
    expect(depth.parts).to.deep.equal([{ via: null, venues: [direct1.venue.address, direct2.venue.address], buyAsset: f1.buyQuoteIn + f2.buyQuoteIn, sellAsset: f1.sellQuoteOut + f2.sellQuoteOut }]);
    expect(depth.buyAsset).to.equal(f1.buyQuoteIn + f2.buyQuoteIn);
    expect(depth.sellAsset).to.equal(f1.sellQuoteOut + f2.sellQuoteOut);
    // $2.01 is nearer the buy edge: the buy side is the smaller.
    expect(depth.depthAsset).to.equal(depth.buyAsset);
    expect(depth.buyAsset < depth.sellAsset).to.equal(true);
    const cheap = await depthOf([direct2]);
    expect(cheap.depthAsset).to.equal(f2.sellQuoteOut);
    expect(cheap.sellAsset < cheap.buyAsset).to.equal(true);
  });

  it("splits the WETH a route via WETH moves over the WETH/USDC venues in proportion to their room in the band, each valued at its own price", async function () {
    const depth = await depthOf([tkaWeth, wethUsdc1, wethUsdc2]);
    const token = pairFlows(15_000n * E18, 10n * E18, 2n * E18, 3_000n * E18, 200n);
    const w1 = pairFlows(1_000n * E18, 3_000_000n * E6, 3_000n * E18, 10n ** 30n, 200n);
    const w2 = pairFlows(500n * E18, 1_501_000n * E6, 3_000n * E18, 10n ** 30n, 200n);
    const buyRoom = w1.buyBaseOut + w2.buyBaseOut;
    const sellRoom = w1.sellBaseIn + w2.sellBaseIn;
    // The token's pair is the narrower: all its WETH fits in the WETH/USDC venues' band.
    expect(token.buyQuoteIn < buyRoom && token.sellQuoteOut < sellRoom).to.equal(true);
    const buy = v2In(3_000_000n * E6, 1_000n * E18, (token.buyQuoteIn * w1.buyBaseOut) / buyRoom) + v2In(1_501_000n * E6, 500n * E18, (token.buyQuoteIn * w2.buyBaseOut) / buyRoom);
    const sell = v2Out(1_000n * E18, 3_000_000n * E6, (token.sellQuoteOut * w1.sellBaseIn) / sellRoom) + v2Out(500n * E18, 1_501_000n * E6, (token.sellQuoteOut * w2.sellBaseIn) / sellRoom);
    expect(depth.parts).to.deep.equal([
      { via: WETH.address.toLowerCase(), venues: [tkaWeth.venue.address, wethUsdc1.venue.address, wethUsdc2.venue.address], buyAsset: buy, sellAsset: sell },
    ]);
    expect(depth).to.deep.include({ buyAsset: buy, sellAsset: sell, depthAsset: buy < sell ? buy : sell });
  });

  it("caps a route via WETH at the WETH/USDC venues' room, valued over a V3 pool too", async function () {
    // A deep TKA/WETH pair (1,500 WETH) behind a thin WETH/USDC pair ($30k a side).
    const deepTkaWeth = v2("0x00000000000000000000000000000000000000C6", TKA, 2_250_000n * E18, WETH, 1_500n * E18);
    const thin = v2("0x00000000000000000000000000000000000000C7", WETH, 10n * E18, USDC, 30_000n * E6);
    const depth = await depthOf([deepTkaWeth, thin]);
    const w = pairFlows(10n * E18, 30_000n * E6, 3_000n * E18, 10n ** 30n, 200n);
    expect(depth.parts[0]).to.deep.include({ buyAsset: v2In(30_000n * E6, 10n * E18, w.buyBaseOut), sellAsset: v2Out(10n * E18, 30_000n * E6, w.sellBaseIn) });
  });

  it("values the WETH over a V3 WETH/USDC pool with the pool's exact-output and exact-input swaps", async function () {
    // USDC (token0) / WETH (token1) at $3,000 a WETH: 1e12 / 3,000 raw WETH per raw USDC (tick 196,256).
    const sqrt = sqrtRatioX96(10n ** 12n, 3_000n);
    const wethPool = v3({ address: "0x00000000000000000000000000000000000000C8", token0: USDC, token1: WETH, fee: 500, sqrtPriceX96: sqrt, liquidity: 10n ** 17n, tickLower: 195_250, tickUpper: 197_250 });
    const depth = await depthOf([tkaWeth, wethPool]);
    const token = pairFlows(15_000n * E18, 10n * E18, 2n * E18, 3_000n * E18, 200n);
    const viaWeth = depth.parts[0]!;
    expect(viaWeth.venues).to.deep.equal([tkaWeth.venue.address, wethPool.venue.address]);
    // Buying token.buyQuoteIn WETH (token1) out of the pool, exact output: the sqrt price falls by out·Q96/L rounded up,
    // the USDC in is amount0Delta rounded up, plus the fee.
    const s1 = sqrt - divUp(token.buyQuoteIn * Q96, 10n ** 17n);
    const usdcIn = amount0Delta(s1, sqrt, 10n ** 17n, true);
    expect(viaWeth.buyAsset).to.equal(usdcIn + v3Fee(usdcIn, 500));
    // Selling token.sellQuoteOut WETH into it (token1 in): exact input, the fee first.
    const lessFee = (token.sellQuoteOut * 999_500n) / 1_000_000n;
    const s2 = sqrt + (lessFee << 96n) / 10n ** 17n;
    expect(viaWeth.sellAsset).to.equal(amount0Delta(sqrt, s2, 10n ** 17n, false));
  });

  it("counts each connector's routes apart", async function () {
    // TKB as a second connector: TKA/TKB and TKB/USDC pairs beside the WETH ones; each part is what its own routes give.
    const tkaTkb = v2("0x00000000000000000000000000000000000000C9", TKA, 15_000n * E18, TKB, 30_000n * E18);
    const tkbUsdc = v2("0x00000000000000000000000000000000000000CA", TKB, 1_000_000n * E18, USDC, 1_000_000n * E6);
    const prices = new Map([...PRICES, [TKB.address.toLowerCase(), E18]]);
    const routes = enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues: [tkaWeth, wethUsdc1, tkaTkb, tkbUsdc].map((v) => v.venue), connectors: [WETH.address, TKB.address] });
    const both = await routesDepthNearPrice({ token: TKA.address, stablecoin: USDC.address, routes, states: statesOf(tkaWeth, wethUsdc1, tkaTkb, tkbUsdc), unitPrices: prices, bandBps: 200 });
    const viaWeth = await depthOf([tkaWeth, wethUsdc1]);
    expect(both.parts.map((p) => p.via)).to.deep.equal([WETH.address.toLowerCase(), TKB.address.toLowerCase()]);
    expect(both.parts[0]).to.deep.equal(viaWeth.parts[0]);
    expect(both.parts[1]!.venues).to.deep.equal([tkaTkb.venue.address, tkbUsdc.venue.address]);
    const token = pairFlows(15_000n * E18, 30_000n * E18, 2n * E18, E18, 200n);
    expect(both.parts[1]!.buyAsset).to.equal(v2In(1_000_000n * E6, 1_000_000n * E18, token.buyQuoteIn));
  });

  it("values the connector when it is token0 of its stablecoin venue, V2 or V3", async function () {
    // TKB as the stablecoin: its address sorts after WETH's, so WETH is token0 of the WETH/TKB venues.
    const prices = new Map([...PRICES, [TKB.address.toLowerCase(), E18]]);
    const token = pairFlows(15_000n * E18, 10n * E18, 2n * E18, 3_000n * E18, 200n);
    const depth = (venues: TestVenue[]) =>
      routesDepthNearPrice({
        token: TKA.address,
        stablecoin: TKB.address,
        routes: enumerateRoutes({ tokenIn: TKB.address, tokenOut: TKA.address, venues: venues.map((v) => v.venue), connectors: [WETH.address] }),
        states: statesOf(...venues),
        unitPrices: prices,
        bandBps: 200,
      });
    const pairWethTkb = v2("0x00000000000000000000000000000000000000CB", WETH, 1_000n * E18, TKB, 3_000_000n * E18);
    expect((await depth([tkaWeth, pairWethTkb])).parts[0]).to.deep.include({
      buyAsset: v2In(3_000_000n * E18, 1_000n * E18, token.buyQuoteIn),
      sellAsset: v2Out(1_000n * E18, 3_000_000n * E18, token.sellQuoteOut),
    });
    // 3,000 TKB a WETH (tick 80,067), 10^23 of liquidity over ticks 79,020..81,000.
    const sqrt = sqrtRatioX96(3_000n, 1n);
    const liquidity = 10n ** 23n;
    const poolWethTkb = v3({ address: "0x00000000000000000000000000000000000000CC", token0: WETH, token1: TKB, fee: 3000, sqrtPriceX96: sqrt, liquidity, tickLower: 79_020, tickUpper: 81_000 });
    const viaPool = (await depth([tkaWeth, poolWethTkb])).parts[0]!;
    // Exact output of WETH (token0): the sqrt price rises to L·s / (L - out·s / Q96), rounded up; TKB in rounded up, plus the fee.
    const n1 = liquidity << 96n;
    const up = divUp(n1 * sqrt, n1 - token.buyQuoteIn * sqrt);
    const tkbIn = amount1Delta(sqrt, up, liquidity, true);
    expect(viaPool.buyAsset).to.equal(tkbIn + v3Fee(tkbIn, 3000));
    expect(viaPool.sellAsset).to.equal(v3ExactIn(sqrt, liquidity, 3000, token.sellQuoteOut, true).amountOut);
  });

  it("values nothing on a WETH/USDC venue with no room towards an edge, and a share that rounds to 0 as 0", async function () {
    // WETH at $3,300 on the only WETH/USDC pair: 10 % over the oracle, no room to buy WETH within 2 %.
    const rich = v2("0x00000000000000000000000000000000000000CD", WETH, 1_000n * E18, USDC, 3_300_000n * E6);
    const depth = await depthOf([tkaWeth, rich]);
    expect(depth.parts[0]!.buyAsset).to.equal(0n);
    expect(depth.parts[0]!.sellAsset > 0n).to.equal(true);
    // A dust TKA/WETH pair takes 99 wei of WETH to its edge; the small WETH/USDC pair's share of that rounds to 0 and costs nothing.
    const dust = v2("0x00000000000000000000000000000000000000CE", TKA, 15_000_000n, WETH, 10_000n);
    const small = v2("0x00000000000000000000000000000000000000CF", WETH, E18, USDC, 3_000n * E6);
    const token = pairFlows(15_000_000n, 10_000n, 2n * E18, 3_000n * E18, 200n);
    const rooms = [pairFlows(1_000n * E18, 3_000_000n * E6, 3_000n * E18, 10n ** 30n, 200n).buyBaseOut, pairFlows(E18, 3_000n * E6, 3_000n * E18, 10n ** 30n, 200n).buyBaseOut];
    const shares = rooms.map((room) => (token.buyQuoteIn * room) / (rooms[0]! + rooms[1]!));
    expect([token.buyQuoteIn, shares[1]]).to.deep.equal([99n, 0n]);
    const dusty = await depthOf([dust, wethUsdc1, small]);
    expect(dusty.parts[0]!.buyAsset).to.equal(v2In(3_000_000n * E6, 1_000n * E18, shares[0]!));
  });

  it("counts a connector's part 0 without its price, everything 0 without the token's or the stablecoin's", async function () {
    const all = [direct1, tkaWeth, wethUsdc1];
    const withAll = await depthOf(all);
    const without = (token: string) => new Map([...PRICES].filter(([t]) => t !== token.toLowerCase()));
    const noWeth = await depthOf(all, without(WETH.address));
    expect(noWeth.parts).to.deep.equal([withAll.parts[0], { via: WETH.address.toLowerCase(), venues: [tkaWeth.venue.address, wethUsdc1.venue.address], buyAsset: 0n, sellAsset: 0n }]);
    expect(withAll.parts[1]!.buyAsset > 0n && withAll.parts[1]!.sellAsset > 0n).to.equal(true);
    expect(withAll.buyAsset).to.equal(withAll.parts[0]!.buyAsset + withAll.parts[1]!.buyAsset);
    expect(noWeth.buyAsset).to.equal(withAll.parts[0]!.buyAsset);
    for (const token of [TKA.address, USDC.address]) expect(await depthOf(all, without(token))).to.deep.equal({ buyAsset: 0n, sellAsset: 0n, depthAsset: 0n, parts: [] });
    expect(await depthOf(all, new Map([...PRICES, [TKA.address.toLowerCase(), 0n]]))).to.deep.equal({ buyAsset: 0n, sellAsset: 0n, depthAsset: 0n, parts: [] });
  });

  it("counts nothing for a token without routes, and refuses a venue it has no state for", async function () {
    expect(await depthOf([])).to.deep.equal({ buyAsset: 0n, sellAsset: 0n, depthAsset: 0n, parts: [] });
    const routes = enumerateRoutes({ tokenIn: USDC.address, tokenOut: TKA.address, venues: [direct1.venue], connectors: [] });
    try {
      await routesDepthNearPrice({ token: TKA.address, stablecoin: USDC.address, routes, states: statesOf(), unitPrices: PRICES, bandBps: 200 });
      expect.fail("no error");
    } catch (error) {
      expect((error as Error).message).to.contain(direct1.venue.address);
    }
  });
});

const divUp = (a: bigint, b: bigint) => (a + b - 1n) / b;
