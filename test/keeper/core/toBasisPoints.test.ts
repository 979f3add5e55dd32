import { expect } from "chai";
import { describe, it } from "mocha";
import { capWeights, toBasisPoints } from "../../../keeper/core/index.js";
import { seededRandom } from "./fixtures.js";

const sumOf = (bps: ReadonlyMap<string, number>) => [...bps.values()].reduce((s, b) => s + b, 0);

describe("#toBasisPoints", () => {
  it("gives the leftover unit of equal thirds to the smallest id", () => {
    const bps = toBasisPoints({ weights: new Map([["c", 1], ["a", 1], ["b", 1]]) });
    expect([...bps]).to.deep.equal([["c", 3333], ["a", 3334], ["b", 3333]]);
  });

  it("gives leftover units to the largest remainders", () => {
    // exact: 1234.5, 5678.9, 3086.6 -> floors 1234, 5678, 3086 (9998), +1 to b (.9) and c (.6).
    const bps = toBasisPoints({ weights: new Map([["a", 1234.5], ["b", 5678.9], ["c", 3086.6]]) });
    expect(Object.fromEntries(bps)).to.deep.equal({ a: 1234, b: 5679, c: 3087 });
  });

  it("sums to exactly 10,000 for 500 seeded random weight sets, each within one unit of exact", () => {
    const random = seededRandom(20_240_101);
    for (let trial = 0; trial < 500; trial++) {
      const count = 1 + Math.floor(random() * 300);
      const weights = new Map<string, number>();
      for (let i = 0; i < count; i++) weights.set(`id-${i}`, random() < 0.05 ? 0 : Math.exp(random() * 20));
      if (sumOf(weights) === 0) weights.set("id-0", 1);
      const total = sumOf(weights);
      const bps = toBasisPoints({ weights });
      expect(sumOf(bps), `trial ${trial}`).to.equal(10_000);
      // Collected, then asserted once: a chai call per unit would dominate the suite's run time.
      const offenders = [...bps].filter(([id, unit]) => {
        const exact = (weights.get(id)! / total) * 10_000;
        return !Number.isInteger(unit) || unit < Math.floor(exact - 1e-9) || unit > Math.ceil(exact + 1e-9);
      });
      expect(offenders, `trial ${trial}`).to.deep.equal([]);
    }
  });

  it("passes over an asset at maxBps when another can take the unit", () => {
    // A cap of 30.005% floors to 3000 bps. exact: 3000.5, 3000.5, 2999.5, 999.5 -> floors sum to 8998;
    // a and b would win the ties by id but sit at the cap, so c and d take the two units.
    const weights = new Map([["a", 0.30005], ["b", 0.30005], ["c", 0.29995], ["d", 0.09995]]);
    expect(Object.fromEntries(toBasisPoints({ weights, maxBps: 3000 }))).to.deep.equal({ a: 3000, b: 3000, c: 3000, d: 1000 });
  });

  it("exceeds maxBps by one unit only when the cap cannot hold", () => {
    const bps = toBasisPoints({ weights: new Map([["a", 1], ["b", 1], ["c", 1]]), maxBps: 3333 });
    expect(sumOf(bps)).to.equal(10_000);
    expect(Object.fromEntries(bps)).to.deep.equal({ a: 3334, b: 3333, c: 3333 });
  });

  it("keeps capped weights at or under the cap in bps for seeded random markets", () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 100; trial++) {
      const marketCaps = new Map<string, number>();
      for (let i = 0; i < 40; i++) marketCaps.set(`id-${i}`, Math.exp(random() * 15));
      const { weights } = capWeights({ marketCaps, capFraction: 0.07 });
      const bps = toBasisPoints({ weights, maxBps: 700 });
      expect(sumOf(bps)).to.equal(10_000);
      for (const unit of bps.values()) expect(unit).to.be.at.most(700);
    }
  });

  it("sums to another total when asked", () => {
    expect(sumOf(toBasisPoints({ weights: new Map([["a", 1], ["b", 2]]), total: 7 }))).to.equal(7);
  });

  it("throws for negative or non-finite weights", () => {
    expect(() => toBasisPoints({ weights: new Map([["a", -1], ["b", 2]]) })).to.throw(/non-negative/);
    expect(() => toBasisPoints({ weights: new Map([["a", Number.NaN]]) })).to.throw(/finite/);
  });
});
