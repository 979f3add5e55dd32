import { expect } from "chai";
import { expectNear } from "../../helpers/expectNear.js";
import { describe, it } from "mocha";
import {
  amountForValue,
  maxChunkValueAsset,
  modelPriceImpact,
  planRebalance,
  toBasisPoints,
  valueInAsset,
  type Holding,
  type PlanRebalanceParameters,
  type TargetWeight,
  type TokenInfo,
  type Trade,
} from "../../../keeper/core/index.js";
import { seededRandom } from "./fixtures.js";

const USDC: TokenInfo = { address: "0x00000000000000000000000000000000000000A0", decimals: 6 };
const WBTC: TokenInfo = { address: "0x00000000000000000000000000000000000000b1", decimals: 8 };
const WETH: TokenInfo = { address: "0x00000000000000000000000000000000000000c2", decimals: 18 };
const LINK: TokenInfo = { address: "0x00000000000000000000000000000000000000d3", decimals: 18 };

/** Whole dollars in USDC raw units. */
const usd = (dollars: number): bigint => BigInt(Math.round(dollars * 1e6));
/** priceAsset18 of a token worth `dollars` per whole token, in a 6-decimal stablecoin. */
const price18 = (dollars: number): bigint => usd(dollars) * 10n ** 18n;
const prices = new Map([
  [WBTC.address, price18(50_000)],
  [WETH.address, price18(2_000)],
  [LINK.address, price18(10)],
]);
const hold = (token: TokenInfo, balance: bigint): Holding => ({ token, balance });
const target = (token: TokenInfo, weightBps: number): TargetWeight => ({ token, weightBps });
const plan = (parameters: Omit<PlanRebalanceParameters, "prices" | "stablecoin">) =>
  planRebalance({ prices, stablecoin: USDC, ...parameters, config: { dustAsset: usd(10), ...parameters.config } });
const amounts = (trades: readonly Trade[]) => trades.map((t) => t.amountIn);
const total = (values: readonly bigint[]) => values.reduce((s, v) => s + v, 0n);

describe("#valueInAsset / #amountForValue", () => {
  it("values 1 WBTC at $50,000 as 50,000 USDC and back", () => {
    expect(valueInAsset(10n ** 8n, 8, price18(50_000))).to.equal(usd(50_000));
    expect(amountForValue(usd(50_000), 8, price18(50_000))).to.equal(10n ** 8n);
  });

  it("rounds both directions down, so a round trip never grows", () => {
    // 1 wei of ETH at $2,000 is worth 2e-15 USDC: 0 raw units.
    expect(valueInAsset(1n, 18, price18(2_000))).to.equal(0n);
    // $1 of WBTC is 2,000 sats exactly; $0.000001 is 0.002 sats: 0.
    expect(amountForValue(1n, 8, price18(50_000))).to.equal(0n);
    const roundTrip = valueInAsset(amountForValue(usd(123.456789), 18, price18(2_000)), 18, price18(2_000));
    expect(roundTrip <= usd(123.456789), `round trip gave ${roundTrip}`).to.equal(true);
  });
});

describe("#modelPriceImpact / #maxChunkValueAsset", () => {
  it("costs exactly 1% on a trade the size of the depth", () => {
    expect(modelPriceImpact({ valueAsset: usd(100_000), depthAsset: usd(100_000) })).to.deep.equal({ impactBps: 100, impactAsset: usd(1_000) });
  });

  it("solves the chunk size back: at 100 bps it is the depth itself", () => {
    expect(maxChunkValueAsset({ depthAsset: usd(100_000), maxImpactBps: 100 })).to.equal(usd(100_000));
    // 99 x 1e11 x 50 / 9950 = 49,748,743,718.59...
    expect(maxChunkValueAsset({ depthAsset: usd(100_000), maxImpactBps: 50 })).to.equal(49_748_743_718n);
  });

  it("models no impact when the depth is unknown", () => {
    expect(modelPriceImpact({ valueAsset: usd(1e9), depthAsset: null })).to.deep.equal({ impactBps: 0, impactAsset: 0n });
  });
});

