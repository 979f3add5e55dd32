import { expect } from "chai";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KeeperError, oracleCloseOf, oracleRegimeHistory, type OracleClose } from "../../../keeper/core/index.js";
import { createOracleCloseStore } from "../../../keeper/data/createOracleCloseStore.js";

const VAULT = "0x00000000000000000000000000000000000000Aa";
const BTC = "0x00000000000000000000000000000000000000Bb";
const ETH = "0x00000000000000000000000000000000000000cC";

describe("the oracle-close store and the regime history rebuilt from it", function () {
  it("keeps a day's first reading, one file per snapshot folder, and refuses another vault's file", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "oracle-closes-"));
    const store = createOracleCloseStore(dir, VAULT);
    expect(await store.read()).to.deep.equal([]);
    // 2026-01-05 10:00 and 23:00 UTC: one day; the 6th is the next.
    const at = (iso: string, btcUsd: number) => oracleCloseOf({ timestampSeconds: Date.parse(iso) / 1000, stablecoinDecimals: 6, assets: [{ address: BTC }, { address: ETH }], pricesAsset18: new Map([[BTC, BigInt(btcUsd) * 10n ** 24n], [ETH, 0n]]) });
    await store.record(at("2026-01-05T10:00:00Z", 90_000));
    await store.record(at("2026-01-05T23:00:00Z", 91_000));
    await store.record(at("2026-01-06T01:00:00Z", 92_000));
    expect(await store.read()).to.deep.equal([
      { asOf: "2026-01-05T00:00:00.000Z", pricesUsd: { [BTC.toLowerCase()]: 90_000 } },
      { asOf: "2026-01-06T00:00:00.000Z", pricesUsd: { [BTC.toLowerCase()]: 92_000 } },
    ]);
    expect(store.file).to.equal(path.join(dir, "oracle-closes.json"));
    expect(JSON.parse(await readFile(store.file, "utf8")).vault).to.equal(VAULT);
    await writeFile(store.file, JSON.stringify({ vault: ETH, closes: [] }));
    await store.read().then(
      () => expect.fail("read another vault's closes"),
      (error) => expect(error).to.be.instanceOf(KeeperError).with.property("message").that.includes(`recorded for vault ${ETH}`),
    );
  });

  it("weights the basket by the latest snapshot's supplies, else equally on the first close; unmapped tokens are left out", function () {
    const closes: OracleClose[] = [
      { asOf: "2026-01-05T00:00:00.000Z", pricesUsd: { btc: 100, eth: 10, other: 1 } },
      { asOf: "2026-01-06T00:00:00.000Z", pricesUsd: { btc: 110, eth: 10 } },
    ];
    const idOf = new Map([["btc", "bitcoin"], ["eth", "ethereum"]]);
    const supplied = oracleRegimeHistory({ closes, idOf, universe: [{ id: "bitcoin", priceUsd: 50, marketCapUsd: 500 }] });
    // bitcoin: 10 units from the snapshot; ethereum: none there, so $1 of it at the first close (0.1 units).
    expect(supplied.map((o) => [o.marketCapUsd, o.marketCapsUsd])).to.deep.equal([
      [1_001, { bitcoin: 1_000, ethereum: 1 }],
      [1_101, { bitcoin: 1_100, ethereum: 1 }],
    ]);
    expect(supplied[1]!.pricesUsd).to.deep.equal({ bitcoin: 110, ethereum: 10 });
    expect(oracleRegimeHistory({ closes, idOf, universe: [] }).map((o) => o.marketCapUsd)).to.deep.equal([2, 2.1]);
  });
});
