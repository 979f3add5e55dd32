// The v2 methodology fields' bounds (a mutation run found them unpinned): each bad value is refused with a
// detail line naming that field alone, each bound itself is accepted, and an undefined field takes the default.
import { expect } from "chai";
import { describe, it } from "mocha";
import { DEFAULT_METHODOLOGY_CONFIG_V2, InvalidInputError, resolveMethodologyConfigV2, type MethodologyConfigV2 } from "../../../keeper/core/index.js";

/** The detail lines' field names ("tieredCaps.largestCount: 1.5 (...)" -> "tieredCaps.largestCount"). */
function refusedFields(config: Partial<MethodologyConfigV2>): string[] {
  try {
    resolveMethodologyConfigV2(config);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return (error as InvalidInputError).details.map((line) => line.split(":")[0]!);
  }
  return [];
}

const tiers = DEFAULT_METHODOLOGY_CONFIG_V2.tieredCaps!;

describe("#resolveMethodologyConfigV2", () => {
  it("refuses each bad v2 field with a detail line for that field only", () => {
    const cases: [Partial<MethodologyConfigV2>, string][] = [
      [{ minMedianVolume30dUsd: -1 }, "minMedianVolume30dUsd"],
      [{ minMedianVolume30dUsd: Number.NaN }, "minMedianVolume30dUsd"],
      [{ minMedianVolume30dUsd: Number.POSITIVE_INFINITY }, "minMedianVolume30dUsd"],
      [{ minHistoryDays: -1 }, "minHistoryDays"],
      [{ minHistoryDays: 1.5 }, "minHistoryDays"],
      [{ unclassified: "maybe" as "include" }, "unclassified"],
      [{ maxCategoryChangeFraction: 0 }, "maxCategoryChangeFraction"],
      [{ maxCategoryChangeFraction: Number.NaN }, "maxCategoryChangeFraction"],
      [{ maxCategoryChangeFraction: Number.POSITIVE_INFINITY }, "maxCategoryChangeFraction"],
      [{ tieredCaps: { ...tiers, largestCount: -1 } }, "tieredCaps.largestCount"],
      [{ tieredCaps: { ...tiers, largestCount: 0.5 } }, "tieredCaps.largestCount"],
      [{ tieredCaps: { ...tiers, largestCapFraction: 0 } }, "tieredCaps.largestCapFraction"],
      [{ tieredCaps: { ...tiers, largestCapFraction: 1.01 } }, "tieredCaps.largestCapFraction"],
      [{ tieredCaps: { ...tiers, largestCapFraction: Number.NaN } }, "tieredCaps.largestCapFraction"],
      [{ tieredCaps: { ...tiers, otherCapFraction: 0 } }, "tieredCaps.otherCapFraction"],
      [{ tieredCaps: { ...tiers, otherCapFraction: 1.01 } }, "tieredCaps.otherCapFraction"],
    ];
    for (const [config, field] of cases) expect(refusedFields(config), JSON.stringify(config)).to.deep.equal([field]);
  });

  it("accepts every bound itself, both unclassified policies and no tiers at all", () => {
    const bounds: Partial<MethodologyConfigV2>[] = [
      { minMedianVolume30dUsd: 0, minHistoryDays: 0, unclassified: "exclude", maxCategoryChangeFraction: Number.MIN_VALUE },
      { unclassified: "include", tieredCaps: { largestCount: 0, largestCapFraction: 1, otherCapFraction: 1 } },
      { tieredCaps: null },
    ];
    for (const config of bounds) expect(refusedFields(config), JSON.stringify(config)).to.deep.equal([]);
  });

  it("takes the default for an undefined field and keeps every field given", () => {
    const resolved = resolveMethodologyConfigV2({ minHistoryDays: undefined, minMedianVolume30dUsd: 5 });
    expect(resolved).to.deep.equal({ ...DEFAULT_METHODOLOGY_CONFIG_V2, minMedianVolume30dUsd: 5 });
    expect(Object.isFrozen(resolved)).to.equal(true);
    expect(resolveMethodologyConfigV2()).to.deep.equal(DEFAULT_METHODOLOGY_CONFIG_V2);
  });

  it("runs v1's checks too", () => {
    expect(() => resolveMethodologyConfigV2({ constituentCount: 0 })).to.throw(InvalidInputError);
  });
});
