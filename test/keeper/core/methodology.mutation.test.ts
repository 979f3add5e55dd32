// Methodology rules a mutation run showed unpinned: the cap kept through bps rounding, the id tie-break,
// the market-cap screen on zero and NaN, and every configuration bound.
import { expect } from "chai";
import { describe, it } from "mocha";
import { expectNear } from "../../helpers/expectNear.js";
import {
  bufferBands,
  capWeights,
  compareIds,
  computeTargets,
  InfeasibleCapError,
  InvalidInputError,
  NO_ASSET_PASSED,
  resolveMethodologyConfig,
  screenUniverse,
  selectConstituents,
  toBasisPoints,
  type MarketAsset,
  type MethodologyConfigV2,
} from "../../../keeper/core/index.js";

const asset = (id: string, marketCapUsd: number, extra: Partial<MarketAsset> = {}): MarketAsset => ({ id, symbol: id.toUpperCase(), marketCapUsd, volume24hUsd: 1_234_567.89, priceUsd: 3.21, ...extra });

describe("#computeTargets (mutation gaps)", () => {
  it("keeps a capped constituent at its maximum bps through the rounding (the vault rejects one above)", () => {
    // Cap 30.005% -> maxBps 3000. a and b are capped at 3000.5 bps each; c and d share the rest 2:1 exactly,
    // so one unit is left and a and b (fraction .5) are first in line for it: the cap must pass it on to c.
    const universe = [asset("a", 1_000.7e9), asset("b", 300.3e9), asset("c", 200.2e9), asset("d", 100.1e9)];
    const { weightsBps } = computeTargets({ universe, registry: ["a", "b", "c", "d"], methodology: { capFraction: 0.30005 } });
    expect(Object.fromEntries(weightsBps)).to.deep.equal({ a: 3_000, b: 3_000, c: 2_667, d: 1_333 });
  });

  describe("snapshot v2 (the live path): the caps kept through the bps rounding", () => {
    // A v2 universe row, passing every screen: untidy price and volumes, a year of history, curated as eligible.
    const v2Asset = (id: string, marketCapUsd: number): MarketAsset => ({ ...asset(id, marketCapUsd), priceUsd: 2.37, volume24hUsd: 5.3e7, medianVolume30dUsd: 4.1e7, historyDays: 400, class: "eligible", classRule: "curated" });
    const v2Targets = (caps: [string, number][], methodology: Partial<MethodologyConfigV2>) => {
      const universe = caps.map(([id, cap]) => v2Asset(id, cap));
      return Object.fromEntries(computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), methodology: { constituentCount: 20, ...methodology } }).weightsBps);
    };

    it("holds a uniform cap (no tiers) at its maximum when the capped constituents' remainders come first", () => {
      // As v1's test: a and b at 3,000.5 bps under a 30.005 % cap (maxBps 3,000); the one unit left must go to c.
      const weights = v2Targets([["a", 1_000.7e9], ["b", 300.3e9], ["c", 200.2e9], ["d", 100.1e9]], { tieredCaps: null, capFraction: 0.30005 });
      expect(weights).to.deep.equal({ a: 3_000, b: 3_000, c: 2_667, d: 1_333 });
    });

    it("holds each tier's own maximum: 25.005 % -> 2,500 and 15.005 % -> 1,500 bps, with no uniform cap", () => {
      // btc at 2,500.5 bps and eth, sol, xrp at 1,500.5 lead the remainders (.5 against ada .24, dot .45, link .31):
      // the three units left must go to the three uncapped constituents instead.
      const weights = v2Targets(
        [["btc", 1_234.5e9], ["eth", 345.6e9], ["sol", 98.7e9], ["xrp", 61.2e9], ["ada", 43.3e9], ["dot", 37.9e9], ["link", 21.4e9]],
        { tieredCaps: { largestCount: 1, largestCapFraction: 0.25005, otherCapFraction: 0.15005 } },
      );
      expect(weights).to.deep.equal({ btc: 2_500, eth: 1_500, sol: 1_500, xrp: 1_500, ada: 1_266, dot: 1_108, link: 626 });
    });

    it("holds the uniform cap where it is below the tier: min(25 %, 20.005 %) -> 2,000 bps", () => {
      // btc at 2,000.5 bps; ada 1,400.3, dot 1,300.1, link 799.1: one unit left, and btc's .5 leads ada's .3.
      const weights = v2Targets(
        [["btc", 500e9], ["eth", 40e9], ["sol", 30e9], ["xrp", 20e9], ["ada", 14.003e9], ["dot", 13.001e9], ["link", 7.991e9]],
        { tieredCaps: { largestCount: 1, largestCapFraction: 0.25, otherCapFraction: 0.15 }, capFraction: 0.20005 },
      );
      expect(weights).to.deep.equal({ btc: 2_000, eth: 1_500, sol: 1_500, xrp: 1_500, ada: 1_401, dot: 1_300, link: 799 });
    });

    it("lets an uncapped constituent round up to a cap of 57 % (0.57 x 10,000 is 5,699.99... in binary)", () => {
      // a sits at 5,699.7 bps, under the cap, and its remainder leads (b .2, c .1): the unit left is a's, which the
      // maximum of 5,700 allows. Uniform cap, then the same as tiers.
      expect(0.57 * 10_000 < 5_700).to.equal(true);
      const caps: [string, number][] = [["a", 56.997e9], ["b", 28.002e9], ["c", 15.001e9]];
      const expected = { a: 5_700, b: 2_800, c: 1_500 };
      expect(v2Targets(caps, { tieredCaps: null, capFraction: 0.57 })).to.deep.equal(expected);
      expect(v2Targets(caps, { tieredCaps: { largestCount: 1, largestCapFraction: 0.57, otherCapFraction: 0.57 } })).to.deep.equal(expected);
      // Snapshot v1 floors its cap the same way.
      const universe = caps.map(([id, cap]) => asset(id, cap));
      expect(Object.fromEntries(computeTargets({ universe, registry: universe.map((a) => a.id), methodology: { capFraction: 0.57 } }).weightsBps)).to.deep.equal(expected);
    });
  });

  describe("snapshot v2: the refusals, the unclassified list's edge and tiers that add up to exactly 100 %", () => {
    const v2Asset = (id: string, marketCapUsd: number, extra: Partial<MarketAsset> = {}): MarketAsset => ({ ...asset(id, marketCapUsd), priceUsd: 0.83, volume24hUsd: 2.9e7, medianVolume30dUsd: 2.7e7, historyDays: 731, class: "eligible", classRule: "curated", ...extra });

    it("refuses a universe nothing passes, and a selection the vault registers none of, each by its own message", () => {
      const universe = [v2Asset("gold-token", 3.1e9, { class: "rwa" }), v2Asset("thin", 2.2e9, { medianVolume30dUsd: 999_999.99 })];
      expect(() => computeTargets({ version: 2, universe, registry: ["gold-token", "thin"] })).to.throw(InvalidInputError, NO_ASSET_PASSED);
      const listed = [v2Asset("a", 3.1e9), v2Asset("b", 2.2e9)];
      expect(() => computeTargets({ version: 2, universe: listed, registry: ["c"] }))
        .to.throw(InvalidInputError, "No selected constituent is registered on the vault.")
        .with.property("details")
        .that.deep.equals(["selected: a, b"]);
    });

    it("lists an unclassified newcomer ranked exactly at the stay rank, one without any class, and none past it", () => {
      // N = 2, buffer 50 %: stayRank = 3. "no-class" (rank 2) has no class field at all; "edge" ranks 3rd; "past" 4th.
      const universe = [v2Asset("a", 9.7e9), v2Asset("no-class", 8.3e9, { class: undefined, classRule: undefined }), v2Asset("edge", 7.1e9, { class: "unknown" }), v2Asset("past", 6.9e9, { class: "unknown" })];
      const result = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), methodology: { tieredCaps: null, constituentCount: 2, bufferFraction: 0.5 } });
      expect(result.unclassifiedEntrants).to.deep.equal(["no-class", "edge"]);
      // A member is not an entrant, even unclassified.
      const asMember = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), currentMembers: ["edge"], methodology: { tieredCaps: null, constituentCount: 2, bufferFraction: 0.5 } });
      expect(asMember.unclassifiedEntrants).to.deep.equal(["no-class"]);
    });

    it("applies tiers whose caps add up to exactly 100 % (six held at 25 % + 5 x 15 %)", () => {
      const universe = [v2Asset("btc", 611e9), v2Asset("eth", 97e9), v2Asset("sol", 31e9), v2Asset("xrp", 29e9), v2Asset("ada", 17e9), v2Asset("dot", 13e9)];
      const { weightsBps } = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id) });
      // Every cap binds: the weights are the caps themselves.
      expect(Object.fromEntries(weightsBps)).to.deep.equal({ btc: 2_500, eth: 1_500, sol: 1_500, xrp: 1_500, ada: 1_500, dot: 1_500 });
    });
  });

  it("reports nothing removed without current members (launch), and v1 no unregistered or unclassified ids", () => {
    const universe = [asset("a", 7.7e9), asset("b", 3.3e9)];
    const v1 = computeTargets({ universe, registry: ["a", "b"] });
    expect([v1.removed, v1.unregistered, v1.unclassifiedEntrants]).to.deep.equal([[], [], []]);
    const v2 = computeTargets({ version: 2, universe: universe.map((a) => ({ ...a, medianVolume30dUsd: 2.1e6, historyDays: 200, class: "eligible" as const })), registry: ["a", "b"] });
    expect(v2.removed).to.deep.equal([]);
    expect(Object.fromEntries(v2.weightsBps)).to.deep.equal({ a: 7_000, b: 3_000 });
  });

  it("gives the same targets whatever order the universe and registry arrive in", () => {
    // Exact bps 3,000.3 x 3 and 999.1: one unit left, and the three equal remainders tie for it.
    const universe = [asset("zeta", 3_000.3e6), asset("alpha", 3_000.3e6), asset("mid", 3_000.3e6), asset("beta", 999.1e6)];
    const forward = computeTargets({ universe, registry: ["zeta", "alpha", "mid", "beta"] });
    const backward = computeTargets({ universe: [...universe].reverse(), registry: new Set(["beta", "mid", "alpha", "zeta"]) });
    expect([...forward.weightsBps]).to.deep.equal([...backward.weightsBps]);
    // Equal caps rank by id; the leftover unit of the three equal weights goes to the smallest id.
    expect([...forward.weightsBps]).to.deep.equal([
      ["alpha", 3_001],
      ["mid", 3_000],
      ["zeta", 3_000],
      ["beta", 999],
    ]);
  });
});

