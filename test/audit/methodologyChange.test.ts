import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers, vaultFixture } from "../fixtures.js";
import { resolveMethodologyConfig, type Snapshot } from "../../keeper/core/index.js";
import { runAudit } from "../../keeper/audit/index.js";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import type { Market } from "../../devnet/deployMarket.js";
import { devnetSnapshot, publishSnapshot, tokenListOf } from "../helpers/auditSnapshots.js";

/**
 * The audit re-derives each epoch's targets with the methodology the snapshot itself publishes. A stolen keeper
 * key publishes one constituent with no cap and commits the 100 % in the largest token that this file derives;
 * only each asset's max weight (10,000 on the devnet) bounds what it may then buy. The audit names every change of
 * methodology from the previous epoch's (`methodology-changed`): an operator may reconfigure the keeper on
 * purpose, and a person judges it; unnamed, the concentrated epoch passed.
 */

function snapshotOf(market: Market, epoch: number, vault: string, currentMembers: string[], methodology: Snapshot["methodology"]): Snapshot {
  return devnetSnapshot(market, epoch, vault, currentMembers, { methodology });
}

const publish = publishSnapshot;

async function concentrated() {
  const f = await vaultFixture();
  const { market, deployment, keeper } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-methodology-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 2) * 86_400;
  const e1 = await publish(dir, snapshotOf(market, start, deployment.vault, [], resolveMethodologyConfig({ constituentCount: 5 })), list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  const e2 = await publish(dir, snapshotOf(market, start + 86_400, deployment.vault, e1.ids, resolveMethodologyConfig({ constituentCount: 1, capFraction: 1 })), list);
  expect(e2.weightsBps).to.deep.equal([10_000]);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  return { ...f, list, dir, epochs: [e1, e2] };
}

describe("keeper/audit: the methodology a snapshot publishes", function () {
  it("names an epoch whose snapshot changes the methodology the index ran with (one constituent, no cap)", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(concentrated);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs[0]!.verdict).to.equal("pass");
    expect(ok).to.equal(false);
    expect(report.epochs[1]!.verdict).to.equal("fail");
    const changed = report.epochs[1]!.violations.filter((v) => v.check === "methodology-changed");
    expect(changed).to.have.length(1);
    expect(changed[0]!.message).to.match(/"constituentCount":5/).and.match(/"constituentCount":1/);
  });
});
