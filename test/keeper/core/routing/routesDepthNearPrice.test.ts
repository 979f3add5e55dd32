// The depth rule's branches the devnet does not reach, on in-memory v2-sdk pairs (no chain): the WETH/stablecoin
// venue's capacity capping a route via WETH, a V2 pair's price ending inside the band, a venue already past an
// edge, and missing oracle prices.
import { expect } from "chai";
import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pair } from "@uniswap/v2-sdk";
import { enumerateRoutes } from "../../../../keeper/core/routing/enumerateRoutes.js";
import { routesDepthNearPrice } from "../../../../keeper/core/routing/routesDepthNearPrice.js";
import { venueDepthNearPrice } from "../../../../keeper/core/routing/venueDepthNearPrice.js";
import type { Venue, VenueState } from "../../../../keeper/core/routing/types.js";

const USDC = new Token(1, "0x1000000000000000000000000000000000000001", 6);
const WETH = new Token(1, "0x2000000000000000000000000000000000000002", 18);
const TOKEN = new Token(1, "0x3000000000000000000000000000000000000003", 18);
/** Oracle USD x 1e36 per raw unit: USDC $1, WETH $3,000, TOKEN $2. */
const PRICES = new Map([
  [USDC.address.toLowerCase(), 10n ** 30n],
  [WETH.address.toLowerCase(), 3_000n * 10n ** 18n],
  [TOKEN.address.toLowerCase(), 2n * 10n ** 18n],
]);

/** A V2 pair venue with the given raw reserves, at a made-up address. */
function pair(address: string, a: Token, reserveA: bigint, b: Token, reserveB: bigint): { venue: Venue; state: VenueState } {
  const sdk = new Pair(CurrencyAmount.fromRawAmount(a, reserveA.toString()), CurrencyAmount.fromRawAmount(b, reserveB.toString()));
  return { venue: { protocol: "v2", address, token0: sdk.token0.address, token1: sdk.token1.address, fee: 3000 }, state: { protocol: "v2", pair: sdk } };
}

function depthOf(venues: { venue: Venue; state: VenueState }[], prices = PRICES) {
  const routes = enumerateRoutes({ tokenIn: USDC.address, tokenOut: TOKEN.address, venues: venues.map((v) => v.venue), connectors: [WETH.address] });
  const states = new Map(venues.map((v) => [v.venue.address.toLowerCase(), v.state]));
  return routesDepthNearPrice({ token: TOKEN.address, stablecoin: USDC.address, routes, states, unitPrices: prices, bandBps: 200 });
}