describe("#compareIds", () => {
  it("orders by UTF-16 code units, equal ids comparing 0", () => {
    expect(compareIds("asset-2", "asset-10")).to.equal(1);
    expect(compareIds("asset-10", "asset-2")).to.equal(-1);
    expect(compareIds("Zed", "abc")).to.equal(-1);
    expect(compareIds("same", "same")).to.equal(0);
  });
});

describe("#screenUniverse (mutation gaps)", () => {
  it("excludes a zero, negative, NaN or infinite market cap even with no minimum", () => {
    const assets = [asset("zero", 0), asset("neg", -5), asset("nan", Number.NaN), asset("inf", Number.POSITIVE_INFINITY), asset("ok", 0.01)];
    const { eligible, excluded } = screenUniverse({ assets, registry: assets.map((a) => a.id) });
    expect(eligible.map((a) => a.id)).to.deep.equal(["ok"]);
    expect(excluded.map((e) => [e.id, e.reason])).to.deep.equal([
      ["zero", "market-cap"],
      ["neg", "market-cap"],
      ["nan", "market-cap"],
      ["inf", "market-cap"],
    ]);
  });

  it("admits a market cap or volume exactly at the minimum, and an empty derivativeOf", () => {
    const assets = [asset("edge", 5e8, { volume24hUsd: 2.5e6, derivativeOf: "" }), asset("under", 5e8 - 1, { volume24hUsd: 2.5e6 }), asset("thin", 5e8, { volume24hUsd: 2.5e6 - 0.01 }), asset("wrapped", 9e9, { derivativeOf: "bitcoin" })];
    const { eligible, excluded } = screenUniverse({ assets, registry: assets.map((a) => a.id), minMarketCapUsd: 5e8, minVolumeUsd: 2.5e6 });
    expect(eligible.map((a) => a.id)).to.deep.equal(["edge"]);
    expect(excluded.map((e) => [e.id, e.reason])).to.deep.equal([
      ["under", "market-cap"],
      ["thin", "volume"],
      ["wrapped", "derivative"],
    ]);
  });

  it("rejects a negative, NaN or infinite screen minimum and accepts zero", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => screenUniverse({ assets: [], registry: [], minMarketCapUsd: bad })).to.throw(InvalidInputError);
      expect(() => screenUniverse({ assets: [], registry: [], minVolumeUsd: bad })).to.throw(InvalidInputError);
      expect(() => resolveMethodologyConfig({ minMarketCapUsd: bad })).to.throw(InvalidInputError);
      expect(() => resolveMethodologyConfig({ minVolumeUsd: bad })).to.throw(InvalidInputError);
    }
    expect(screenUniverse({ assets: [asset("x", 1)], registry: new Map([["x", 1]]), minMarketCapUsd: 0, minVolumeUsd: 0 }).eligible).to.have.length(1);
  });
});

