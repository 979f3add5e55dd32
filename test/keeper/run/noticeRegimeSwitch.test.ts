// Issue 13: Monday commits exactly the hash the 12-hour notice published "unless a regime switch intervenes (then
// the notice says so)". Here the regime source (the keeper's Token Metrics client, against a local server in
// their format) turns bearish after the vault's last commit: the Sunday notice announces the switch, its targets
// are the stablecoin alone, and Monday commits that same snapshot, in bear.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { nextWeeklyRebalance, snapshotHash } from "../../../keeper/core/index.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { createTokenMetricsRegimeSource } from "../../../keeper/data/tokenMetricsRegimeSource.js";
import { createKeeperJobs, type RebalanceNotice } from "../../../keeper/run/createKeeperJobs.js";
import { chainNow, setUpKeeperOnDevnet } from "../e2e/keeperFixture.js";

describe("keeper/run #createKeeperJobs notice when a regime switch intervenes before Monday", function () {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("says regimeSwitch: true with the switch's regime and targets, and Monday commits the announced hash in bear @deep", async function () {
    const { ctx, advanceDay, market } = await setUpKeeperOnDevnet();
    while ((await chainNow()).getUTCDay() !== 0) await advanceDay();
    const sunday = (await chainNow()).toISOString().slice(0, 10);
    // Token Metrics' market indicator: bullish until Saturday, bearish from the Sunday close on.
    const saturday = new Date(Date.parse(sunday) - 86_400_000).toISOString().slice(0, 10);
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: true, data: [{ DATE: saturday, LAST_TM_GRADE_SIGNAL: 1 }, { DATE: sunday, LAST_TM_GRADE_SIGNAL: -1 }] }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/market-metrics`;
    const withSource = { ...ctx, regimeSource: createTokenMetricsRegimeSource({ apiKey: "k", url }) };
    expect((await readVault({ runner: ctx.provider, vault: ctx.vault })).regime).to.equal("bull");

    const notices: RebalanceNotice[] = [];
    const jobs = createKeeperJobs(withSource, { onNotice: (n) => void notices.push(n) });
    const notice = await jobs.notice(await chainNow());
    expect(notices).to.deep.equal([notice]);
    expect(notice.at).to.equal(nextWeeklyRebalance(await chainNow()).toISOString());
    expect(notice.regimeSwitch).to.equal(true);
    expect(notice.regime).to.equal("bear");
    expect(notice.targets).to.deep.equal([{ asset: market.stablecoin.address, weightBps: 10_000 }]);
    const published = await readFile(notice.snapshotPath!, "utf8");
    expect(snapshotHash(published)).to.equal(notice.snapshotHash);
    expect(JSON.parse(published).regime).to.include({ state: "bear", previous: "bull", changed: true, source: "token-metrics" });

    // Monday 00:00: the weekly run commits exactly the announced snapshot, and the vault is in bear.
    await advanceDay();
    await jobs.weekly(await chainNow());
    const after = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect(after.epoch).to.equal(BigInt(Date.parse(notice.at) / 1000));
    expect(after.snapshotHash).to.equal(notice.snapshotHash);
    expect(after.regime).to.equal("bear");
  });
});
