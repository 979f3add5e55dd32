// On-chain depth over every allowlisted route on the realistic devnet (issue 13's screen, issue 16's routes): a
// token listed only against WETH, and one with a V2 pair against WETH beside its V3 stablecoin pool, read non-zero
// depths, and each part of a depth is what the real contracts quote at the band's edge: QuoterV2 for V3 pools
// (single hop to the edge as the price limit, and the whole WETH route multi-hop), MixedRouteQuoterV1 (from
// @uniswap/swap-router-contracts' artifact) for the V2 pair and the mixed V2/V3 route. Tolerance: a millionth of
// each figure (the keeper's v3-sdk and v2-sdk maths port the contracts', so the figures agree to rounding).
import { expect } from "chai";
import { Contract, solidityPacked } from "ethers";
import { encodeSqrtRatioX96 } from "@uniswap/v3-sdk";
import { readTokenDepths, type TokenDepth } from "../../../keeper/chain/readTokenDepths.js";
import { V2_HOP_FEE } from "../../../keeper/core/routing/encodeRoute.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { OracleRouter__factory } from "../../../types/ethers-contracts/index.js";
import { ethers, networkHelpers, realisticVaultFixture } from "../../fixtures.js";

const BAND_BPS = 200;
const UNBOUNDED = 1n << 120n;
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** floor(sqrt(n)), Newton's method. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let r = n;
  let next = (r + 1n) / 2n;
  while (next < r) [r, next] = [next, (next + n / next) / 2n];
  return r;
}

/** |a / b - 1| <= 1e-6, with a message that shows both. */
function expectClose(actual: bigint, expected: bigint, what: string) {
  expect(expected > 0n, `${what}: the quote is 0`).to.equal(true);
  const diff = actual > expected ? actual - expected : expected - actual;
  expect(diff * 1_000_000n <= expected, `${what}: keeper ${actual}, quoted ${expected}`).to.equal(true);
}

async function setUp() {
  const f = await networkHelpers.loadFixture(realisticVaultFixture);
  const { market } = f;
  const blockTag = await ethers.provider.getBlockNumber();
  const at = { blockTag };
  const stable = market.stablecoin.address;
  const weth = market.weth9;
  const oracle = OracleRouter__factory.connect(f.deployment.oracle, ethers.provider);
  const unit = async (token: string) => oracle.unitPriceUsd36(token, at);
  const depths = await readTokenDepths({
    runner: ethers.provider,
    chainId: market.chainId,
    vault: f.deployment.vault,
    factoryV3: market.factory,
    factoryV2: market.factoryV2,
    stablecoin: stable,
    connectors: [weth],
    tokens: market.tokens.map((t) => t.address),
    blockTag,
    bandBps: BAND_BPS,
  });
  /**
   * The band's edge of `base` against `quote` as a V3 sqrt price (token1 per token0, raw), restated from the
   * definition: the oracles' price of base in quote x bps / 10,000.
   */
  const edge = async (base: string, quote: string, bps: bigint) => {
    const [b, q] = [await unit(base), await unit(quote)];
    return BigInt((quote.toLowerCase() > base.toLowerCase() ? encodeSqrtRatioX96((b * bps).toString(), (q * 10_000n).toString()) : encodeSqrtRatioX96((q * 10_000n).toString(), (b * bps).toString())).toString());
  };
  const quoter = new Contract(market.quoterV2, uniswapArtifacts.quoterV2.abi, ethers.provider);
  const mixed = new Contract(market.mixedRouteQuoter, uniswapArtifacts.mixedRouteQuoterV1.abi, ethers.provider);
  const wethFee = market.weth!.fee;
  /** The WETH/stablecoin pool within its band, as QuoterV2 quotes it: the stablecoin for `wethOut`, and for selling `wethIn`. */
  const wethLeg = {
    buyCost: async (wethOut: bigint) => {
      const [cap] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: stable, tokenOut: weth, amountIn: UNBOUNDED, fee: wethFee, sqrtPriceLimitX96: await edge(weth, stable, 10_200n) }, at);
      const [paid] = await quoter.quoteExactOutputSingle.staticCall({ tokenIn: stable, tokenOut: weth, amount: min(wethOut, cap), fee: wethFee, sqrtPriceLimitX96: 0 }, at);
      return { paid: paid as bigint, capped: wethOut > cap };
    },
    sellProceeds: async (wethIn: bigint) => {
      const [cap] = await quoter.quoteExactOutputSingle.staticCall({ tokenIn: weth, tokenOut: stable, amount: UNBOUNDED, fee: wethFee, sqrtPriceLimitX96: await edge(weth, stable, 9_800n) }, at);
      const [received] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: weth, tokenOut: stable, amountIn: min(wethIn, cap), fee: wethFee, sqrtPriceLimitX96: 0 }, at);
      return { received: received as bigint, capped: wethIn > cap };
    },
  };
  const depthOf = (address: string): TokenDepth => depths.get(address.toLowerCase())!;
  const part = (depth: TokenDepth, via: string | null) => depth.parts.find((p) => (p.via === null ? via === null : p.via === via?.toLowerCase()))!;
  return { f, market, at, stable, weth, wethFee, depths, depthOf, part, unit, edge, quoter, mixed, wethLeg };
}

