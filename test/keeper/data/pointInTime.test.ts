import { expect } from "chai";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFileProvider, MarketDataFileError } from "../../../keeper/data/fileProvider.js";
import { SyntheticMarket } from "../../../keeper/data/syntheticMarket.js";

const DAY = 86_400_000;
const START = Date.parse("2025-01-01T00:00:00.000Z");
const dayIso = (d: number) => new Date(START + d * DAY).toISOString();

describe("point-in-time market data", function () {
  describe("file provider", function () {
    async function fileWith(body: unknown): Promise<string> {
      const file = path.join(await mkdtemp(path.join(tmpdir(), "market-")), "market.json");
      await writeFile(file, JSON.stringify(body));
      return file;
    }
    const assets = [{ id: "bitcoin", symbol: "BTC", marketCapUsd: 1e12, volume24hUsd: 1e10, priceUsd: 50_000 }];
    const history = Array.from({ length: 200 }, (_, d) => ({ asOf: dayIso(d), marketCapUsd: 1e12 + d, pricesUsd: { bitcoin: 50_000 + d } }));

    it("returns the history up to the cut-off, not the file's last days", async function () {
      const provider = await createFileProvider(await fileWith({ asOf: dayIso(199), assets, history }));
      const read = await provider.getRegimeHistory(["bitcoin"], 10, new Date(START + 60 * DAY));
      expect(read.map((o) => o.asOf)).to.deep.equal(Array.from({ length: 10 }, (_, i) => dayIso(51 + i)));
    });

    it("refuses a universe read for a cut-off before the market the file describes", async function () {
      const provider = await createFileProvider(await fileWith({ asOf: dayIso(199), assets, history }));
      const error = await provider.getUniverse(10, new Date(START + 60 * DAY)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MarketDataFileError);
      expect((error as Error).message).to.match(/describes the market at 2025-07-19T00:00:00.000Z, after the cut-off 2025-03-02T00:00:00.000Z/);
      expect(await provider.getUniverse(10, new Date(START + 199 * DAY))).to.have.length(1);
    });
  });

  describe("synthetic market", function () {
    const market = () =>
      new SyntheticMarket({
        seed: 3,
        startIso: dayIso(0),
        assets: [
          { id: "btc", symbol: "BTC", priceUsd: 50_000, marketCapUsd: 1e12 },
          { id: "alt", symbol: "ALT", priceUsd: 2, marketCapUsd: 1e10 },
          { id: "usd", symbol: "USD", priceUsd: 1, marketCapUsd: 1e11, isStablecoin: true },
        ],
      });

    it("reads the universe and history at a past close, whatever day the market has reached", async function () {
      const live = market();
      for (let d = 0; d < 40; d++) live.step();
      const frozen = market();
      for (let d = 0; d < 20; d++) frozen.step();
      const cutoff = new Date(START + 20 * DAY);
      expect(await live.provider().getUniverse(10, cutoff)).to.deep.equal(await frozen.provider().getUniverse(10, cutoff));
      const history = await live.provider().getRegimeHistory(["btc"], 5, cutoff);
      expect(history.at(-1)!.asOf).to.equal(cutoff.toISOString());
      expect(history).to.deep.equal(await frozen.provider().getRegimeHistory(["btc"], 5, cutoff));
    });

    it("reports the screens' inputs: 30-day median volume, price range and days of history", async function () {
      const live = market();
      for (let d = 0; d < 40; d++) live.step();
      const universe = await live.provider().getUniverse(10, new Date(START + 40 * DAY));
      const usd = universe.find((a) => a.id === "usd")!;
      expect(usd).to.include({ priceLow30dUsd: 1, priceHigh30dUsd: 1, medianVolume30dUsd: 3e9, historyDays: 365 });
      const alt = universe.find((a) => a.id === "alt")!;
      expect(alt.priceLow30dUsd! < alt.priceHigh30dUsd!).to.equal(true);
    });

    it("has nothing before its first day", async function () {
      const error = await market().provider().getUniverse(10, new Date(START - DAY)).catch((e: unknown) => e);
      expect((error as Error).message).to.match(/no day at or before 2024-12-31T00:00:00.000Z/);
    });
  });
});
