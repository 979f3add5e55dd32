import { expect } from "chai";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";

// A chain of its own, starting at the wall clock as `npm start`'s devnet does: the season must not depend on what
// the test files run before it in the same worker left on a shared chain (its clock, its blocks).
const { ethers } = await network.create();
import { runSeason } from "../../season/runSeason.js";
import { writeSeasonReport } from "../../keeper/report/index.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { expectNear } from "../helpers/expectNear.js";
import type { SeasonReportData } from "../../keeper/report/types.js";

describe("npm start: a short season", function () {
  it("runs 3 weeks with 10 tokens and writes a report whose figures agree with chain state", async function () {
    const signers = await ethers.getSigners();
    const outDir = await mkdtemp(path.join(tmpdir(), "season-"));
    const data = await runSeason({
      provider: ethers.provider,
      signers: signers.slice(0, 7),
      weeks: 3,
      tokens: 10,
      seed: 3,
      network: "hardhat (in-process)",
      publishDir: outDir,
      setNextBlockTimestamp: async (seconds) => {
        await ethers.provider.send("evm_setNextBlockTimestamp", [seconds]);
      },
    });
    await writeSeasonReport({ data, outDir });
    const summary = JSON.parse(await readFile(path.join(outDir, "summary.json"), "utf8"));
    const report = JSON.parse(await readFile(path.join(outDir, "report.json"), "utf8")) as SeasonReportData;
    const markdown = await readFile(path.join(outDir, "report.md"), "utf8");

    const vault = IndexVault__factory.connect(summary.vault, ethers.provider);
    // NAV per share: assets per whole share (shares carry 6 more decimals than the stablecoin).
    const navPerShare = (Number(await vault.totalAssets()) / Number(await vault.totalSupply())) * 1e6;
    expectNear(summary.final_nav_per_share, navPerShare, 1e-9, "final NAV per share");
    expect(summary).to.include({ weeks: 3, tokens: 10 });
    expect(summary.rebalances).to.be.greaterThanOrEqual(3);

    // Trades: every TradeExecuted on chain is in the report and its log, and nothing else.
    const events = await vault.queryFilter(vault.filters.TradeExecuted());
    expect(events.length).to.be.greaterThan(10);
    expect(summary.trades).to.equal(events.length);
    for (const e of events) expect(markdown).to.include(e.transactionHash);

    // Holdings: each reported balance is the vault's balance on chain.
    const assets = [await vault.asset(), ...(await vault.registeredAssets())];
    for (const h of report.holdings) {
      expect(assets).to.include(h.address);
      const token = TestToken__factory.connect(h.address, ethers.provider);
      const balance = Number(await token.balanceOf(summary.vault)) / 10 ** Number(await token.decimals());
      expectNear(Number(h.balance), balance, Math.max(1e-6, balance * 1e-9), `${h.symbol} balance`);
    }
    // ... and every token the vault holds is reported.
    for (const address of assets) {
      const held = await TestToken__factory.connect(address, ethers.provider).balanceOf(summary.vault);
      if (held > 0n) expect(report.holdings.map((h) => h.address), address).to.include(address);
    }
    expect(report.depositorActions.map((a) => a.kind)).to.include("deposit");
    // One depositor took the queued path: its request, the keeper's settlement at the next daily run, its claim.
    const queued = report.depositorActions.filter((a) => a.kind.startsWith("deposit-"));
    expect(queued.map((a) => a.kind)).to.deep.equal(["deposit-request", "deposit-settled", "deposit-claim"]);
    expect(queued[1].date > queued[0].date, "settled after the request's day").to.equal(true);
    expect(queued[2].shares, "alone in its window, it claims every share the window bought").to.equal(queued[1].shares);
    for (const a of queued) expect(markdown).to.include(a.txHash);

    // What the keeper published lets the audit re-verify every epoch of the season.
    const { runAudit } = await import("../../keeper/audit/index.js");
    const audit = await runAudit({ rpc: ethers.provider, vault: summary.vault, snapshotsDir: path.join(outDir, "snapshots"), tokenList: path.join(outDir, "tokenlist.json") });
    expect(audit.report.violations).to.deep.equal([]);
    // The summary records where the audit starts; the audit found the same block itself.
    expect(summary.vault_deployment_block).to.equal(Number(await vault.deploymentBlock()));
    expect(audit.report.fromBlock).to.equal(summary.vault_deployment_block);
    expect(audit.report.epochs.map((e) => e.verdict)).to.deep.equal(audit.report.epochs.map(() => "pass"));
  });
});