describe("#resolveMethodologyConfig / #bufferBands (bounds)", () => {
  it("bounds capFraction to (0, 1] or null and treats an undefined field as the default", () => {
    for (const bad of [0, -0.1, 1.0001, Number.NaN]) expect(() => resolveMethodologyConfig({ capFraction: bad })).to.throw(InvalidInputError);
    expect(resolveMethodologyConfig({ capFraction: 1 }).capFraction).to.equal(1);
    expect(resolveMethodologyConfig({ capFraction: null }).capFraction).to.equal(null);
    expect(resolveMethodologyConfig({ capFraction: undefined, constituentCount: undefined })).to.deep.include({ capFraction: null, constituentCount: 100 });
  });

  it("bounds the constituent count to positive integers and the buffer to [0, 1)", () => {
    for (const n of [0, 2.5]) expect(() => bufferBands({ n, bufferFraction: 0.2 })).to.throw(InvalidInputError);
    for (const bufferFraction of [-0.01, 1, Number.NaN]) expect(() => bufferBands({ n: 10, bufferFraction })).to.throw(InvalidInputError);
    expect(bufferBands({ n: 1, bufferFraction: 0 })).to.deep.equal({ entryRank: 1, stayRank: 1 });
    expect(bufferBands({ n: 7, bufferFraction: 0.99 })).to.deep.equal({ entryRank: 0, stayRank: 13 });
  });
});

