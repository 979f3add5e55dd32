import { expect } from "chai";
import { describe, it } from "mocha";
import { bufferBands, selectConstituents, type MarketAsset } from "../../../keeper/core/index.js";
import { idAtRank, rankedAssets, ranks } from "./fixtures.js";

// N = 10, b = 0.2: newcomers enter at rank <= 8, members stay while rank <= 12.
const eligible = rankedAssets(20);
const select = (members: string[], n = 10) => selectConstituents({ eligible, currentMembers: members, n, bufferFraction: 0.2 });
const selectedIds = (result: ReturnType<typeof select>) => result.constituents.map((c) => c.asset.id);
const reasonOf = (result: ReturnType<typeof select>, rank: number) => result.constituents.find((c) => c.rank === rank)?.reason;

describe("#bufferBands", () => {
  it("is MarketVector's 80-120 for N = 100 and b = 0.2", () => {
    expect(bufferBands({ n: 100, bufferFraction: 0.2 })).to.deep.equal({ entryRank: 80, stayRank: 120 });
  });

  it("floors non-integer band edges", () => {
    expect(bufferBands({ n: 7, bufferFraction: 0.2 })).to.deep.equal({ entryRank: 5, stayRank: 8 });
  });

  it("throws for a buffer outside [0, 1)", () => {
    expect(() => bufferBands({ n: 10, bufferFraction: 1 })).to.throw(/Buffer fraction/);
  });
});

describe("#selectConstituents", () => {
  it("keeps a member ranked exactly N x (1 + b)", () => {
    const result = select([...ranks(1, 8), idAtRank(11), idAtRank(12)]);
    expect(selectedIds(result)).to.deep.equal([...ranks(1, 8), idAtRank(11), idAtRank(12)]);
    expect(reasonOf(result, 12)).to.equal("stayed");
  });

  it("drops a member ranked N x (1 + b) + 1 and fills with the best-ranked other asset", () => {
    const result = select([...ranks(1, 8), idAtRank(11), idAtRank(13)]);
    expect(selectedIds(result)).to.deep.equal([...ranks(1, 9), idAtRank(11)]);
    expect(reasonOf(result, 9)).to.equal("filled");
    expect(result.removed).to.deep.equal([{ id: idAtRank(13), rank: 13 }]);
  });

  it("lets a newcomer ranked exactly N x (1 - b) enter, ahead of buffered members", () => {
    const result = select([...ranks(1, 7), ...ranks(9, 11)]);
    expect(reasonOf(result, 8)).to.equal("entered");
    expect(selectedIds(result)).to.deep.equal(ranks(1, 10));
    expect(result.removed).to.deep.equal([{ id: idAtRank(11), rank: 11 }]);
  });

  it("keeps out a newcomer ranked N x (1 - b) + 1 while members fill the index", () => {
    const result = select([...ranks(1, 8), idAtRank(10), idAtRank(11)]);
    expect(selectedIds(result)).to.not.include(idAtRank(9));
    expect(selectedIds(result)).to.deep.equal([...ranks(1, 8), idAtRank(10), idAtRank(11)]);
  });

  it("applies the same boundaries at N = 100: a member at 120 stays, one at 121 leaves", () => {
    const universe = rankedAssets(200);
    const at120 = selectConstituents({ eligible: universe, currentMembers: [...ranks(1, 80), ...ranks(101, 120)] });
    expect(at120.constituents).to.have.length(100);
    expect(at120.constituents.at(-1)).to.include({ rank: 120, reason: "stayed" });

    const at121 = selectConstituents({ eligible: universe, currentMembers: [...ranks(1, 80), ...ranks(102, 121)] });
    expect(at121.constituents.map((c) => c.rank)).to.not.include(121);
    expect(at121.constituents.find((c) => c.rank === 81)?.reason).to.equal("filled");
    expect(at121.removed).to.deep.equal([{ id: idAtRank(121), rank: 121 }]);
  });

  it("keeps the best-ranked N when more members qualify than fit", () => {
    const result = select(ranks(1, 12));
    expect(selectedIds(result)).to.deep.equal(ranks(1, 10));
    expect(result.removed.map((r) => r.rank)).to.deep.equal([11, 12]);
  });

  it("at launch takes the top N: the entry band enters, the rest is filled", () => {
    const result = select([]);
    expect(selectedIds(result)).to.deep.equal(ranks(1, 10));
    expect(result.constituents.filter((c) => c.reason === "entered")).to.have.length(8);
    expect(result.constituents.filter((c) => c.reason === "filled")).to.have.length(2);
  });

  it("selects every eligible asset when there are fewer than N", () => {
    const result = selectConstituents({ eligible: rankedAssets(4), currentMembers: [], n: 10, bufferFraction: 0.2 });
    expect(result.constituents).to.have.length(4);
  });

  it("reports a member missing from the eligible set as removed without a rank", () => {
    const result = select([...ranks(1, 9), "delisted"]);
    expect(result.removed).to.deep.equal([{ id: "delisted", rank: null }]);
    expect(result.constituents).to.have.length(10);
  });

  it("ranks equal market caps by id whatever the input order", () => {
    const tied: MarketAsset[] = ["c", "a", "b"].map((id) => ({ id, symbol: id, marketCapUsd: 5, volume24hUsd: 1, priceUsd: 1 }));
    const forward = selectConstituents({ eligible: tied, currentMembers: [], n: 2, bufferFraction: 0 });
    const backward = selectConstituents({ eligible: [...tied].reverse(), currentMembers: [], n: 2, bufferFraction: 0 });
    expect(forward.constituents.map((c) => c.asset.id)).to.deep.equal(["a", "b"]);
    expect(backward.constituents.map((c) => c.asset.id)).to.deep.equal(["a", "b"]);
  });
});
