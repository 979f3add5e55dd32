import { expect } from "chai";
import { describe, it } from "mocha";
import { checkCategoryLists, InvalidInputError } from "../../../keeper/core/index.js";

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe("#checkCategoryLists", () => {
  it("refuses a category that came back empty, naming it", () => {
    const call = () => checkCategoryLists({ current: { stablecoins: [], "wrapped-tokens": ["weth"] }, maxChangeFraction: 0.5 });
    expect(call).to.throw(InvalidInputError, /refusing to build targets/);
    expect(call).to.throw(/category "stablecoins" came back empty/);
  });

  it("refuses a week-over-week change above the limit and accepts one at it", () => {
    const previous = { stablecoins: ids("s", 100) };
    // 25 left and 25 joined: 50 of last week's 100 differ.
    const half = { stablecoins: [...ids("s", 75), ...ids("n", 25)] };
    expect(() => checkCategoryLists({ current: half, previous, maxChangeFraction: 0.5 })).to.not.throw();
    expect(() => checkCategoryLists({ current: half, previous, maxChangeFraction: 0.49 })).to.throw(/"stablecoins" changed by 50.0 %/);
  });

  it("accepts the first snapshot, which has no previous lists", () => {
    expect(() => checkCategoryLists({ current: { stablecoins: ["tether"] }, maxChangeFraction: 0.1 })).to.not.throw();
  });
});
