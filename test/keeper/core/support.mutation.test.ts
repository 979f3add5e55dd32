// The core's supporting rules a mutation run showed unpinned: the cost preview's input bounds, the error
// type every caller maps to an exit code, and canonical JSON's refusals (which keep a snapshot hash honest).
import { expect } from "chai";
import { describe, it } from "mocha";
import {
  canonicalJson,
  canonicalSnapshotJson,
  DEFAULT_METHODOLOGY_CONFIG,
  InfeasibleCapError,
  InsufficientHistoryError,
  InvalidInputError,
  KeeperError,
  MissingPriceError,
  previewCost,
  type Snapshot,
  type Trade,
} from "../../../keeper/core/index.js";

const trade = (expectedValueAsset: bigint, modeledImpactAsset: bigint): Trade => ({
  side: "sell",
  tokenIn: "0xb1",
  tokenOut: "0xa0",
  amountIn: 3n,
  expectedValueAsset,
  modeledImpactBps: 1.5,
  modeledImpactAsset,
});

describe("#previewCost (mutation gaps)", () => {
  const plan = { sells: [trade(123_456_789n, 4_321n)], buys: [trade(987_654_321n, 1n)], navAsset: 55_555_555_555n };
  const gas = { gasPerTrade: 151_234n, gasPriceWei: 1_234_567_891n, nativePriceAsset18: 3_210_987_654n * 10n ** 18n };

  it("defaults to a 30 bps pool fee and no overhead, rounding every part up", () => {
    const cost = previewCost(plan, gas);
    // Fees: ceil(123,456,789 x 0.003) + ceil(987,654,321 x 0.003) = 370,371 + 2,962,963.
    expect(cost.poolFeeAsset).to.equal(3_333_334n);
    expect(cost.gasUnits).to.equal(302_468n);
    // 302,468 x 1,234,567,891 wei = 0.000373417...e18 ETH x $3,210.987654, rounded up.
    expect(cost.gasAsset).to.equal((302_468n * 1_234_567_891n * 3_210_987_654n + 10n ** 18n - 1n) / 10n ** 18n);
    expect(cost.totalAsset).to.equal(4_322n + 3_333_334n + cost.gasAsset);
  });

  it("rejects each negative gas or price input, and a pool fee outside [0, 10000]; accepts the bounds", () => {
    for (const bad of [{ gasPerTrade: -1n }, { gasOverhead: -1n }, { gasPriceWei: -1n }, { nativePriceAsset18: -1n }, { poolFeeBps: -1 }, { poolFeeBps: 10_001 }, { poolFeeBps: 2.5 }]) {
      expect(() => previewCost(plan, { ...gas, ...bad }), JSON.stringify(bad, (_, v) => (typeof v === "bigint" ? String(v) : v))).to.throw(InvalidInputError);
    }
    const free = previewCost(plan, { gasPerTrade: 0n, gasOverhead: 0n, gasPriceWei: 0n, nativePriceAsset18: 0n, poolFeeBps: 0 });
    expect(free.totalAsset).to.equal(4_322n);
    expect(previewCost(plan, { ...gas, poolFeeBps: 10_000 }).poolFeeAsset).to.equal(123_456_789n + 987_654_321n);
  });
});

describe("#KeeperError (mutation gaps)", () => {
  it("names each subclass, so the CLI can map it to an exit code", () => {
    expect(new KeeperError("x").name).to.equal("KeeperError");
    expect(new InvalidInputError("x").name).to.equal("InvalidInputError");
    expect(new InfeasibleCapError("x").name).to.equal("InfeasibleCapError");
    expect(new MissingPriceError("x").name).to.equal("MissingPriceError");
    expect(new InsufficientHistoryError("x").name).to.equal("InsufficientHistoryError");
  });

  it("takes one detail line as a string, none at all, and a cause that is not an Error", () => {
    const one = new KeeperError("Short.", { details: "the line" });
    expect(one.details).to.deep.equal(["the line"]);
    expect(one.message).to.equal("Short.\n  the line");
    const none = new KeeperError("Short.");
    expect(none.details).to.deep.equal([]);
    expect(none.message).to.equal("Short.");
    expect("cause" in none).to.equal(false);
    const odd = new KeeperError("Short.", { cause: 404 });
    expect(odd.message).to.equal("Short.\nCaused by: 404");
    expect(odd.cause).to.equal(404);
  });
});

describe("#canonicalJson / #canonicalSnapshotJson (mutation gaps)", () => {
  const refusal = (value: unknown) => {
    try {
      canonicalJson(value);
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidInputError);
      return (error as InvalidInputError).details;
    }
    throw new Error("no refusal");
  };

  it("names the path of what it cannot encode", () => {
    expect(refusal({ a: [1, undefined] })).to.deep.equal(["$.a[1]: undefined"]);
    expect(refusal({ b: { c: Number.NaN } })).to.deep.equal(["$.b.c: NaN"]);
    expect(refusal([0, [1, 2n]])).to.deep.equal(["$[1][1]: bigint"]);
    expect(refusal(new Map())).to.deep.equal(["$: Map"]);
    expect(refusal({ when: new Date(0) })).to.deep.equal(["$.when: Date"]);
    expect(refusal(undefined)).to.deep.equal(["$: undefined"]);
  });

  it("encodes a null-prototype object like a plain one and sorts keys by code unit", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, B: 2, a: [true] });
    expect(canonicalJson(bare)).to.equal('{"B":2,"a":[true],"b":1}');
    expect(canonicalJson({ ab: 1, a: 2, "": 3 })).to.equal('{"":3,"a":2,"ab":1}');
  });

  it("publishes the current members sorted and once each", () => {
    const snapshot: Snapshot = {
      version: 1,
      asOf: "2026-11-30T00:00:00.000Z",
      chainId: 8_453,
      universe: [{ id: "b", symbol: "B", marketCapUsd: 2.5, volume24hUsd: 1, priceUsd: 1 }],
      registry: ["b", "a", "b"],
      currentMembers: ["z", "b", "z"],
      methodology: DEFAULT_METHODOLOGY_CONFIG,
      regime: { state: "bull", previous: "bull", changed: false, asOf: "2026-11-30T00:00:00.000Z", source: "test", inputs: {} },
    };
    const parsed = JSON.parse(canonicalSnapshotJson(snapshot)) as Snapshot;
    expect(parsed.currentMembers).to.deep.equal(["b", "z"]);
    expect(parsed.registry).to.deep.equal(["a", "b"]);
  });
});
