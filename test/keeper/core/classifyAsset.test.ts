import { expect } from "chai";
import { describe, it } from "mocha";
import { classificationHash, classifyAsset, type ClassificationTable } from "../../../keeper/core/index.js";
import { loadClassification } from "../../../keeper/data/classification.js";

const TABLE: ClassificationTable = {
  version: "test",
  asOf: "2025-11-30",
  assets: { chainlink: { class: "eligible", note: "oracle network token" }, "pax-gold": { class: "rwa", note: "tokenized gold" } },
  categoryRules: [
    { category: "stablecoins", class: "stablecoin", note: "CoinGecko: stablecoins" },
    { category: "liquid-restaking-tokens", class: "staking", note: "CoinGecko: liquid restaking tokens" },
  ],
  peg: { pegsUsd: [1], toleranceBps: 100 },
};

describe("#classifyAsset", () => {
  it("takes a curated entry before any category: LINK stays eligible although CoinGecko lists it under RWA", () => {
    expect(classifyAsset({ asset: { id: "chainlink", categories: ["stablecoins"], priceLow30dUsd: 1, priceHigh30dUsd: 1 }, table: TABLE })).to.deep.equal({
      id: "chainlink",
      class: "eligible",
      rule: "curated",
      note: "oracle network token",
    });
  });

  it("applies the first matching category rule to an id the file does not cover", () => {
    const result = classifyAsset({ asset: { id: "new-restaked-eth", categories: ["layer-1", "liquid-restaking-tokens"] }, table: TABLE });
    expect(result).to.include({ class: "staking", rule: "category:liquid-restaking-tokens" });
  });

  it("uses the provider's flags after the categories (file and synthetic markets)", () => {
    expect(classifyAsset({ asset: { id: "x", isStablecoin: true }, table: TABLE })).to.include({ class: "stablecoin", rule: "provider-flag" });
    expect(classifyAsset({ asset: { id: "y", derivativeOf: "bitcoin" }, table: TABLE })).to.include({ class: "wrapped", rule: "provider-flag" });
  });

  it("calls an uncovered id a stablecoin only when all 30 closes sit within the peg tolerance", () => {
    expect(classifyAsset({ asset: { id: "new-usd", priceLow30dUsd: 0.995, priceHigh30dUsd: 1.004 }, table: TABLE })).to.include({ class: "stablecoin", rule: "price-peg" });
    // A volatile token that merely trades through $1 is not pegged.
    expect(classifyAsset({ asset: { id: "arb-like", priceLow30dUsd: 0.8, priceHigh30dUsd: 1.005 }, table: TABLE })).to.include({ class: "unknown", rule: "none" });
    expect(classifyAsset({ asset: { id: "just-above", priceLow30dUsd: 1.011, priceHigh30dUsd: 1.012 }, table: TABLE })).to.include({ class: "unknown" });
  });

  it("answers unknown when nothing decides", () => {
    expect(classifyAsset({ asset: { id: "mystery" }, table: TABLE })).to.include({ class: "unknown", rule: "none" });
  });
});

describe("shipped classification v1", () => {
  const { table, hash } = loadClassification("v1");

  it("covers at least 300 CoinGecko ids, each with a source note", () => {
    const entries = Object.entries(table.assets);
    expect(entries.length).to.be.at.least(300);
    for (const [id, entry] of entries) expect(entry.note.length, id).to.be.greaterThan(3);
  });

  it("classifies what a late-2025 top 100 let through, and keeps the genuine network tokens in CoinGecko's RWA category", () => {
    const expected: Record<string, string> = {
      "ethena-staked-usde": "stablecoin",
      susds: "stablecoin",
      "wrapped-eeth": "staking",
      "kelp-dao-restaked-eth": "staking",
      "lombard-staked-btc": "staking",
      "staked-ether": "staking",
      "wrapped-bitcoin": "wrapped",
      "pax-gold": "rwa",
      "tether-gold": "rwa",
      "blackrock-usd-institutional-digital-liquidity-fund": "rwa",
      "figure-heloc": "rwa",
      "jupiter-perpetuals-liquidity-provider-token": "lp-basket",
      tether: "stablecoin",
      "usd-coin": "stablecoin",
      bitcoin: "eligible",
      ethereum: "eligible",
      chainlink: "eligible",
      stellar: "eligible",
      "ondo-finance": "eligible",
    };
    for (const [id, cls] of Object.entries(expected)) expect(classifyAsset({ asset: { id, categories: ["real-world-assets-rwa"] }, table }).class, id).to.equal(cls);
  });

  it("hashes the content, not the file's layout: reordered entries give the same hash, one changed note another", () => {
    const reordered = { ...table, assets: Object.fromEntries(Object.entries(table.assets).reverse()) };
    expect(classificationHash(reordered)).to.equal(hash);
    const edited = { ...table, assets: { ...table.assets, bitcoin: { class: "eligible" as const, note: "edited" } } };
    expect(classificationHash(edited)).to.not.equal(hash);
  });

  it("refuses a version that was never shipped, naming it", () => {
    expect(() => loadClassification("v0")).to.throw(/unknown classification version "v0"/);
  });
});
