import { expect } from "chai";
import { describe, it } from "mocha";
import {
  canonicalJson,
  canonicalSnapshotJson,
  computeTargets,
  DEFAULT_METHODOLOGY_CONFIG,
  evaluateRegime,
  InvalidInputError,
  snapshotHash,
  type Snapshot,
} from "../../../keeper/core/index.js";
import { rankedAssets } from "./fixtures.js";

function snapshot(): Snapshot {
  const universe = rankedAssets(25);
  const regime = evaluateRegime({
    history: [100, 101, 102].map((marketCapUsd, day) => ({ asOf: `2024-01-0${day + 1}T00:00:00.000Z`, marketCapUsd })),
    config: { window: 3 },
  });
  return {
    version: 1,
    asOf: "2024-01-08T00:00:00.000Z",
    chainId: 31337,
    universe,
    registry: universe.map((a) => a.id),
    currentMembers: [universe[12]!.id, universe[3]!.id],
    methodology: { ...DEFAULT_METHODOLOGY_CONFIG, constituentCount: 10 },
    regime,
  };
}

describe("#canonicalJson", () => {
  it("sorts keys at every level and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: "x" } })).to.equal('{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}');
  });

  it("leaves out undefined fields, like JSON", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).to.equal('{"b":2}');
  });

  it("throws on values JSON would silently change", () => {
    for (const value of [{ a: Number.NaN }, { a: Infinity }, { a: 1n }, { a: new Map() }, [undefined], { a: new Date(0) }]) {
      expect(() => canonicalJson(value)).to.throw(InvalidInputError, /canonical JSON/);
    }
  });
});

describe("#canonicalSnapshotJson / #snapshotHash", () => {
  it("gives the same bytes and hash whatever the order of keys and of set-like lists", () => {
    const original = snapshot();
    const reordered: Snapshot = {
      regime: original.regime,
      methodology: original.methodology,
      currentMembers: [...original.currentMembers].reverse(),
      registry: [...original.registry].reverse(),
      universe: [...original.universe].reverse().map(({ symbol, id, ...rest }) => ({ symbol, ...rest, id })),
      chainId: original.chainId,
      asOf: original.asOf,
      version: 1,
    };
    expect(canonicalSnapshotJson(reordered)).to.equal(canonicalSnapshotJson(original));
    expect(snapshotHash(canonicalSnapshotJson(reordered))).to.equal(snapshotHash(canonicalSnapshotJson(original)));
  });

  it("changes the hash when any input changes", () => {
    const original = snapshot();
    const moved = { ...original, universe: original.universe.map((a, i) => (i === 7 ? { ...a, marketCapUsd: a.marketCapUsd + 1 } : a)) };
    expect(snapshotHash(canonicalSnapshotJson(moved))).to.not.equal(snapshotHash(canonicalSnapshotJson(original)));
  });

  it("is keccak256 of the UTF-8 bytes", () => {
    expect(snapshotHash("")).to.equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("lets an auditor re-derive the same targets from the published JSON", () => {
    const original = snapshot();
    const published = JSON.parse(canonicalSnapshotJson(original)) as Snapshot;
    expect([...computeTargets(published).weightsBps]).to.deep.equal([...computeTargets(original).weightsBps]);
  });

  it("throws when the universe lists an id twice", () => {
    const original = snapshot();
    expect(() => canonicalSnapshotJson({ ...original, universe: [...original.universe, original.universe[0]!] })).to.throw(/twice/);
  });
});
