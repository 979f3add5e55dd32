import { expect } from "chai";
import { describe, it } from "mocha";
import { maxDrawdown } from "../../../keeper/report/index.js";
import { expectNear } from "../../helpers/expectNear.js";

describe("#maxDrawdown", () => {
  it("is 0 for an empty series, a single point and a series that never falls", () => {
    expect(maxDrawdown([])).to.equal(0);
    expect(maxDrawdown([1.3])).to.equal(0);
    expect(maxDrawdown([1, 1, 1.2, 1.5, 1.5, 2])).to.equal(0);
  });

  it("measures the fall from the running peak, not from the start", () => {
    // Peak 1.5, trough 1.2: 0.3 / 1.5 = 20%, though the series never goes below its start.
    expectNear(maxDrawdown([1, 1.5, 1.2, 1.4]), 0.2, 1e-12);
  });

  it("keeps the deepest of several drawdowns", () => {
    // 100 -> 80 is 20%; 120 -> 84 is 30%; 130 -> 117 is 10%.
    expectNear(maxDrawdown([100, 80, 120, 84, 130, 117]), 0.3, 1e-12);
  });

  it("does not count a fall before a later, higher peak against that peak", () => {
    // 10 -> 5 is 50%; after the new peak 20 the fall to 15 is only 25%.
    expectNear(maxDrawdown([10, 5, 20, 15]), 0.5, 1e-12);
  });

  it("is the whole fall for a series that only goes down", () => {
    expectNear(maxDrawdown([1, 0.9, 0.75, 0.6]), 0.4, 1e-12);
  });

  it("is scale-free", () => {
    const values = [1, 1.5, 1.2, 1.4, 0.9, 1.1];
    expectNear(maxDrawdown(values.map((v) => v * 1_000_000)), maxDrawdown(values), 1e-12);
    expectNear(maxDrawdown(values), 0.4, 1e-12);
  });
});