describe("keeper/chain #readTokenDepths over every allowlisted route (realistic devnet)", function () {
  it("gives every layout a non-zero depth, WETH-only and V2-share tokens included, over the venues the vault allowlists", async function () {
    const { market, depthOf, weth } = await setUp();
    for (const t of market.tokens) {
      const depth = depthOf(t.address);
      expect(depth.depthAsset > 0n, `${t.symbol} (${t.layout})`).to.equal(true);
      expect(depth.depthAsset).to.equal(min(depth.buyAsset, depth.sellAsset));
      // Every venue of the token's layout counts, and the WETH/stablecoin pool when a route goes through WETH.
      const expected = t.venues.map((v) => v.pool.toLowerCase());
      if (t.venues.some((v) => v.quote === weth)) expected.push(market.weth!.pool.toLowerCase());
      expect(new Set(depth.pools.map((p) => p.toLowerCase())), t.symbol).to.deep.equal(new Set(expected));
    }
  });

  it("a WETH-only token: its WETH pool up to the band's edge (token oracle / WETH oracle), bought and sold through WETH/USDC, as QuoterV2 quotes it", async function () {
    const { market, at, stable, weth, wethFee, depthOf, part, edge, quoter, wethLeg } = await setUp();
    const t = market.tokens.find((x) => x.layout === "weth-only")!;
    const depth = depthOf(t.address);
    expect(depth.parts.map((p) => p.via)).to.deep.equal([weth.toLowerCase()]);
    const viaWeth = part(depth, weth);
    // Buy: the WETH the token's pool takes up to the edge, and what WETH/USDC charges for that WETH.
    const upEdge = await edge(t.address, weth, 10_200n);
    const [wethIn] = await quoter.quoteExactOutputSingle.staticCall({ tokenIn: weth, tokenOut: t.address, amount: UNBOUNDED, fee: t.fee, sqrtPriceLimitX96: upEdge }, at);
    const buy = await wethLeg.buyCost(wethIn);
    expect(buy.capped).to.equal(false);
    expectClose(viaWeth.buyAsset, buy.paid, `${t.symbol} buy`);
    // The same stablecoin sent down the whole route (one multi-hop quote) takes the token's pool to the edge.
    const path = solidityPacked(["address", "uint24", "address", "uint24", "address"], [stable, wethFee, weth, t.fee, t.address]);
    const [, sqrtAfter] = await quoter.quoteExactInput.staticCall(path, viaWeth.buyAsset, at);
    expectClose(sqrtAfter[1] as bigint, upEdge, `${t.symbol} pool price after the buy`);
    // Sell: the WETH the token's pool pays down to the edge, and what WETH/USDC pays for it.
    const [wethOut] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: t.address, tokenOut: weth, amountIn: UNBOUNDED, fee: t.fee, sqrtPriceLimitX96: await edge(t.address, weth, 9_800n) }, at);
    const sell = await wethLeg.sellProceeds(wethOut);
    expect(sell.capped).to.equal(false);
    expectClose(viaWeth.sellAsset, sell.received, `${t.symbol} sell`);
    expect(depth.depthAsset).to.equal(min(viaWeth.buyAsset, viaWeth.sellAsset));
  });

  it("a V2 + V3 token: its V3 stablecoin pool (QuoterV2) plus its V2 WETH pair through WETH/USDC (MixedRouteQuoterV1), each to the band's edge", async function () {
    const { market, at, stable, weth, wethFee, depthOf, part, unit, edge, quoter, mixed, wethLeg } = await setUp();
    const t = market.tokens.find((x) => x.layout === "v2-share")!;
    const depth = depthOf(t.address);
    const [direct, viaWeth] = [part(depth, null), part(depth, weth)];
    // The direct V3 pool to the edges, as QuoterV2 swaps it.
    const [paid] = await quoter.quoteExactOutputSingle.staticCall({ tokenIn: stable, tokenOut: t.address, amount: UNBOUNDED, fee: t.fee, sqrtPriceLimitX96: await edge(t.address, stable, 10_200n) }, at);
    const [received] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: t.address, tokenOut: stable, amountIn: UNBOUNDED, fee: t.fee, sqrtPriceLimitX96: await edge(t.address, stable, 9_800n) }, at);
    expectClose(direct.buyAsset, paid, `${t.symbol} direct buy`);
    expectClose(direct.sellAsset, received, `${t.symbol} direct sell`);

    // The V2 pair: the reserves at which its price (WETH per token) is at the edge with x·y unchanged.
    const pairVenue = t.venues.find((v) => v.protocol === "v2")!;
    const pair = new Contract(pairVenue.pool, uniswapArtifacts.v2Pair.abi, ethers.provider);
    const [r0, r1] = (await pair.getReserves(at)) as [bigint, bigint];
    const tokenIs0 = t.address.toLowerCase() < weth.toLowerCase();
    const [x, y] = tokenIs0 ? [r0, r1] : [r1, r0];
    const [uToken, uWeth] = [await unit(t.address), await unit(weth)];
    const xDown = isqrt((x * y * uWeth * 10_000n) / (uToken * 9_800n));
    const yUp = isqrt((x * y * uToken * 10_200n) / (uWeth * 10_000n));

    // Sell: x' - x of the token into the pair (MixedRouteQuoterV1's V2 quote), its WETH through WETH/USDC.
    const tokenIn = xDown - x;
    const wethOut = (await mixed.quoteExactInputSingleV2.staticCall({ tokenIn: t.address, tokenOut: weth, amountIn: tokenIn }, at)) as bigint;
    const sell = await wethLeg.sellProceeds(wethOut);
    expect(sell.capped).to.equal(false);
    expectClose(viaWeth.sellAsset, sell.received, `${t.symbol} V2 route sell`);
    // The whole mixed route in one quote pays the same, and leaves the pair's price at the edge (just inside: the fee stays in).
    const sellPath = solidityPacked(["address", "uint24", "address", "uint24", "address"], [t.address, V2_HOP_FEE, weth, wethFee, stable]);
    const [routeOut] = await mixed.quoteExactInput.staticCall(sellPath, tokenIn, at);
    expectClose(viaWeth.sellAsset, routeOut, `${t.symbol} mixed route sell`);
    const priceAfterSell = ((y - wethOut) * 10n ** 18n) / (x + tokenIn);
    const downEdge = (uToken * 9_800n * 10n ** 18n) / (uWeth * 10_000n);
    expect(priceAfterSell >= downEdge && priceAfterSell <= downEdge + downEdge / 1_000n, "pair price after the sell inside the band, at its edge").to.equal(true);

    // Buy: y' - y of WETH into the pair, bought through WETH/USDC.
    const buy = await wethLeg.buyCost(yUp - y);
    expect(buy.capped).to.equal(false);
    expectClose(viaWeth.buyAsset, buy.paid, `${t.symbol} V2 route buy`);
    const buyPath = solidityPacked(["address", "uint24", "address", "uint24", "address"], [stable, wethFee, weth, V2_HOP_FEE, t.address]);
    const [tokenOut] = await mixed.quoteExactInput.staticCall(buyPath, viaWeth.buyAsset, at);
    const [wethIn] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: stable, tokenOut: weth, amountIn: viaWeth.buyAsset, fee: wethFee, sqrtPriceLimitX96: 0 }, at);
    const priceAfterBuy = ((y + wethIn) * 10n ** 18n) / (x - tokenOut);
    const upEdgeRatio = (uToken * 10_200n * 10n ** 18n) / (uWeth * 10_000n);
    expect(priceAfterBuy <= upEdgeRatio + upEdgeRatio / 1_000_000n && priceAfterBuy >= upEdgeRatio - upEdgeRatio / 1_000n, "pair price after the buy inside the band, at its edge").to.equal(true);

    expect(depth.buyAsset).to.equal(direct.buyAsset + viaWeth.buyAsset);
    expect(depth.sellAsset).to.equal(direct.sellAsset + viaWeth.sellAsset);
  });
});
