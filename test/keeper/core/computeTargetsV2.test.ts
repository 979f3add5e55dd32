import { expect } from "chai";
import { describe, it } from "mocha";
import { computeTargets, InfeasibleCapError, type AssetClass, type MarketAsset, type MethodologyConfigV2 } from "../../../keeper/core/index.js";
import { expectNear } from "../../helpers/expectNear.js";

/** A v2 universe asset with every screen input, passing the default screens. */
function asset(id: string, marketCapUsd: number, cls: AssetClass = "eligible", extra: Partial<MarketAsset> = {}): MarketAsset {
  return { id, symbol: id.toUpperCase(), marketCapUsd, priceUsd: 2, volume24hUsd: 5e7, medianVolume30dUsd: 5e7, historyDays: 365, class: cls, classRule: "curated", ...extra };
}

const untiered: Partial<MethodologyConfigV2> = { tieredCaps: null };

describe("#computeTargets, snapshot v2", () => {
  it("keeps out every class but eligible: what v1's four categories let through on a late-2025 top 100", () => {
    const universe = [
      asset("bitcoin", 1800e9),
      asset("ethereum", 450e9),
      asset("ethena-staked-usde", 5e9, "stablecoin"),
      asset("wrapped-eeth", 9e9, "staking"),
      asset("kelp-dao-restaked-eth", 2e9, "staking"),
      asset("tether-gold", 2e9, "rwa"),
      asset("figure-heloc", 12e9, "rwa"),
      asset("jupiter-perpetuals-liquidity-provider-token", 2e9, "lp-basket"),
      asset("chainlink", 9e9),
    ];
    const registry = universe.map((a) => a.id);
    const v2 = computeTargets({ version: 2, universe, registry, methodology: { ...untiered, constituentCount: 10 } });
    expect([...v2.weightsBps.keys()]).to.deep.equal(["bitcoin", "ethereum", "chainlink"]);
    expect(v2.excluded.map((e) => [e.id, e.reason])).to.deep.include.members([
      ["figure-heloc", "rwa"],
      ["wrapped-eeth", "staking"],
      ["ethena-staked-usde", "stablecoin"],
      ["jupiter-perpetuals-liquidity-provider-token", "lp-basket"],
    ]);
    // The same assets under snapshot v1 rules (no class) were all held.
    const v1 = computeTargets({ universe: universe.map(({ class: _c, classRule: _r, ...rest }) => rest), registry, methodology: { constituentCount: 10 } });
    expect(v1.weightsBps.size).to.equal(9);
  });

  it("applies the investability screens: 30-day median volume and listing history, each input missing failing it", () => {
    const universe = [
      asset("a", 100e9),
      asset("thin", 90e9, "eligible", { medianVolume30dUsd: 999_999 }),
      asset("young", 80e9, "eligible", { historyDays: 89 }),
      asset("no-volume-data", 70e9, "eligible", { medianVolume30dUsd: undefined }),
      asset("b", 60e9),
    ];
    const { weightsBps, excluded } = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), methodology: untiered });
    expect([...weightsBps.keys()]).to.deep.equal(["a", "b"]);
    expect(excluded.map((e) => [e.id, e.reason])).to.deep.equal([
      ["no-volume-data", "volume"],
      ["thin", "volume"],
      ["young", "history"],
    ]);
  });

  it("screens registered tokens on on-chain depth when told, a missing depth failing it; ids not on the vault still rank", () => {
    const universe = [
      asset("a", 100e9, "eligible", { onChainDepthUsd: 2e6 }),
      asset("shallow", 90e9, "eligible", { onChainDepthUsd: 4_999.99 }),
      asset("unread", 80e9),
      asset("at-minimum", 70e9, "eligible", { onChainDepthUsd: 5_000 }),
      asset("elsewhere", 60e9),
    ];
    const registry = ["a", "shallow", "unread", "at-minimum"];
    const screened = computeTargets({ version: 2, universe, registry, methodology: { ...untiered, minOnChainDepthUsd: 5_000 } });
    expect([...screened.weightsBps.keys()]).to.deep.equal(["a", "at-minimum"]);
    expect(screened.excluded.map((e) => [e.id, e.reason])).to.deep.equal([
      ["shallow", "depth"],
      ["unread", "depth"],
    ]);
    // An id without a token on the vault has no allowlisted route to measure: it ranks, and is reported as not held.
    expect(screened.unregistered.map((u) => u.id)).to.deep.equal(["elsewhere"]);
    // The pure core's default is off, so a snapshot without the field (published before the screen) re-derives as before.
    const unscreened = computeTargets({ version: 2, universe, registry, methodology: untiered });
    expect([...unscreened.weightsBps.keys()]).to.deep.equal(["a", "shallow", "unread", "at-minimum"]);
    expect(() => computeTargets({ version: 2, universe, registry, methodology: { minOnChainDepthUsd: -1 } })).to.throw(/minOnChainDepthUsd: -1/);
    expect(() => computeTargets({ version: 2, universe, registry, methodology: { depthBandBps: 0 } })).to.throw(/depthBandBps: 0/);
  });

  it("holds unclassified ids by default, lists those within N + buffer that are new, and excludes them when told", () => {
    const universe = [asset("a", 100e9), asset("new-l1", 50e9, "unknown"), asset("b", 40e9), asset("deep-unknown", 1e9, "unknown")];
    const registry = universe.map((a) => a.id);
    const included = computeTargets({ version: 2, universe, registry, methodology: { ...untiered, constituentCount: 2, bufferFraction: 0.5 } });
    expect([...included.weightsBps.keys()]).to.deep.equal(["a", "new-l1"]);
    expect(included.unclassifiedEntrants).to.deep.equal(["new-l1"]);
    const excluded = computeTargets({ version: 2, universe, registry, methodology: { ...untiered, constituentCount: 2, unclassified: "exclude" } });
    expect([...excluded.weightsBps.keys()]).to.deep.equal(["a", "b"]);
    expect(excluded.excluded.map((e) => e.reason)).to.deep.equal(["unknown", "unknown"]);
  });

  it("ranks the top N over the whole screened universe and spreads an unregistered one's weight pro rata", () => {
    // Caps 50, 30, 20, 10 (x 1e9); "off-chain" ranks 2nd but the vault does not register it.
    const universe = [asset("a", 50e9), asset("off-chain", 30e9), asset("c", 20e9), asset("d", 10e9)];
    const result = computeTargets({ version: 2, universe, registry: ["a", "c", "d"], methodology: { ...untiered, constituentCount: 3 } });
    expect(result.unregistered).to.deep.equal([{ id: "off-chain", symbol: "OFF-CHAIN", rank: 2, marketCapUsd: 30e9 }]);
    // Not given to the next-ranked "d": a and c share the index pro rata, 50 : 20.
    expect([...result.weightsBps]).to.deep.equal([
      ["a", 7143],
      ["c", 2857],
    ]);
  });

  it("caps the largest constituent at its tier and the others at theirs, the smaller of tier and uniform cap", () => {
    const universe = [asset("btc", 600e9), asset("eth", 150e9), ...Array.from({ length: 8 }, (_, i) => asset(`t${i}`, 30e9 - i * 1e9))];
    const tiers = { largestCount: 1, largestCapFraction: 0.25, otherCapFraction: 0.15 };
    const { constituents } = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), methodology: { tieredCaps: tiers, constituentCount: 10 } });
    expect(constituents[0]).to.include({ id: "btc", weightBps: 2500 });
    expect(constituents[1]).to.include({ id: "eth", weightBps: 1500 });
    // The rest share 60 % pro rata to market cap: t0 gets 30 / (30 + 29 + ... + 23 = 212) of it.
    expectNear(constituents[2]!.weight, (0.6 * 30) / 212, 1e-12);
    expect(constituents.reduce((s, c) => s + c.weightBps, 0)).to.equal(10_000);
    const uniform = computeTargets({ version: 2, universe, registry: universe.map((a) => a.id), methodology: { tieredCaps: tiers, capFraction: 0.2, constituentCount: 10 } });
    expect(uniform.constituents[0]).to.include({ weightBps: 2000 });
  });

  it("drops tiers that cannot add up to 100 % (too few held), but still refuses an infeasible uniform cap", () => {
    const universe = [asset("a", 3e9), asset("b", 2e9), asset("c", 1e9)];
    expect([...computeTargets({ version: 2, universe, registry: ["a", "b", "c"] }).weightsBps.values()]).to.deep.equal([5000, 3333, 1667]);
    expect(() => computeTargets({ version: 2, universe, registry: ["a", "b", "c"], methodology: { capFraction: 0.3 } })).to.throw(InfeasibleCapError, /capFraction: 0.3/);
  });
});
