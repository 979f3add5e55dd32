import { expect } from "chai";
import { InvalidInputError, tradeDustAsset } from "../../../keeper/core/index.js";

describe("core #tradeDustAsset", function () {
  it("is the absolute dust for a small vault and the share of NAV for a large one", function () {
    const dustAsset = 10_000_000n; // $10 of a 6-decimal stablecoin
    // 1 bp of $50,000 is $5: below the absolute dust.
    expect(tradeDustAsset({ navAsset: 50_000_000_000n, minTradeBpsOfNav: 1, dustAsset })).to.equal(dustAsset);
    // 1 bp of $1,000,000 is $100, rounded down to the raw unit.
    expect(tradeDustAsset({ navAsset: 1_000_000_999_999n, minTradeBpsOfNav: 1, dustAsset })).to.equal(100_000_099n);
    expect(tradeDustAsset({ navAsset: 100_000_000_000n, minTradeBpsOfNav: 1, dustAsset })).to.equal(dustAsset);
    expect(tradeDustAsset({ navAsset: 10n ** 15n, minTradeBpsOfNav: 0, dustAsset: 0n })).to.equal(0n);
    // The whole NAV is the largest share it takes.
    expect(tradeDustAsset({ navAsset: 12_345n, minTradeBpsOfNav: 10_000, dustAsset: 1n })).to.equal(12_345n);
  });

  it("refuses a share of NAV that is not a whole number of bps in [0, 10000]", function () {
    for (const minTradeBpsOfNav of [-1, 0.5, 10_001]) {
      expect(() => tradeDustAsset({ navAsset: 1n, minTradeBpsOfNav, dustAsset: 0n }), String(minTradeBpsOfNav)).to.throw(InvalidInputError, /minTradeBpsOfNav/);
    }
  });
});