describe("#capWeights (bounds)", () => {
  it("rejects an empty set, a non-positive or non-finite market cap and a cap outside (0, 1]", () => {
    expect(() => capWeights({ marketCaps: new Map() })).to.throw(InvalidInputError);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => capWeights({ marketCaps: new Map([["a", 1], ["b", bad]]) })).to.throw(InvalidInputError);
    for (const bad of [0, -0.5, 1.5, Number.NaN]) expect(() => capWeights({ marketCaps: new Map([["a", 1]]), capFraction: bad })).to.throw(InvalidInputError);
  });

  it("accepts a cap that exactly fits (cap x count = 1) and a cap of 1", () => {
    const fit = capWeights({ marketCaps: new Map([["a", 9.7], ["b", 3.1], ["c", 1.3], ["d", 0.7]]), capFraction: 0.25 });
    expect([...fit.weights.values()]).to.deep.equal([0.25, 0.25, 0.25, 0.25]);
    expect(() => capWeights({ marketCaps: new Map([["a", 9.7], ["b", 3.1], ["c", 1.3], ["d", 0.7]]), capFraction: 0.2499 })).to.throw(InfeasibleCapError);
    expect(capWeights({ marketCaps: new Map([["a", 3]]), capFraction: 1 }).weights.get("a")).to.equal(1);
  });

  it("does not cap again a weight that lands exactly on the cap", () => {
    // a is 60% uncapped; capped at 40%, b and c split 60% as 30/30... b is then exactly 0.4 x 0.75 = 30%.
    const { weights, capped } = capWeights({ marketCaps: new Map([["a", 6], ["b", 2], ["c", 2]]), capFraction: 0.4 });
    expect([...capped]).to.deep.equal(["a"]);
    expect(weights.get("b")).to.equal(0.3);
  });
});

describe("#toBasisPoints (bounds and the cap when it cannot hold)", () => {
  it("rejects a total below 1 or fractional, a negative or fractional maxBps, and an all-zero weight set", () => {
    const weights = new Map([["a", 1.5], ["b", 2.25]]);
    for (const total of [0, -3, 2.5]) expect(() => toBasisPoints({ weights, total })).to.throw(InvalidInputError);
    for (const maxBps of [-1, 2.5]) expect(() => toBasisPoints({ weights, maxBps })).to.throw(InvalidInputError);
    expect(() => toBasisPoints({ weights: new Map([["a", 0], ["b", 0]]) })).to.throw(InvalidInputError);
    expect(Object.fromEntries(toBasisPoints({ weights, total: 1 }))).to.deep.equal({ a: 0, b: 1 });
    expect(Object.fromEntries(toBasisPoints({ weights, maxBps: 0 }))).to.deep.equal({ a: 4_000, b: 6_000 });
  });

  it("gives a capped asset the second leftover unit before a second one to anybody", () => {
    // Total 10, cap 3 (9 < 10: the cap cannot hold). Floors 2/3/3, two units left: x takes one under the cap,
    // the other must go to y (largest remainder of the capped), not to x a second time.
    const result = toBasisPoints({ weights: new Map([["x", 2.95], ["y", 3.55], ["z", 3.5]]), total: 10, maxBps: 3 });
    expect(Object.fromEntries(result)).to.deep.equal({ x: 3, y: 4, z: 3 });
  });
});

