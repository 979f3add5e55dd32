// The pure pieces behind the regime's fallback on the vault's own oracle (the day's close, the history rebuilt
// from the closes), the median and the report's two small formatters: plain mocha, exact values.
import { expect } from "chai";
import { describe, it } from "mocha";
import { formatUnixTime, medianOfSorted, oracleCloseOf, oracleRegimeHistory, shortHash } from "../../../keeper/core/index.js";

const A = "0xAaAa000000000000000000000000000000000001";
const B = "0xbBbB000000000000000000000000000000000002";
const a = A.toLowerCase();
const b = B.toLowerCase();

describe("keeper/core #oracleCloseOf", function () {
  it("takes the oracle prices as the day's close in USD, keyed in lower case, at 00:00 UTC of the block's day", function () {
    const close = oracleCloseOf({
      timestampSeconds: 1_764_633_599, // 2025-12-01 23:59:59 UTC
      stablecoinDecimals: 6,
      assets: [{ address: A }, { address: B }],
      // priceAsset18: raw stablecoin units per whole token x 1e18 -> $2.5 and $0.125 with 6 decimals.
      pricesAsset18: new Map([
        [A, 2_500_000n * 10n ** 18n],
        [B, 125_000n * 10n ** 18n],
      ]),
    });
    expect(close).to.deep.equal({ asOf: "2025-12-01T00:00:00.000Z", pricesUsd: { [a]: 2.5, [b]: 0.125 } });
  });

  it("leaves out an asset without a positive price", function () {
    const close = oracleCloseOf({
      timestampSeconds: 1_764_633_600, // 2025-12-02 00:00 UTC: that day
      stablecoinDecimals: 18,
      assets: [{ address: A }, { address: B }, { address: "0xc" }],
      pricesAsset18: new Map([
        [A, 0n],
        [B, 3n * 10n ** 36n],
        ["0xc", -1n],
      ]),
    });
    expect(close).to.deep.equal({ asOf: "2025-12-02T00:00:00.000Z", pricesUsd: { [b]: 3 } });
  });
});

describe("keeper/core #oracleRegimeHistory", function () {
  const idOf = new Map([
    [a, "alpha"],
    [b, "beta"],
  ]);

  it("values each asset at the supply the latest snapshot gave it (market cap / price), close by close", function () {
    const history = oracleRegimeHistory({
      closes: [
        { asOf: "2025-12-01T00:00:00.000Z", pricesUsd: { [a]: 2, [b]: 10, "0xunknown": 5 } },
        { asOf: "2025-12-02T00:00:00.000Z", pricesUsd: { [a]: 3, [b]: 8 } },
      ],
      idOf,
      // alpha: 1,000 units; beta: 50 units.
      universe: [
        { id: "alpha", priceUsd: 4, marketCapUsd: 4_000 },
        { id: "beta", priceUsd: 20, marketCapUsd: 1_000 },
      ],
    });
    expect(history).to.deep.equal([
      { asOf: "2025-12-01T00:00:00.000Z", marketCapUsd: 2_500, pricesUsd: { alpha: 2, beta: 10 }, marketCapsUsd: { alpha: 2_000, beta: 500 } },
      { asOf: "2025-12-02T00:00:00.000Z", marketCapUsd: 3_400, pricesUsd: { alpha: 3, beta: 8 }, marketCapsUsd: { alpha: 3_000, beta: 400 } },
    ]);
  });

  it("without a usable supply, counts an asset for one dollar on the first close; not at all if absent from it", function () {
    const history = oracleRegimeHistory({
      closes: [
        { asOf: "2025-12-01T00:00:00.000Z", pricesUsd: { [a]: 4 } },
        { asOf: "2025-12-02T00:00:00.000Z", pricesUsd: { [a]: 5, [b]: 7 } },
      ],
      idOf,
      // A zero price and a zero market cap give no supply.
      universe: [
        { id: "alpha", priceUsd: 0, marketCapUsd: 4_000 },
        { id: "beta", priceUsd: 2, marketCapUsd: 0 },
      ],
    });
    expect(history).to.deep.equal([
      { asOf: "2025-12-01T00:00:00.000Z", marketCapUsd: 1, pricesUsd: { alpha: 4 }, marketCapsUsd: { alpha: 1 } },
      { asOf: "2025-12-02T00:00:00.000Z", marketCapUsd: 1.25, pricesUsd: { alpha: 5, beta: 7 }, marketCapsUsd: { alpha: 1.25 } },
    ]);
  });

  it("skips a close with nothing to value, and gives nothing without closes", function () {
    expect(oracleRegimeHistory({ closes: [], idOf, universe: [] })).to.deep.equal([]);
    const history = oracleRegimeHistory({
      closes: [
        { asOf: "2025-12-01T00:00:00.000Z", pricesUsd: { "0xunknown": 1 } },
        { asOf: "2025-12-02T00:00:00.000Z", pricesUsd: { [a]: 2 } },
      ],
      idOf,
      universe: [{ id: "alpha", priceUsd: 1, marketCapUsd: 10 }],
    });
    expect(history).to.deep.equal([{ asOf: "2025-12-02T00:00:00.000Z", marketCapUsd: 20, pricesUsd: { alpha: 2 }, marketCapsUsd: { alpha: 20 } }]);
  });
});

describe("keeper/core #medianOfSorted", function () {
  it("takes the middle value of an odd count, the mean of the two middle ones of an even count, NaN of none", function () {
    expect(medianOfSorted([7])).to.equal(7);
    expect(medianOfSorted([1, 2, 10])).to.equal(2);
    expect(medianOfSorted([1, 2, 4, 10])).to.equal(3);
    expect(medianOfSorted(new Float64Array([1, 3]))).to.equal(2);
    expect(medianOfSorted([])).to.be.NaN;
  });
});

describe("keeper/core #shortHash and #formatUnixTime", function () {
  it("cuts a hash to its first 10 and last 6 characters", function () {
    expect(shortHash("0x1234abcd5678ef9012345678909f8e7d")).to.equal("0x1234abcd…9f8e7d");
  });

  it("formats Unix seconds as UTC to the minute, or the date alone at midnight", function () {
    expect(formatUnixTime(1_764_613_800)).to.equal("2025-12-01 18:30 UTC");
    expect(formatUnixTime(1_764_547_200)).to.equal("2025-12-01 UTC");
  });
});
