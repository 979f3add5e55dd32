import { expect } from "chai";
import { describe, it } from "mocha";
import { InvalidInputError, screenUniverse, type MarketAsset } from "../../../keeper/core/index.js";

const base = { volume24hUsd: 5_000_000, priceUsd: 1 };
const assets: MarketAsset[] = [
  { id: "bitcoin", symbol: "BTC", marketCapUsd: 1e12, ...base },
  { id: "tether", symbol: "USDT", marketCapUsd: 1e11, ...base, isStablecoin: true },
  { id: "wrapped-bitcoin", symbol: "WBTC", marketCapUsd: 1e10, ...base, derivativeOf: "bitcoin" },
  { id: "unlisted", symbol: "UNL", marketCapUsd: 1e9, ...base },
  { id: "tiny", symbol: "TNY", marketCapUsd: 1e6, ...base },
  { id: "illiquid", symbol: "ILQ", marketCapUsd: 1e9, ...base, volume24hUsd: 10 },
  { id: "no-data", symbol: "NAN", marketCapUsd: Number.NaN, ...base },
];
const registry = new Set(["bitcoin", "tether", "wrapped-bitcoin", "tiny", "illiquid", "no-data"]);

describe("#screenUniverse", () => {
  it("excludes each asset with the reason of the first screen it fails", () => {
    const { eligible, excluded } = screenUniverse({ assets, registry, minMarketCapUsd: 1e8, minVolumeUsd: 1e5 });
    expect(eligible.map((a) => a.id)).to.deep.equal(["bitcoin"]);
    expect(excluded.map(({ id, reason }) => [id, reason])).to.deep.equal([
      ["tether", "stablecoin"],
      ["wrapped-bitcoin", "derivative"],
      ["unlisted", "unregistered"],
      ["tiny", "market-cap"],
      ["illiquid", "volume"],
      ["no-data", "market-cap"],
    ]);
  });

  it("reports a stablecoin as one even when it is also unregistered", () => {
    const { excluded } = screenUniverse({ assets: [{ ...assets[1]! }], registry: new Set<string>() });
    expect(excluded[0]!.reason).to.equal("stablecoin");
  });

  it("accepts the registry as a Set, a Map or an array", () => {
    const forms = [new Set(["bitcoin"]), new Map([["bitcoin", { priceSource: "0x1" }]]), ["bitcoin"]];
    for (const form of forms) {
      expect(screenUniverse({ assets: [assets[0]!, assets[3]!], registry: form }).eligible.map((a) => a.id)).to.deep.equal(["bitcoin"]);
    }
  });

  it("keeps an asset exactly at the minimums", () => {
    const { eligible } = screenUniverse({ assets: [assets[0]!], registry, minMarketCapUsd: 1e12, minVolumeUsd: 5_000_000 });
    expect(eligible).to.have.length(1);
  });

  it("throws when the universe lists an id twice", () => {
    expect(() => screenUniverse({ assets: [assets[0]!, assets[0]!], registry })).to.throw(InvalidInputError, /twice/);
  });
});