describe("#selectConstituents (mutation gaps)", () => {
  // Eight assets ranked by market cap; n = 5 with a 20% buffer: entry rank 4, stay rank 6.
  const eligible = ["h", "g", "f", "e", "d", "c", "b", "a"].map((id, i) => asset(id, 1e9 * (8.5 - i) + 0.37));

  it("names each reason: entered, stayed inside or in the buffer, filled; removed members by rank then id", () => {
    const result = selectConstituents({ eligible, currentMembers: ["a", "zz", "e", "h", "yy", "b"], n: 5, bufferFraction: 0.2 });
    expect(result.constituents.map((c) => [c.asset.id, c.rank, c.reason])).to.deep.equal([
      ["h", 1, "stayed"],
      ["g", 2, "entered"],
      ["f", 3, "entered"],
      ["e", 4, "stayed"],
      ["d", 5, "filled"],
    ]);
    expect(result.removed).to.deep.equal([
      { id: "b", rank: 7 },
      { id: "a", rank: 8 },
      { id: "yy", rank: null },
      { id: "zz", rank: null },
    ]);
  });

  it("keeps a member ranked just past the entry rank inside the buffer, not one past the stay rank", () => {
    const result = selectConstituents({ eligible, currentMembers: ["c", "d"], n: 5, bufferFraction: 0.2 });
    expect(result.constituents.map((c) => [c.asset.id, c.reason])).to.deep.equal([
      ["h", "entered"],
      ["g", "entered"],
      ["f", "entered"],
      ["e", "entered"],
      ["d", "stayed"],
    ]);
    expect(result.removed).to.deep.equal([{ id: "c", rank: 6 }]);
  });
});

describe("#capWeights with per-asset caps (tiered caps)", () => {
  const caps = new Map([
    ["a", 600],
    ["b", 300],
    ["c", 100],
  ]);

  it("holds an asset at its own cap, the smaller of its tier and the uniform cap, and spreads the rest by market cap", () => {
    const { weights, capped } = capWeights({ marketCaps: caps, capById: new Map([["a", 0.5]]) });
    expect(weights.get("a")).to.equal(0.5);
    expectNear(weights.get("b")!, 0.375, 1e-12);
    expectNear(weights.get("c")!, 0.125, 1e-12);
    expect([...capped]).to.deep.equal(["a"]);
    const both = capWeights({ marketCaps: caps, capFraction: 0.45, capById: new Map([["a", 0.5]]) });
    expect(both.weights.get("a")).to.equal(0.45);
  });

  it("checks that the caps that apply (each the smaller of tier and uniform cap) sum to at least 1, exactly 1 being enough", () => {
    // A tier of 1 for c does not lift the uniform 0.3 that still applies to it: 0.9 in all.
    expect(() => capWeights({ marketCaps: caps, capFraction: 0.3, capById: new Map([["c", 1]]) })).to.throw(InfeasibleCapError, /Caps are too small/);
    const exact = capWeights({ marketCaps: caps, capById: new Map([["a", 0.5], ["b", 0.3], ["c", 0.2]]) });
    expectNear([...exact.weights.values()].reduce((x, y) => x + y, 0), 1, 1e-12);
    expect(() => capWeights({ marketCaps: caps, capById: new Map([["a", 0.5], ["b", 0.3], ["c", 0.19]]) })).to.throw(InfeasibleCapError);
  });

  it("refuses a per-asset cap outside (0, 1], and accepts 1", () => {
    for (const bad of [0, -0.1, 1.01, Number.NaN]) expect(() => capWeights({ marketCaps: caps, capById: new Map([["a", bad]]) }), String(bad)).to.throw(InvalidInputError);
    expect(capWeights({ marketCaps: caps, capById: new Map([["a", 1]]) }).weights.get("a")).to.equal(0.6);
  });
});
