// The TypeScript twins of the vault's libraries at hand-checked values and at their edges, on plain mocha
// (vaultLibs.test.ts compares them with the Solidity harnesses on Hardhat's chain).
import { expect } from "chai";
import { describe, it } from "mocha";
import { feeOfGross, InvalidInputError, LossBudgetLib, mulDiv, NavLib, priceAsset18, valueInAsset } from "../../../keeper/core/index.js";

const MAX = 2n ** 256n - 1n;

describe("#mulDiv", () => {
  it("rounds a x b / c down, or up when asked and only when inexact", () => {
    expect(mulDiv(7n, 11n, 3n)).to.equal(25n);
    expect(mulDiv(7n, 11n, 3n, "ceil")).to.equal(26n);
    expect(mulDiv(9n, 11n, 3n, "ceil")).to.equal(33n);
    expect(mulDiv(MAX, MAX, MAX)).to.equal(MAX);
  });

  it("refuses a negative or over-256-bit input, a zero divisor and a result past uint256", () => {
    for (const [a, b, c] of [[-1n, 1n, 1n], [1n, -1n, 1n], [1n, 1n, -1n], [MAX + 1n, 1n, 1n], [1n, MAX + 1n, 1n], [1n, 1n, MAX + 1n], [1n, 1n, 0n], [MAX, 2n, 1n]]) {
      expect(() => mulDiv(a!, b!, c!), `${a} ${b} ${c}`).to.throw(InvalidInputError);
    }
    expect(mulDiv(0n, MAX, 1n)).to.equal(0n);
    expect(mulDiv(MAX, 1n, 1n)).to.equal(MAX);
  });
});

describe("NavLib / LossBudgetLib (hand-checked)", () => {
  it("values an amount at the oracle's unit prices, rounding down", () => {
    // 3 raw units at $7e-36 x 1e36... = 3 x 7 / 2 = 10.5 -> 10.
    expect(NavLib.valueDown(3n, 7n, 2n)).to.equal(10n);
  });

  it("rounds the oracle floor for a trade's output up", () => {
    // 1,000 x 3 x (1 - 1.37%) / 7 = 422.7... -> 423.
    expect(NavLib.minAmountOutUp(1_000n, 3n, 7n, 137)).to.equal(423n);
    expect(NavLib.minAmountOutUp(7_000n, 1n, 7n, 0)).to.equal(1_000n);
  });

  it("converts assets and shares through the virtual shares, in the rounding asked", () => {
    // 1,234 x (5,000 + 1,000) / (9,876 + 1) = 749.62... 
    expect(NavLib.toShares(1_234n, 5_000n, 9_876n, 1_000n, "floor")).to.equal(749n);
    expect(NavLib.toShares(1_234n, 5_000n, 9_876n, 1_000n, "ceil")).to.equal(750n);
    // 749 x 9,877 / 6,000 = 1,232.97...
    expect(NavLib.toAssets(749n, 5_000n, 9_876n, 1_000n, "floor")).to.equal(1_232n);
    expect(NavLib.toAssets(749n, 5_000n, 9_876n, 1_000n, "ceil")).to.equal(1_233n);
    // 333 x 77 / (5,000 + 1,000) = 4.27 -> 4.
    expect(NavLib.proRataDown(333n, 77n, 5_000n, 1_000n)).to.equal(4n);
  });

  it("places a time in its quarter-window bucket", () => {
    // A 7-day window has 151,200 s buckets: 302,399 s is still bucket 1, 302,400 s is bucket 2.
    expect(LossBudgetLib.bucketAt(302_399n, 604_800n)).to.equal(1n);
    expect(LossBudgetLib.bucketAt(302_400n, 604_800n)).to.equal(2n);
  });

  it("empties exactly the buckets that fell out of the ring, and all of them five buckets on", () => {
    // Buckets 0..4 hold 1, 2, 3, 4, 5 (bucket i at bits 32i).
    const ring = [1n, 2n, 3n, 4n, 5n].reduce((r, v, i) => r | (v << (32n * BigInt(i))), 0n);
    expect(LossBudgetLib.used(ring)).to.equal(15n);
    expect(LossBudgetLib.roll(ring, 7n, 7n)).to.equal(ring);
    expect(LossBudgetLib.roll(ring, 7n, 6n)).to.equal(ring);
    // From bucket 7 (slot 2) to 9 (slot 4): slots 3 and 4 fall out; 1 + 2 + 3 stay.
    expect(LossBudgetLib.used(LossBudgetLib.roll(ring, 7n, 9n))).to.equal(6n);
    expect(LossBudgetLib.used(LossBudgetLib.roll(ring, 7n, 11n))).to.equal(3n);
    expect(LossBudgetLib.roll(ring, 7n, 12n)).to.equal(0n);
  });

  it("turns losses into fractions of NAV against the budget, rounding against the keeper", () => {
    // 50 bps is 5e7 units of 1e-10 of NAV.
    expect(LossBudgetLib.availableFraction(0n, 50)).to.equal(50_000_000n);
    expect(LossBudgetLib.availableFraction(49_999_999n, 50)).to.equal(1n);
    expect(LossBudgetLib.availableFraction(50_000_001n, 50)).to.equal(0n);
    // 1 asset unit lost of a NAV of 3e10 is 1/3 of a unit: rounded up to 1.
    expect(LossBudgetLib.fractionUp(1n, 30_000_000_000n)).to.equal(1n);
    expect(LossBudgetLib.fractionUp(5n, 1_000n)).to.equal(50_000_000n);
    // 5e7 of a 1,234,567 NAV is 6,172.835: rounded down.
    expect(LossBudgetLib.assetsDown(50_000_000n, 1_234_567n)).to.equal(6_172n);
  });

  it("adds a loss to the current bucket, and collapses the ring into one bucket on a window change", () => {
    const ring = LossBudgetLib.add(LossBudgetLib.add(0n, 6n, 7n), 8n, 9n);
    expect((ring >> 32n) & 0xffff_ffffn).to.equal(7n);
    expect((ring >> 96n) & 0xffff_ffffn).to.equal(9n);
    expect(LossBudgetLib.collapse(ring, 12n)).to.equal(16n << 64n);
  });
});

