import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFileProvider, MarketDataFileError } from "../../../keeper/data/fileProvider.js";

const HEADER = "id,symbol,market_cap_usd,volume_24h_usd,price_usd,is_stablecoin,derivative_of";

describe("file market data: a CSV of assets", function () {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "file-provider-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const provider = async (lines: string[]) => {
    const file = path.join(dir, "assets.csv");
    await writeFile(file, [HEADER, ...lines].join("\n"));
    return createFileProvider(file);
  };

  it("reads the stablecoin flag as true, false or empty", async function () {
    const universe = await (await provider(["bitcoin,BTC,1e12,3e10,60000,false,", "new-dollar,NUSD,5e9,1e9,1,true,", "chainlink,LINK,9e9,4e8,15,,"])).getUniverse(10, new Date("2025-11-23T00:00:00Z"));
    expect(universe.map((a) => [a.id, a.isStablecoin])).to.deep.equal([["bitcoin", undefined], ["chainlink", undefined], ["new-dollar", true]]);
  });

  for (const value of ["TRUE", "True", "1", "yes"]) {
    it(`refuses is_stablecoin "${value}" naming the line, rather than reading a stablecoin as an index token`, async function () {
      // A spreadsheet writes TRUE: read as "not a stablecoin", an unclassified dollar token would be held by the index.
      const error = await provider(["bitcoin,BTC,1e12,3e10,60000,,", `new-dollar,NUSD,5e9,1e9,1,${value},`]).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MarketDataFileError);
      expect((error as Error).message).to.include("line 3").and.to.include(`is_stablecoin must be true, false or empty, got "${value}"`);
    });
  }
});

describe("file market data: a JSON snapshot", function () {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "file-provider-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("refuses a number JSON reads as Infinity (1e999), naming the field, instead of failing later in the snapshot", async function () {
    const file = path.join(dir, "market.json");
    // JSON.parse turns an out-of-range number into Infinity; zod's plain number() lets it through.
    await writeFile(file, '{"assets":[{"id":"bitcoin","symbol":"BTC","marketCapUsd":1e999,"volume24hUsd":3e10,"priceUsd":60000}]}');
    const error = await createFileProvider(file).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MarketDataFileError);
    expect(String((error as MarketDataFileError).details)).to.include("assets.0.marketCapUsd");
  });
});