describe("keeper/core/routing #routesDepthNearPrice (in-memory venues)", function () {
  // $3M a side against WETH, at the oracles' price (1,500 TOKEN a WETH); a $30k-a-side WETH/USDC pair.
  const tokenWeth = pair("0x00000000000000000000000000000000000000a1", TOKEN, 1_500_000n * 10n ** 18n, WETH, 1_000n * 10n ** 18n);
  const thinWethUsdc = pair("0x00000000000000000000000000000000000000a2", WETH, 10n * 10n ** 18n, USDC, 30_000n * 10n ** 6n);

  it("caps a route via WETH at what the WETH/stablecoin venue trades within its own band", async function () {
    const depth = await depthOf([tokenWeth, thinWethUsdc]);
    const [viaWeth] = depth.parts;
    expect(viaWeth!.via).to.equal(WETH.address.toLowerCase());
    // The token's side would move far more WETH than the thin pair gives or takes within 2 %: the pair's band is the limit.
    const tokenSide = await venueDepthNearPrice({ state: tokenWeth.state, quoteToken: WETH.address, quoteRaw: PRICES.get(TOKEN.address.toLowerCase())!, baseRaw: PRICES.get(WETH.address.toLowerCase())!, bandBps: 200 });
    const wethSide = await venueDepthNearPrice({ state: thinWethUsdc.state, quoteToken: USDC.address, quoteRaw: PRICES.get(WETH.address.toLowerCase())!, baseRaw: PRICES.get(USDC.address.toLowerCase())!, bandBps: 200 });
    expect(tokenSide.buyQuoteIn > wethSide.buyBaseOut && tokenSide.sellQuoteOut > wethSide.sellBaseIn).to.equal(true);
    expect(viaWeth!.sellAsset).to.equal(wethSide.sellQuoteOut);
    // Buying back the WETH the pair gives up to its edge costs what took it there, to the fee's rounding.
    const diff = viaWeth!.buyAsset - wethSide.buyQuoteIn;
    expect(diff >= -2n && diff <= 2n, `${viaWeth!.buyAsset} vs ${wethSide.buyQuoteIn}`).to.equal(true);
    expect(depth.depthAsset).to.equal(viaWeth!.buyAsset < viaWeth!.sellAsset ? viaWeth!.buyAsset : viaWeth!.sellAsset);
    // About 1 % of a $30k side either way (a constant product moves its quote reserve by ~sqrt(1.02) - 1 to the edge).
    expect(Number(depth.depthAsset) / 1e6).to.be.within(250, 350);
  });

  it("leaves a V2 pair's price just inside the band after either side's trade", async function () {
    const state = tokenWeth.state as Extract<VenueState, { protocol: "v2" }>;
    const flows = await venueDepthNearPrice({ state, quoteToken: WETH.address, quoteRaw: 2n * 10n ** 18n, baseRaw: 3_000n * 10n ** 18n, bandBps: 200 });
    const priceAfter = (p: Pair) => Number(p.reserveOf(WETH).quotient.toString()) / Number(p.reserveOf(TOKEN).quotient.toString());
    const oracle = 2 / 3_000;
    const [, afterBuy] = state.pair.getOutputAmount(CurrencyAmount.fromRawAmount(WETH, flows.buyQuoteIn.toString()));
    const [, afterSell] = state.pair.getOutputAmount(CurrencyAmount.fromRawAmount(TOKEN, flows.sellBaseIn.toString()));
    expect(priceAfter(afterBuy) / oracle).to.be.within(1.0199, 1.02);
    expect(priceAfter(afterSell) / oracle).to.be.within(0.98, 0.9801);
  });

  it("gives nothing towards an edge a venue is already past, and counts its other side", async function () {
    // The token trades at $2.10 against USDC: 5 % over the oracle, past the buy edge.
    const rich = pair("0x00000000000000000000000000000000000000a3", TOKEN, 1_000_000n * 10n ** 18n, USDC, 2_100_000n * 10n ** 6n);
    const depth = await depthOf([rich]);
    expect(depth.parts.map((p) => p.via)).to.deep.equal([null]);
    expect(depth.buyAsset).to.equal(0n);
    expect(depth.sellAsset > 0n).to.equal(true);
    expect(depth.depthAsset).to.equal(0n);
  });

  it("counts 0 for a route via WETH without WETH's price, and 0 in all without the token's", async function () {
    const direct = pair("0x00000000000000000000000000000000000000a4", TOKEN, 500_000n * 10n ** 18n, USDC, 1_000_000n * 10n ** 6n);
    const withAll = await depthOf([direct, tokenWeth, thinWethUsdc]);
    const noWeth = await depthOf([direct, tokenWeth, thinWethUsdc], new Map([...PRICES].filter(([t]) => t !== WETH.address.toLowerCase())));
    expect(noWeth.parts.map((p) => [p.via, p.buyAsset === 0n, p.sellAsset === 0n])).to.deep.equal([
      [null, false, false],
      [WETH.address.toLowerCase(), true, true],
    ]);
    expect(noWeth.buyAsset).to.equal(withAll.parts[0]!.buyAsset);
    expect(withAll.buyAsset).to.equal(withAll.parts[0]!.buyAsset + withAll.parts[1]!.buyAsset);
    const noToken = await depthOf([direct, tokenWeth, thinWethUsdc], new Map([...PRICES].filter(([t]) => t !== TOKEN.address.toLowerCase())));
    expect(noToken).to.deep.equal({ buyAsset: 0n, sellAsset: 0n, depthAsset: 0n, parts: [] });
  });
});
