import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { lastWeeklyRebalance, nextWeeklyRebalance, snapshotHash } from "../../../keeper/core/index.js";
import { runRebalance } from "../../../keeper/run/runRebalance.js";
import { runAudit } from "../../../keeper/audit/index.js";
import { ethers } from "../../fixtures.js";
import { createKeeperJobs } from "../../../keeper/run/createKeeperJobs.js";
import { buildTargets } from "../../../keeper/run/buildTargets.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("keeper notice and point-in-time snapshots", function () {
  it("the Sunday notice publishes Monday's snapshot, later data does not change its bytes, and Monday commits exactly that hash", async function () {
    const { ctx, advanceDay, deployment } = await setUpKeeperOnDevnet();
    while ((await chainNow()).getUTCDay() !== 0) await advanceDay();
    const jobs = createKeeperJobs(ctx);
    const notice = await jobs.notice(await chainNow());
    const monday = nextWeeklyRebalance(await chainNow());
    expect(notice.at).to.equal(monday.toISOString());
    expect(notice.dataCutoff).to.equal(new Date(monday.getTime() - 86_400_000).toISOString());
    expect(notice.regimeSwitch).to.equal(false);
    expect(notice.unregistered).to.deep.equal(["offchain-1", "offchain-2"]);
    const published = await readFile(notice.snapshotPath!, "utf8");
    expect(snapshotHash(published)).to.equal(notice.snapshotHash);

    // Built again a day of market later (new closes after the cut-off): the same bytes.
    await advanceDay();
    const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect((await buildTargets(ctx, state, monday)).json).to.equal(published);

    await jobs.daily(await chainNow());
    const after = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect(after.epoch).to.equal(BigInt(monday.getTime() / 1000));
    expect(after.snapshotHash).to.equal(notice.snapshotHash);

    // The audit re-derives the v2 epoch (classification, cut-off, targets) and checks its trades.
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: ctx.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: ctx.settings.snapshotDir, tokenList: ctx.tokenList });
    expect(report.violations).to.deep.equal([]);
    expect(ok).to.equal(true);
    expect(report.epochs.map((e) => [e.epoch, e.verdict])).to.deep.equal([[String(monday.getTime() / 1000), "pass"]]);
  });

  it("refuses to build targets when a category list comes back empty, and commits nothing", async function () {
    const { ctx } = await setUpKeeperOnDevnet();
    const withCategories = {
      ...ctx,
      data: { ...ctx.data, getCategoryLists: async (slugs: readonly string[]) => Object.fromEntries(slugs.map((slug) => [slug, slug === "stablecoins" ? [] : ["some-id"]])) },
    };
    const before = await readVault({ runner: ctx.provider, vault: ctx.vault });
    const error = await runRebalance(withCategories, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" }).catch((e: unknown) => e);
    expect((error as Error).message).to.match(/refusing to build targets/).and.match(/category "stablecoins" came back empty/);
    expect((await readVault({ runner: ctx.provider, vault: ctx.vault })).epoch).to.equal(before.epoch);
  });

  it("a catch-up on a later day commits Monday's epoch from Monday's cut-off and is labelled", async function () {
    const { ctx, advanceDay } = await setUpKeeperOnDevnet();
    while ((await chainNow()).getUTCDay() !== 2) await advanceDay();
    const result = await createKeeperJobs(ctx).weekly(await chainNow());
    expect(result.catchUp).to.equal(true);
    expect(result.commit).to.equal("sent");
    const snapshot = result.targets!.snapshot;
    expect(snapshot.version).to.equal(2);
    expect(snapshot.version === 2 && snapshot.dataCutoff).to.equal(new Date(Number(result.epoch) * 1000 - 86_400_000).toISOString());
  });
});
