import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { runRebalance } from "../../../keeper/run/runRebalance.js";
import { canonicalSnapshotJson, KeeperError, lastWeeklyRebalance, type Snapshot } from "../../../keeper/core/index.js";
import { runAudit } from "../../../keeper/audit/index.js";
import { IndexVault__factory } from "../../../types/ethers-contracts/index.js";
import { ethers } from "../../fixtures.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("published snapshots are bound to one instance of the chain", function () {
  it("a snapshot carries the vault's deployment block hash; one of an earlier chain with the same id and vault address is refused, one without the field is committed and audits", async function () {
    const { ctx } = await setUpKeeperOnDevnet();
    const vault = IndexVault__factory.connect(ctx.vault, ethers.provider);
    const asOf = lastWeeklyRebalance(await chainNow());
    // The notice publishes the epoch's snapshot ahead of the Monday run.
    const notice = await runRebalance(ctx, { asOf, mode: "weekly", dryRun: true, publish: true });
    const file = notice.snapshotPath!;
    const published = JSON.parse(await readFile(file, "utf8")) as Snapshot;
    const deploymentBlock = Number(await vault.deploymentBlock());
    expect(published.vaultDeployment).to.deep.equal({ block: deploymentBlock, blockHash: (await ethers.provider.getBlock(deploymentBlock))!.hash });

    // A devnet restarted with the same seed: same chain id, same vault address, another deployment block hash.
    await writeFile(file, canonicalSnapshotJson({ ...published, vaultDeployment: { block: deploymentBlock, blockHash: `0x${"11".repeat(32)}` } }));
    const refused = await runRebalance(ctx, { asOf, mode: "weekly" }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(KeeperError);
    expect((refused as KeeperError).shortMessage).to.include(`${file} was published for an earlier instance of this chain`).and.include("a restarted devnet?");
    expect(await vault.currentEpoch()).to.equal(0n);

    // A snapshot from before the field existed is still taken as this chain's, committed, and audits.
    const { vaultDeployment: _, ...older } = published;
    await writeFile(file, canonicalSnapshotJson(older as Snapshot));
    const run = await runRebalance(ctx, { asOf, mode: "weekly" });
    expect(run.commit).to.equal("sent");
    expect(run.complete).to.equal(true);
    const { report } = await runAudit({ rpc: ethers.provider, vault: ctx.vault, snapshotsDir: ctx.settings.snapshotDir, tokenList: ctx.tokenList });
    expect(report.violations).to.deep.equal([]);
    expect(report.epochs.map((e) => e.verdict)).to.deep.equal(["pass"]);
  });
});