describe("#planRebalance", () => {
  it("invests from cash, keeping the 2% buffer taken pro rata from the targets", () => {
    const result = plan({ holdings: [hold(USDC, usd(1_000_000))], targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)] });
    expect(result.sells).to.deep.equal([]);
    expect(result.buys.map((t) => [t.tokenIn, t.tokenOut, t.amountIn])).to.deep.equal([
      [USDC.address, WBTC.address, usd(588_000)],
      [USDC.address, WETH.address, usd(392_000)],
    ]);
    expect(result.buysScaled).to.equal(false);
    expect(result.navAsset).to.equal(usd(1_000_000));
    expect(result.expected[0]).to.deep.include({ targetValueAsset: usd(20_000), plannedValueAsset: usd(20_000) });
  });

  it("sells into the stablecoin first, sells an untargeted token entirely, then buys", () => {
    const linkBalance = 1_234_567_800_000_000_000_000n; // 1,234.5678 LINK = $12,345.678
    const result = plan({
      holdings: [hold(USDC, usd(10_000)), hold(WBTC, 10n * 10n ** 8n), hold(LINK, linkBalance)],
      targetsBps: [target(WBTC, 4_000), target(WETH, 6_000)],
    });
    expect(result.sells.map((t) => t.tokenIn)).to.deep.equal([WBTC.address, LINK.address]);
    for (const sell of result.sells) expect(sell.tokenOut).to.equal(USDC.address);
    expect(result.sells[1]!.amountIn).to.equal(linkBalance);
    expect(result.buys.map((t) => [t.tokenIn, t.tokenOut])).to.deep.equal([[USDC.address, WETH.address]]);
    // NAV 522,345.678; WBTC target 522,345.678 x 40% x 98% = 204,759.505776 -> sell 295,240.494224, which
    // is 590,480,988.448 sats rounded down to 590,480,988 (a sat is 500 raw USDC units): 295,240.494.
    expect(result.navAsset).to.equal(522_345_678_000n);
    expect(result.sells[0]!.amountIn).to.equal(590_480_988n);
    expect(result.sells[0]!.expectedValueAsset).to.equal(295_240_494_000n);
  });

  it("stops a sell at target - tolerance / 2 when the cash buffer would take it past the vault's position check", () => {
    const base = { holdings: [hold(USDC, usd(10_000)), hold(WBTC, 10n * 10n ** 8n), hold(LINK, 1_234_567_800_000_000_000_000n)], targetsBps: [target(WBTC, 4_000), target(WETH, 6_000)], config: { cashBufferBps: 500 } };
    // NAV 522,345.678; a 5 % buffer aims WBTC at 38 %, more than 1 % under its 40 % target: the sell stops at
    // 39.5 %, 206,326.54281 -> sell 293,673.45719 = 587,346,914.38 sats, rounded down.
    const bounded = plan({ ...base, targetToleranceBps: 100 });
    expect(bounded.sells[0]!.amountIn).to.equal(587_346_914n);
    // A tolerance of twice the buffer's reach leaves the buffer alone; the untargeted LINK is sold whole either way.
    const wide = plan({ ...base, targetToleranceBps: 400 });
    const unbounded = plan(base);
    expect(wide.sells.map((t) => t.amountIn)).to.deep.equal(unbounded.sells.map((t) => t.amountIn));
    expect(unbounded.sells[0]!.amountIn > bounded.sells[0]!.amountIn).to.equal(true);
    expect(bounded.sells[1]!.amountIn).to.equal(1_234_567_800_000_000_000_000n);
    expect(() => plan({ ...base, targetToleranceBps: -1 })).to.throw("targetToleranceBps");
  });

  it("skips trades worth less than the dust threshold", () => {
    // At the targets of the test above but $5 off on each side: nothing to do.
    const near = plan({
      holdings: [hold(USDC, usd(20_000)), hold(WBTC, 1_175_990_000n), hold(WETH, 196_002_500_000_000_000_000n)],
      targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)],
    });
    expect(near.sells).to.deep.equal([]);
    expect(near.buys).to.deep.equal([]);

    // $15 off: both trade; the buy gets the sell's proceeds less the 30 bps assumed cost.
    const off = plan({
      holdings: [hold(USDC, usd(20_000)), hold(WBTC, 1_175_970_000n), hold(WETH, 196_007_500_000_000_000_000n)],
      targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)],
    });
    expect(off.sells.map((t) => [t.tokenIn, t.expectedValueAsset])).to.deep.equal([[WETH.address, usd(15)]]);
    expect(off.buys.map((t) => [t.tokenOut, t.amountIn])).to.deep.equal([[WBTC.address, usd(14.955)]]);
  });

  it("splits a trade into equal chunks that each stay under maxImpactBps", () => {
    const result = plan({
      holdings: [hold(USDC, usd(1_000_000))],
      targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)],
      // Upper-case on purpose: depths, like prices, are matched to tokens case-insensitively.
      config: { maxImpactBps: 50, depthAsset: new Map([[WBTC.address.toUpperCase().replace("0X", "0x"), usd(100_000)]]) },
    });
    const wbtcBuys = result.buys.filter((t) => t.tokenOut === WBTC.address);
    // 588,000 / 49,748.74 per chunk -> 12 chunks of 49,000.
    expect(amounts(wbtcBuys)).to.deep.equal(Array.from({ length: 12 }, () => usd(49_000)));
    for (const chunk of wbtcBuys) expect(chunk.modeledImpactBps).to.be.at.most(50);
    expectNear(wbtcBuys[0]!.modeledImpactBps, (49_000 / (9_900_000 + 49_000)) * 10_000, 1e-6);
    const wethBuys = result.buys.filter((t) => t.tokenOut === WETH.address);
    expect(wethBuys.map((t) => [t.amountIn, t.modeledImpactBps])).to.deep.equal([[usd(392_000), 0]]);
  });

  it("defers what would need more than maxChunksPerTrade chunks", () => {
    const result = plan({
      holdings: [hold(USDC, usd(1_000_000))],
      targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)],
      config: { maxImpactBps: 50, maxChunksPerTrade: 5, depthAsset: new Map([[WBTC.address, usd(100_000)]]) },
    });
    expect(amounts(result.buys.filter((t) => t.tokenOut === WBTC.address))).to.deep.equal(Array.from({ length: 5 }, () => 49_748_743_718n));
    expect(result.deferred).to.deep.equal([{ token: WBTC, side: "buy", valueAsset: usd(588_000) - 5n * 49_748_743_718n }]);
  });

  it("sells everything and buys nothing in a bear regime (stablecoin-only targets)", () => {
    const result = plan({
      holdings: [hold(USDC, usd(1_000)), hold(WBTC, 10n ** 8n), hold(WETH, 10n * 10n ** 18n)],
      targetsBps: [target(USDC, 10_000)],
    });
    expect(result.sells.map((t) => [t.tokenIn, t.amountIn])).to.deep.equal([
      [WBTC.address, 10n ** 8n],
      [WETH.address, 10n * 10n ** 18n],
    ]);
    expect(result.buys).to.deep.equal([]);
    for (const row of result.expected.slice(1)) expect(row.plannedValueAsset).to.equal(0n);
  });

  it("scales buys down to the cash the sells conservatively return, keeping the cash target", () => {
    // NAV $1,000,000 all in WBTC; sell $510,000 -> $508,470 after 30 bps; minus the $20,000 cash target.
    const result = plan({ holdings: [hold(WBTC, 20n * 10n ** 8n)], targetsBps: [target(WBTC, 5_000), target(WETH, 5_000)] });
    expect(amounts(result.sells)).to.deep.equal([1_020_000_000n]);
    expect(result.buysScaled).to.equal(true);
    expect(amounts(result.buys)).to.deep.equal([usd(488_470)]);
    expect(result.expected[0]!.plannedValueAsset).to.equal(usd(20_000));
  });

  it("never plans buys beyond cash plus conservative sell proceeds, across seeded random vaults", () => {
    const random = seededRandom(42);
    const pool: TokenInfo[] = Array.from({ length: 12 }, (_, i) => ({ address: `0x${(i + 1).toString(16).padStart(40, "0")}`, decimals: [6, 8, 18][i % 3]! }));
    for (let trial = 0; trial < 150; trial++) {
      const randomPrices = new Map(pool.map((t) => [t.address, BigInt(Math.floor(1 + random() * 1e6)) * 10n ** BigInt(t.decimals) * 10n ** 12n]));
      const holdings = [hold(USDC, usd(random() * 1e5)), ...pool.filter(() => random() < 0.6).map((t) => hold(t, BigInt(Math.floor(random() * 1e6)) * 10n ** BigInt(t.decimals)))];
      const targeted = pool.filter(() => random() < 0.6);
      const weights = toBasisPoints({ weights: new Map([...targeted.map((t) => [t.address, random()] as const), [USDC.address, 0.01]]) });
      const assumedCostBps = Math.floor(random() * 100);
      const maxImpactBps = 1 + Math.floor(random() * 200);
      const result = planRebalance({
        holdings,
        prices: randomPrices,
        stablecoin: USDC,
        targetsBps: [...weights].map(([address, bps]) => target(address === USDC.address ? USDC : pool.find((t) => t.address === address)!, bps)),
        config: { dustAsset: usd(1), assumedCostBps, maxImpactBps, defaultDepthAsset: usd(1e4 + random() * 1e8) },
      });
      const cash = holdings[0]!.balance;
      const proceeds = total(result.sells.map((t) => t.expectedValueAsset - (t.expectedValueAsset * BigInt(assumedCostBps) + 9_999n) / 10_000n - t.modeledImpactAsset));
      const spent = total(amounts(result.buys));
      expect(spent <= cash + proceeds, `trial ${trial}: spends ${spent} of ${cash + proceeds}`).to.equal(true);
      const broken = [...result.sells, ...result.buys].filter((t) => t.modeledImpactBps > maxImpactBps);
      expect(broken, `trial ${trial}`).to.deep.equal([]);
      expect(result.sells.every((t) => t.tokenOut === USDC.address) && result.buys.every((t) => t.tokenIn === USDC.address)).to.equal(true);
    }
  });

  it("always completes an exit: a $9 position leaving the targets is sold although the dust threshold is $10", () => {
    const nineDollarsOfLink = 900_000_000_000_000_000n; // 0.9 LINK at $10
    const bear = plan({ holdings: [hold(USDC, usd(1_000)), hold(LINK, nineDollarsOfLink)], targetsBps: [target(USDC, 10_000)] });
    expect(bear.sells.map((t) => [t.tokenIn, t.amountIn, t.expectedValueAsset])).to.deep.equal([[LINK.address, nineDollarsOfLink, usd(9)]]);
    // A $9 trim of a position that stays is still dust.
    const trim = plan({
      holdings: [hold(USDC, usd(20_000)), hold(WBTC, 1_175_998_000n), hold(WETH, 196_004_500_000_000_000_000n)],
      targetsBps: [target(WBTC, 6_000), target(WETH, 4_000)],
    });
    expect(trim.sells).to.deep.equal([]);
  });

  it("plans around a held token without a price: holds it, still exits the rest, and reports it", () => {
    const unpriced: TokenInfo = { address: "0x00000000000000000000000000000000000000e4", decimals: 18 };
    const result = plan({ holdings: [hold(USDC, usd(1_000)), hold(unpriced, 5n * 10n ** 18n), hold(WBTC, 10n ** 8n)], targetsBps: [target(USDC, 10_000)] });
    expect(result.sells.map((t) => [t.tokenIn, t.amountIn])).to.deep.equal([[WBTC.address, 10n ** 8n]]);
    expect(result.held).to.deep.equal([{ token: unpriced, balance: 5n * 10n ** 18n, targetBps: 0, reason: "unpriced" }]);
    expect(result.expected.map((row) => row.token.address)).to.not.include(unpriced.address);
  });

  it("holds a token whose sell was rejected and buys the rest with the cash there is", () => {
    // $1M: $400k cash, $600k of WETH the pools would not take; targets 100% WBTC.
    const result = plan({
      holdings: [hold(USDC, usd(400_000)), hold(WETH, 300n * 10n ** 18n)],
      targetsBps: [target(WBTC, 10_000)],
      hold: [WETH.address.toUpperCase().replace("0X", "0x")],
    });
    expect(result.sells).to.deep.equal([]);
    expect(result.held).to.deep.equal([{ token: WETH, balance: 300n * 10n ** 18n, targetBps: 0, reason: "hold" }]);
    // WBTC wants $980k; the cash above its $20k target ($380k) is what can be spent.
    expect(result.buysScaled).to.equal(true);
    expect(result.buys.map((t) => [t.tokenOut, t.amountIn])).to.deep.equal([[WBTC.address, usd(380_000)]]);
  });

  it("throws when the targets do not sum to 10,000 bps", () => {
    expect(() => plan({ holdings: [], targetsBps: [target(WBTC, 9_999)] })).to.throw(/10,000/);
  });
});
