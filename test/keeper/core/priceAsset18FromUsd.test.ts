import { expect } from "chai";
import { InvalidInputError, priceAsset18, priceAsset18FromUsd } from "../../../keeper/core/index.js";

describe("core #priceAsset18FromUsd (a dollar setting in the keeper's one price unit)", function () {
  it("gives what the oracle conversion gives for the same dollar price, to a millionth of a dollar", function () {
    // The oracle's unit: USD x 1e36 per raw unit. An 18-decimal coin at $5,000 against a 6-decimal stablecoin at $1.
    const fromOracle = priceAsset18(5_000n * 10n ** 36n / 10n ** 18n, 10n ** 36n / 10n ** 6n, 18);
    expect(priceAsset18FromUsd(5_000, 6)).to.equal(fromOracle).and.equal(5_000n * 10n ** 6n * 10n ** 18n);
    expect(priceAsset18FromUsd(0.0000014, 6)).to.equal(1n * 10n ** 18n);
    expect(priceAsset18FromUsd(2_500.5, 18)).to.equal(2_500_500_000n * 10n ** 18n * 10n ** 12n);
    expect(priceAsset18FromUsd(0, 6)).to.equal(0n);
  });

  it("takes decimals from 0 to 77 for a dollar setting, and 0 to 59 from the oracle (its mulDiv's uint256)", function () {
    expect(priceAsset18FromUsd(2, 0)).to.equal(2n * 10n ** 18n);
    expect(priceAsset18FromUsd(1, 77)).to.equal(10n ** 95n);
    // From the oracle, a whole token at the 1e18 scale must fit a uint256: 59 decimals at most. A token priced at
    // one stablecoin unit (USD 1e36 per raw unit each), at either end of that range.
    expect(priceAsset18(10n ** 36n, 10n ** 36n, 0)).to.equal(10n ** 18n);
    expect(priceAsset18(10n ** 36n, 10n ** 36n, 59)).to.equal(10n ** 77n);
    expect(() => priceAsset18(10n ** 36n, 10n ** 36n, 60)).to.throw(InvalidInputError, "Token decimals must be an integer in [0, 59].");
  });

  it("refuses a negative or non-finite price and impossible decimals", function () {
    for (const [usd, decimals] of [[-1, 6], [Number.NaN, 6], [Infinity, 6], [1, -1], [1, 78], [1, 6.5]] as const) {
      expect(() => priceAsset18FromUsd(usd, decimals), `${usd} ${decimals}`).to.throw(InvalidInputError);
    }
  });
});
