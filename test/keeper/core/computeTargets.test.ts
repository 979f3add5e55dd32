import { expect } from "chai";
import { expectNear } from "../../helpers/expectNear.js";
import { describe, it } from "mocha";
import { computeTargets, InvalidInputError, type MarketAsset } from "../../../keeper/core/index.js";
import { idAtRank, rankedAssets, ranks, seededRandom } from "./fixtures.js";

const stable: MarketAsset = { id: "usd-coin", symbol: "USDC", marketCapUsd: 9e14, volume24hUsd: 1e9, priceUsd: 1, isStablecoin: true };
const wrapped: MarketAsset = { id: "wrapped-asset", symbol: "WA", marketCapUsd: 8e14, volume24hUsd: 1e9, priceUsd: 1, derivativeOf: idAtRank(1) };

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("#computeTargets", () => {
  const universe = [...rankedAssets(30), stable, wrapped];
  const registry = [...universe.map((a) => a.id)];

  it("screens, selects N with the buffer and weights them in bps summing to 10,000", () => {
    const result = computeTargets({ universe, registry, currentMembers: [idAtRank(11)], methodology: { constituentCount: 10 } });
    expect(result.constituents.map((c) => c.id)).to.deep.equal([...ranks(1, 9), idAtRank(11)]);
    expect(result.constituents.find((c) => c.id === idAtRank(11))?.reason).to.equal("stayed");
    expect([...result.weightsBps.values()].reduce((s, b) => s + b, 0)).to.equal(10_000);
    expect([...result.weightsBps.keys()]).to.deep.equal(result.constituents.map((c) => c.id));
    expect(result.excluded.map((e) => [e.id, e.reason])).to.deep.equal([
      ["usd-coin", "stablecoin"],
      ["wrapped-asset", "derivative"],
    ]);
    expect(result.methodology).to.deep.equal({ constituentCount: 10, bufferFraction: 0.2, capFraction: null, minMarketCapUsd: 0, minVolumeUsd: 0 });
  });

  it("hand-checks uncapped weights: caps 30, 29, ... 21 (x 1e9) over 255", () => {
    const { constituents } = computeTargets({ universe, registry, methodology: { constituentCount: 10 } });
    // exact bps k/255 x 10,000: floors 1176 1137 1098 1058 1019 980 941 901 862 823 sum to 9995; the five
    // units go to the largest remainders: .9608 (23), .8235 (27), .7451 (22), .6078 (26), .5294 (21).
    expectNear(constituents[0]!.weight, 30 / 255, 1e-15);
    expect(constituents.map((c) => c.weightBps)).to.deep.equal([1176, 1137, 1098, 1059, 1020, 980, 941, 902, 863, 824]);
  });

  it("keeps every weight at or under the cap", () => {
    const { weightsBps } = computeTargets({ universe, registry, methodology: { constituentCount: 10, capFraction: 0.11 } });
    for (const bps of weightsBps.values()) expect(bps).to.be.at.most(1100);
    expect([...weightsBps.values()].reduce((s, b) => s + b, 0)).to.equal(10_000);
  });

  it("returns the same targets whatever the order of the universe, registry and members", () => {
    const members = [idAtRank(3), idAtRank(12), idAtRank(25)];
    const a = computeTargets({ universe, registry, currentMembers: members, methodology: { constituentCount: 12, capFraction: 0.1 } });
    const b = computeTargets({
      universe: shuffled(universe, 1),
      registry: shuffled(registry, 2),
      currentMembers: shuffled(members, 3),
      methodology: { constituentCount: 12, capFraction: 0.1 },
    });
    expect([...b.weightsBps]).to.deep.equal([...a.weightsBps]);
    expect(b.constituents).to.deep.equal(a.constituents);
    expect(b.excluded).to.deep.equal(a.excluded);
  });

  it("throws when nothing passes the screens", () => {
    expect(() => computeTargets({ universe: [stable], registry: ["usd-coin"] })).to.throw(InvalidInputError, /No asset/);
  });

  it("throws on an invalid configuration before touching the data", () => {
    expect(() => computeTargets({ universe, registry, methodology: { capFraction: 0 } })).to.throw(/Cap fraction/);
    expect(() => computeTargets({ universe, registry, methodology: { constituentCount: 2.5 } })).to.throw(/positive integer/);
  });
});
