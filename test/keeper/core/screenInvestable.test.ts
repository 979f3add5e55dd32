// Snapshot v2's screens at their edges (a mutation run found them unpinned): each minimum admits a value
// exactly at it, a zero minimum does not require the field, a missing or non-finite value fails its screen,
// and the class screen comes first. Also the peg and flag rules of classifyAsset.
import { expect } from "chai";
import { describe, it } from "mocha";
import { classifyAsset, DEFAULT_METHODOLOGY_CONFIG_V2, InvalidInputError, screenInvestable, type ClassificationTable, type MarketAsset, type MethodologyConfigV2 } from "../../../keeper/core/index.js";

const config: MethodologyConfigV2 = { ...DEFAULT_METHODOLOGY_CONFIG_V2, minMarketCapUsd: 1_000, minVolumeUsd: 100, minMedianVolume30dUsd: 50, minHistoryDays: 90 };
const passing = { marketCapUsd: 1_000, volume24hUsd: 100, medianVolume30dUsd: 50, historyDays: 90, priceUsd: 1 };
const asset = (id: string, fields: Partial<MarketAsset> = {}): MarketAsset => ({ id, symbol: id.toUpperCase(), ...passing, ...fields });
/** Each asset's exclusion reason, or "eligible". */
function screen(assets: MarketAsset[], c: MethodologyConfigV2 = config): string[] {
  const { eligible, excluded } = screenInvestable({ assets, config: c, registry: [] });
  const reasons = new Map<string, string>([...eligible.map((a) => [a.id, "eligible"] as const), ...excluded.map((e) => [e.id, e.reason] as const)]);
  return assets.map((a) => reasons.get(a.id)!);
}

describe("#screenInvestable", () => {
  it("admits every value exactly at its minimum", () => {
    expect(screen([asset("at")])).to.deep.equal(["eligible"]);
  });

  it("excludes a unit under each minimum, and a missing or non-finite value, with the screen's reason", () => {
    const cases: [Partial<MarketAsset>, string][] = [
      [{ marketCapUsd: 999 }, "market-cap"],
      [{ marketCapUsd: Number.NaN }, "market-cap"],
      [{ volume24hUsd: 99 }, "volume"],
      [{ volume24hUsd: Number.POSITIVE_INFINITY }, "volume"],
      [{ medianVolume30dUsd: 49 }, "volume"],
      [{ medianVolume30dUsd: undefined }, "volume"],
      [{ historyDays: 89 }, "history"],
      [{ historyDays: undefined }, "history"],
    ];
    expect(screen(cases.map(([fields], i) => asset(`a${i}`, fields)))).to.deep.equal(cases.map(([, reason]) => reason));
  });

  it("with zero minimums, needs no median volume or history but still a positive market cap", () => {
    const zero = { ...config, minMarketCapUsd: 0, minVolumeUsd: 0, minMedianVolume30dUsd: 0, minHistoryDays: 0 };
    const assets = [asset("bare", { medianVolume30dUsd: undefined, historyDays: undefined }), asset("zero-cap", { marketCapUsd: 0 }), asset("negative-cap", { marketCapUsd: -1 })];
    expect(screen(assets, zero)).to.deep.equal(["eligible", "market-cap", "market-cap"]);
  });

  it("screens the class first, unclassified ids as the methodology says, and reports id, symbol and reason", () => {
    const assets = [asset("gold", { class: "rwa", marketCapUsd: 0 }), asset("new", { class: undefined }), asset("ok", { class: "eligible" })];
    expect(screen(assets)).to.deep.equal(["rwa", "eligible", "eligible"]);
    const excludeUnknown = screenInvestable({ assets, config: { ...config, unclassified: "exclude" }, registry: [] });
    expect(excludeUnknown.excluded).to.deep.equal([
      { id: "gold", symbol: "GOLD", reason: "rwa" },
      { id: "new", symbol: "NEW", reason: "unknown" },
    ]);
    expect(excludeUnknown.eligible.map((a) => a.id)).to.deep.equal(["ok"]);
  });

  it("refuses a universe that lists an id twice", () => {
    expect(() => screenInvestable({ assets: [asset("x"), asset("y"), asset("x")], config, registry: [] })).to.throw(InvalidInputError, /twice/);
  });
});

describe("#classifyAsset (flags and peg)", () => {
  // A peg of $2 with a 50 % tolerance: closes of $1 and $3 lie exactly on its edges (|1/2 - 1| = |3/2 - 1| = 0.5).
  const table: ClassificationTable = { version: "t", asOf: "2025-01-01", assets: {}, categoryRules: [], peg: { pegsUsd: [2], toleranceBps: 5_000 } };

  it("counts closes exactly at the peg's tolerance as pegged, and a hair outside as not", () => {
    expect(classifyAsset({ asset: { id: "edge", priceLow30dUsd: 1, priceHigh30dUsd: 3 }, table }).class).to.equal("stablecoin");
    expect(classifyAsset({ asset: { id: "out", priceLow30dUsd: 0.999, priceHigh30dUsd: 3 }, table }).class).to.equal("unknown");
    expect(classifyAsset({ asset: { id: "above", priceLow30dUsd: 1, priceHigh30dUsd: 3.001 }, table }).class).to.equal("unknown");
  });

  it("takes the provider's derivative flag only when it names an asset", () => {
    expect(classifyAsset({ asset: { id: "w", derivativeOf: "ethereum" }, table })).to.include({ class: "wrapped", rule: "provider-flag" });
    expect(classifyAsset({ asset: { id: "e", derivativeOf: "" }, table })).to.include({ class: "unknown", rule: "none" });
    expect(classifyAsset({ asset: { id: "n" }, table })).to.include({ class: "unknown", rule: "none" });
  });
});
