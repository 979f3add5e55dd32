import { expect } from "chai";
import { expectNear } from "../../helpers/expectNear.js";
import { describe, it } from "mocha";
import { capWeights, InfeasibleCapError } from "../../../keeper/core/index.js";

const caps = (entries: Record<string, number>) => new Map(Object.entries(entries));
const closeTo = (actual: ReadonlyMap<string, number>, expected: Record<string, number>) => {
  expect([...actual.keys()]).to.have.members(Object.keys(expected));
  for (const [id, weight] of Object.entries(expected)) expectNear(actual.get(id)!, weight, 1e-12);
};

describe("#capWeights", () => {
  it("weights by market cap when there is no cap", () => {
    closeTo(capWeights({ marketCaps: caps({ a: 60, b: 30, c: 10 }) }).weights, { a: 0.6, b: 0.3, c: 0.1 });
  });

  it("redistributes a capped asset's excess pro rata to the others", () => {
    // a: 60% -> 50%; the 10% excess goes to b and c in the ratio 30:10.
    const { weights, capped } = capWeights({ marketCaps: caps({ a: 60, b: 30, c: 10 }), capFraction: 0.5 });
    closeTo(weights, { a: 0.5, b: 0.375, c: 0.125 });
    expect([...capped]).to.deep.equal(["a"]);
  });

  it("caps again when redistribution pushes another asset over the cap", () => {
    // a: 80% -> 40%; b then gets 40% x 15/20 ... = 45% > 40% -> 40%; c takes the remaining 20%.
    const { weights, capped } = capWeights({ marketCaps: caps({ a: 80, b: 15, c: 5 }), capFraction: 0.4 });
    closeTo(weights, { a: 0.4, b: 0.4, c: 0.2 });
    expect([...capped].sort()).to.deep.equal(["a", "b"]);
  });

  it("does not cap an asset that lands exactly on the cap", () => {
    const { weights, capped } = capWeights({ marketCaps: caps({ a: 70, b: 20, c: 5, d: 5 }), capFraction: 0.4 });
    closeTo(weights, { a: 0.4, b: 0.4, c: 0.1, d: 0.1 });
    expect([...capped]).to.deep.equal(["a"]);
  });

  it("gives every asset the cap when cap x count is exactly 1", () => {
    closeTo(capWeights({ marketCaps: caps({ a: 90, b: 6, c: 3, d: 1 }), capFraction: 0.25 }).weights, { a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });

  it("throws when cap x count < 1", () => {
    expect(() => capWeights({ marketCaps: caps({ a: 1, b: 1, c: 1 }), capFraction: 0.3 })).to.throw(InfeasibleCapError);
  });

  it("returns bit-identical weights whatever the input order", () => {
    const forward = capWeights({ marketCaps: caps({ a: 7.1, b: 3.3, c: 0.7, d: 11.9 }), capFraction: 0.35 }).weights;
    const backward = capWeights({ marketCaps: caps({ d: 11.9, c: 0.7, b: 3.3, a: 7.1 }), capFraction: 0.35 }).weights;
    for (const id of ["a", "b", "c", "d"]) expect(backward.get(id)).to.equal(forward.get(id));
  });

  it("sums to 1", () => {
    const { weights } = capWeights({ marketCaps: caps({ a: 500, b: 200, c: 100, d: 50, e: 25, f: 5 }), capFraction: 0.3 });
    expectNear([...weights.values()].reduce((s, w) => s + w, 0), 1, 1e-12);
    for (const w of weights.values()) expect(w).to.be.at.most(0.3 + 1e-12);
  });
});
