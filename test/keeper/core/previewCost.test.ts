import { expect } from "chai";
import { describe, it } from "mocha";
import { InvalidInputError, previewCost, type Trade } from "../../../keeper/core/index.js";

const trade = (expectedValueAsset: bigint, modeledImpactAsset: bigint): Trade => ({
  side: "buy",
  tokenIn: "0xa0",
  tokenOut: "0xb1",
  amountIn: expectedValueAsset,
  expectedValueAsset,
  modeledImpactBps: 0,
  modeledImpactAsset,
});

describe("#previewCost", () => {
  it("adds modeled impact, pool fees and gas in stablecoin units", () => {
    const plan = { sells: [trade(1_000_000_000n, 5n)], buys: [trade(3_000_000_000n, 7n)], navAsset: 100_000_000_000n };
    // Gas: (2 x 150k + 50k) x 10 gwei = 0.0035 ETH x $2,000 = $7.
    const cost = previewCost(plan, { gasPerTrade: 150_000n, gasOverhead: 50_000n, gasPriceWei: 10_000_000_000n, nativePriceAsset18: 2_000_000_000n * 10n ** 18n });
    expect(cost).to.deep.equal({
      tradeCount: 2,
      volumeAsset: 4_000_000_000n,
      slippageAsset: 12n,
      poolFeeAsset: 12_000_000n,
      gasUnits: 350_000n,
      gasAsset: 7_000_000n,
      totalAsset: 19_000_012n,
      // $19.000012 of a $100,000 NAV is 1.9000012 bps, kept to six decimals.
      totalBpsOfNav: 1.900001,
    });
  });

  it("rounds the gas cost up", () => {
    const cost = previewCost({ sells: [trade(1n, 0n)], buys: [], navAsset: 0n }, { gasPerTrade: 1n, gasPriceWei: 1n, nativePriceAsset18: 1n, poolFeeBps: 0 });
    expect(cost.gasAsset).to.equal(1n);
    expect(cost.totalBpsOfNav).to.equal(0);
  });

  it("refuses each gas or price input that is negative, on its own, and accepts zeros", () => {
    const plan = { sells: [], buys: [trade(1_000n, 0n)], navAsset: 1_000_000n };
    const valid = { gasPerTrade: 0n, gasOverhead: 0n, gasPriceWei: 0n, nativePriceAsset18: 0n };
    expect(previewCost(plan, valid).gasAsset).to.equal(0n);
    for (const field of ["gasPerTrade", "gasOverhead", "gasPriceWei", "nativePriceAsset18"] as const) {
      expect(() => previewCost(plan, { ...valid, [field]: -1n }), field).to.throw(InvalidInputError);
    }
  });
});