describe("#priceAsset18", () => {
  it("turns the oracle's unit prices into the keeper's price of a whole token, rounding down as the vault values", () => {
    // BTC at $60,000.50 (8 decimals) against a 6-decimal stablecoin at $0.999009: neither divides the other.
    const usd36 = (usd: bigint, cents: bigint, decimals: number) => ((usd * 100n + cents) * 10n ** 34n) / 10n ** BigInt(decimals);
    const btc = usd36(60_000n, 50n, 8);
    const usdc = usd36(0n, 99n, 6) + (9n * 10n ** 33n) / 10n ** 6n;
    const price = priceAsset18(btc, usdc, 8);
    expect(price).to.equal((btc * 10n ** 8n * 10n ** 18n) / usdc);
    expect(price).to.equal(NavLib.valueDown(10n ** 26n, btc, usdc));
    // One whole token at that price is the vault's value of it, to the raw unit.
    expect(valueInAsset(10n ** 8n, 8, price)).to.equal(NavLib.valueDown(10n ** 8n, btc, usdc));
    expect(priceAsset18(7n, 2n, 0)).to.equal(3_500_000_000_000_000_000n);
    expect(priceAsset18(0n, usdc, 18)).to.equal(0n);
  });

  it("refuses a stablecoin without a price and impossible decimals", () => {
    expect(() => priceAsset18(1n, 0n, 6)).to.throw(InvalidInputError, "stablecoin");
    for (const decimals of [-1, 78, 1.5]) expect(() => priceAsset18(1n, 1n, decimals), String(decimals)).to.throw(InvalidInputError, "decimals");
  });
});

describe("#NavLib share conversions / #LossBudgetLib.bucketAt (mutation gaps)", () => {
  it("adds one virtual asset to the NAV in both directions, as the vault does against donations", () => {
    // An empty vault: 100 assets x (0 + 10^6 virtual shares) / (0 + 1 virtual asset).
    expect(NavLib.toShares(100n, 0n, 0n, 1_000_000n, "floor")).to.equal(100_000_000n);
    expect(NavLib.toAssets(100_000_000n, 0n, 0n, 1_000_000n, "floor")).to.equal(100n);
    // 1,000 assets held (1,001 with the virtual one): 7 x 1,001,000,000 / 1,001 = 7,000,000 shares, and back.
    expect(NavLib.toShares(7n, 1_000_000_000n, 1_000n, 1_000_000n, "floor")).to.equal(7_000_000n);
    expect(NavLib.toAssets(7_000_000n, 1_000_000_000n, 1_000n, 1_000_000n, "floor")).to.equal(7n);
    expect(NavLib.toAssets(7_000_001n, 1_000_000_000n, 1_000n, 1_000_000n, "ceil")).to.equal(8n);
  });

  it("refuses a window shorter than four seconds (no quarter-window bucket) and counts buckets from the epoch", () => {
    expect(() => LossBudgetLib.bucketAt(100n, 3n)).to.throw(InvalidInputError);
    expect(LossBudgetLib.bucketAt(100n, 4n)).to.equal(100n);
    expect(LossBudgetLib.bucketAt(151_200n * 7n - 1n, 604_800n)).to.equal(6n);
  });
});

describe("#feeOfGross (FeeLib.feeOnGrossUp, the entry fee inside a deposit)", () => {
  it("takes gross * bps / (10,000 + bps), rounded up, as the vault does", () => {
    expect(feeOfGross(1_000_000_000n, 10)).to.equal(999_001n); // 999,000.999: not 1,000,000 (gross * bps / 10,000)
    expect(feeOfGross(10_010n, 10)).to.equal(10n); // exact
    expect(feeOfGross(10_011n, 10n)).to.equal(11n); // 10.0009 rounded up
    expect(feeOfGross(5n, 0)).to.equal(0n);
  });
});
