import { expect } from "chai";
import { describe, it } from "mocha";
import { carryForwardGaps, DEFAULT_METHODOLOGY_CONFIG, computeTargets, type MarketAsset, type Snapshot } from "../../../keeper/core/index.js";
import { idAtRank, rankedAssets, ranks } from "./fixtures.js";

const members = ranks(1, 5);
const full = rankedAssets(10);
/** Today's data without asset-0003 (a one-day hole in its chart). */
const withGap = full.filter((a) => a.id !== idAtRank(3));

function targetsFor(universe: readonly MarketAsset[]): ReadonlyMap<string, number> {
  const snapshot: Snapshot = {
    version: 1,
    asOf: "2026-11-23T00:00:00.000Z",
    chainId: 1,
    universe,
    registry: full.map((a) => a.id),
    currentMembers: members,
    methodology: { ...DEFAULT_METHODOLOGY_CONFIG, constituentCount: 5 },
    regime: { state: "bull", previous: "bull", changed: false, asOf: "2026-11-23T00:00:00.000Z", source: "test", inputs: {} },
  };
  return computeTargets(snapshot).weightsBps;
}

describe("#carryForwardGaps", () => {
  it("keeps a member through a one-day gap in its data: carried from the last snapshot, so it is not sold", () => {
    expect(targetsFor(withGap).get(idAtRank(3)) ?? 0, "without the carry the member is dropped").to.equal(0);
    const { universe, carried, dropped } = carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: full, maxGapSnapshots: 2 });
    expect(carried).to.deep.equal([{ id: idAtRank(3), missingSnapshots: 1 }]);
    expect(dropped).to.deep.equal([]);
    expect(universe.find((a) => a.id === idAtRank(3))).to.deep.equal({ ...full[2], missingSnapshots: 1 });
    expect(targetsFor(universe).get(idAtRank(3))).to.be.greaterThan(0);
  });

  it("lets the member go once the gap has lasted maxGapSnapshots snapshots in a row", () => {
    const first = carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: full, maxGapSnapshots: 2 });
    const second = carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: first.universe, maxGapSnapshots: 2 });
    expect(second.carried).to.deep.equal([]);
    expect(second.dropped).to.deep.equal([idAtRank(3)]);
    expect(targetsFor(second.universe).get(idAtRank(3)) ?? 0).to.equal(0);
    // Back in the data: the count starts again.
    const back = carryForwardGaps({ universe: full, currentMembers: members, previousUniverse: second.universe, maxGapSnapshots: 2 });
    expect(back.universe).to.deep.equal(full);
  });

  it("drops at the first gap with maxGapSnapshots 1, and when there is no earlier snapshot to carry from", () => {
    expect(carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: full, maxGapSnapshots: 1 }).dropped).to.deep.equal([idAtRank(3)]);
    expect(carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: null, maxGapSnapshots: 2 }).dropped).to.deep.equal([idAtRank(3)]);
    expect(() => carryForwardGaps({ universe: withGap, currentMembers: members, previousUniverse: null, maxGapSnapshots: 0 })).to.throw(/maxGapSnapshots/);
  });
});
