// The universe the regime reads (a mutation run found regimeUniverse untested): which assets it screens out,
// the order it ranks them in, and the cut at `size`.
import { expect } from "chai";
import { describe, it } from "mocha";
import { regimeUniverse, type MarketAsset } from "../../../keeper/core/index.js";

const asset = (id: string, marketCapUsd: number, extra: Partial<MarketAsset> = {}): MarketAsset => ({ id, symbol: id.toUpperCase(), marketCapUsd, volume24hUsd: 1e9, priceUsd: 1, ...extra });

describe("#regimeUniverse", () => {
  it("leaves out stablecoins, anything that wraps another asset, and every class but eligible and unknown", () => {
    const universe = [
      asset("btc", 9e11),
      asset("usdc", 8e11, { isStablecoin: true }),
      asset("steth", 7e11, { derivativeOf: "ethereum" }),
      asset("wrapped-nothing", 6.5e11, { derivativeOf: "" }),
      asset("paxg", 6e11, { class: "rwa" }),
      asset("weth", 5e11, { class: "wrapped" }),
      asset("dai", 4e11, { class: "stablecoin" }),
      asset("eth", 3e11, { class: "eligible" }),
      asset("new", 2e11, { class: "unknown" }),
      asset("flagged-false", 1e11, { isStablecoin: false }),
    ];
    expect(regimeUniverse(universe, 100)).to.deep.equal(["btc", "eth", "new", "flagged-false"]);
  });

  it("leaves out a zero, negative, NaN or infinite market cap", () => {
    const universe = [asset("a", 0), asset("b", -5), asset("c", Number.NaN), asset("d", Number.POSITIVE_INFINITY), asset("e", 1)];
    expect(regimeUniverse(universe, 100)).to.deep.equal(["e"]);
  });

  it("ranks by market cap, largest first, equal caps by id in code-unit order, whatever the input order", () => {
    const universe = [asset("b", 5), asset("B", 5), asset("a", 5), asset("z", 7), asset("m", 6)];
    expect(regimeUniverse(universe, 100)).to.deep.equal(["z", "m", "B", "a", "b"]);
    expect(regimeUniverse([...universe].reverse(), 100)).to.deep.equal(["z", "m", "B", "a", "b"]);
  });

  it("keeps the first `size` after ranking, and nothing for a size of 0", () => {
    const universe = [asset("small", 1), asset("large", 3), asset("mid", 2)];
    expect(regimeUniverse(universe, 2)).to.deep.equal(["large", "mid"]);
    expect(regimeUniverse(universe, 0)).to.deep.equal([]);
  });
});
