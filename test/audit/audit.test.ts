import { expect } from "chai";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers, vaultFixture, type VaultFixture } from "../fixtures.js";
import {
  canonicalSnapshotJson,
  computeTargets,
  resolveMethodologyConfig,
  snapshotHash,
  type MarketAsset,
  type Snapshot,
} from "../../keeper/core/index.js";
import { createSnapshotStore } from "../../keeper/data/createSnapshotStore.js";
import { tokensByProviderId, type TokenList } from "../../keeper/data/tokenList.js";
import { quoteTrades, type TradeIntent } from "../../keeper/chain/quoteTrades.js";
import type { TokenPool } from "../../keeper/chain/resolvePools.js";
import { auditReportJson, checkVaultHistory, formatAuditTable, readVaultHistory, runAudit, type VaultHistory } from "../../keeper/audit/index.js";
import { vaultInterface } from "../../keeper/audit/vaultLogs.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { adminCall, adminOf } from "../helpers/vault.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import { tokenListOf } from "../helpers/auditSnapshots.js";
import type { Market } from "../../devnet/deployMarket.js";

const DEPOSIT = 1_000_000n * 10n ** 6n;
const CASH_BUFFER_BPS = 200n;


function snapshotOf(market: Market, epoch: number, currentMembers: string[], marketCapOverrides: Record<string, number> = {}): Snapshot {
  const universe: MarketAsset[] = market.tokens.map((t) => ({
    id: t.symbol.toLowerCase(),
    symbol: t.symbol,
    marketCapUsd: marketCapOverrides[t.symbol] ?? t.marketCapUsd,
    volume24hUsd: t.marketCapUsd / 20,
    priceUsd: t.priceUsd,
  }));
  const asOf = new Date(epoch * 1000).toISOString();
  return {
    version: 1,
    asOf,
    chainId: market.chainId,
    universe: [...universe, { id: "usd-coin", symbol: "USDC", marketCapUsd: 5e10, volume24hUsd: 1e9, priceUsd: 1, isStablecoin: true }],
    registry: market.tokens.map((t) => t.symbol.toLowerCase()),
    currentMembers,
    methodology: resolveMethodologyConfig({ constituentCount: 5 }),
    regime: { state: "bull", previous: "bull", changed: false, asOf, source: "test", inputs: {} },
  };
}

/** Publishes the snapshot as the keeper does and returns the commit it implies. */
async function publish(dir: string, snapshot: Snapshot, list: TokenList) {
  const json = canonicalSnapshotJson(snapshot);
  const epoch = Math.floor(Date.parse(snapshot.asOf) / 1000);
  await writeFile(path.join(dir, `${epoch}.json`), json);
  const byId = tokensByProviderId(list);
  const entries = [...computeTargets(snapshot).weightsBps].filter(([, bps]) => bps > 0);
  return { epoch, hash: snapshotHash(json), assets: entries.map(([id]) => byId.get(id)!.address), weightsBps: entries.map(([, bps]) => bps), ids: entries.map(([id]) => id) };
}

async function trade(f: VaultFixture, intents: TradeIntent[]) {
  const { market, deployment, keeper } = f;
  const pools = new Map<string, TokenPool>(market.tokens.map((t) => [t.address.toLowerCase(), { token: t.address, pool: t.pool, fee: t.fee }]));
  const { quoted, rejected } = await quoteTrades({
    runner: keeper,
    chainId: market.chainId,
    vault: deployment.vault,
    quoterV2: market.quoterV2,
    stablecoin: market.stablecoin.address,
    pools,
    trades: intents,
    slippageBps: 50,
  });
  expect(rejected).to.deep.equal([]);
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  const deadline = (await ethers.provider.getBlock("latest"))!.timestamp + 3600;
  const trades = quoted.map((q) => ({ adapter: deployment.adapter, tokenIn: q.tokenIn, tokenOut: q.tokenOut, amountIn: q.amountIn, minAmountOut: q.minAmountOut, data: q.path }));
  await (await vault.executeTrades(trades, deadline, await vault.batchSequence())).wait();
}

/** Buys of each target with the stablecoin, for NAV x weight x (1 - cash buffer). */
const buys = (market: Market, assets: string[], weightsBps: number[], nav: bigint): TradeIntent[] =>
  assets.map((token, i) => ({ tokenIn: market.stablecoin.address, tokenOut: token, amountIn: (nav * BigInt(weightsBps[i]!) * (10_000n - CASH_BUFFER_BPS)) / 10_000n / 10_000n }));

async function threeEpochs() {
  const f = await vaultFixture();
  const { market, deployment, keeper, depositors } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(depositors[0]!).deposit(DEPOSIT, depositors[0]!.address)).wait();
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-snapshots-"));
  // Epochs are past day starts (the vault refuses a future or mid-day epoch): three days back, then daily.
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 3) * 86_400;

  // Epoch 1 (honest): top 5 by market cap, bought from cash.
  const e1 = await publish(dir, snapshotOf(market, start, []), list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  await trade(f, buys(market, e1.assets, e1.weightsBps, await vault.totalAssets()));

  // Epoch 2 (honest): the 6th token's market cap jumps past the entry threshold and the 5th falls below the
  // buffer's exit rank, so one is sold out and the other bought.
  const [fifth, sixth] = [market.tokens[4]!, market.tokens[5]!];
  const s2 = snapshotOf(market, start + 86_400, e1.ids, { [fifth.symbol]: market.tokens[9]!.marketCapUsd / 2, [sixth.symbol]: market.tokens[1]!.marketCapUsd / 2 });
  const e2 = await publish(dir, s2, list);
  expect(e2.assets).to.include(sixth.address).and.not.include(fifth.address);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  const fifthBalance = await TestToken__factory.connect(fifth.address, keeper).balanceOf(deployment.vault);
  await trade(f, [{ tokenIn: fifth.address, tokenOut: market.stablecoin.address, amountIn: fifthBalance }]);
  const sixthIndex = e2.assets.indexOf(sixth.address);
  // Funded by the sale and the buffer only, so it stays under target (the audit allows under-buying).
  const cash = await TestToken__factory.connect(market.stablecoin.address, keeper).balanceOf(deployment.vault);
  const [wanted] = buys(market, [sixth.address], [e2.weightsBps[sixthIndex]!], await vault.totalAssets());
  await trade(f, [{ ...wanted!, amountIn: wanted!.amountIn < (cash * 9n) / 10n ? wanted!.amountIn : (cash * 9n) / 10n }]);

  // Epoch 3 (tampered): the snapshot is honest, but the keeper commits its top two weights swapped.
  const e3 = await publish(dir, snapshotOf(market, start + 2 * 86_400, e2.ids, {}), list);
  const tampered = [...e3.weightsBps];
  [tampered[0], tampered[1]] = [tampered[1]!, tampered[0]!];
  await (await vault.commitTargets(e3.epoch, 0, e3.assets, tampered, e3.hash)).wait();

  return { ...f, list, dir, epochs: [e1, e2, e3] };
}

/** A keeper running with a 500 bps cash buffer: epoch 2 keeps its targets and sells each holding down to fund the larger buffer. */
async function cashBuffer500() {
  const f = await vaultFixture();
  const { market, deployment, keeper, depositors } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(depositors[0]!).deposit(DEPOSIT, depositors[0]!.address)).wait();
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-cash-buffer-"));
  // A 5% buffer takes a 73% target 3.7% of NAV below it: the vault's position check must allow that much.
  await executeAsAdmin(await adminOf(f), adminCall(vault, "setTargetTolerance", [500]));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 3) * 86_400;
  const e1 = await publish(dir, { ...snapshotOf(market, start, []), cashBufferBps: 200 }, list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  await trade(f, buys(market, e1.assets, e1.weightsBps, await vault.totalAssets()));
  const e2 = await publish(dir, { ...snapshotOf(market, start + 86_400, e1.ids), cashBufferBps: 500 }, list);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  const sells: TradeIntent[] = [];
  for (const token of e2.assets) {
    const balance = await TestToken__factory.connect(token, keeper).balanceOf(deployment.vault);
    // From target x 98% to target x 95%: 3.1% of each holding.
    sells.push({ tokenIn: token, tokenOut: market.stablecoin.address, amountIn: (balance * 310n) / 10_000n });
  }
  await trade(f, sells);
  return { ...f, list, dir, epochs: [e1, e2] };
}

describe("keeper/audit end to end on the devnet", function () {
  it("judges sells with the cash buffer the keeper published, not an assumed one", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(cashBuffer500);
    const published = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(published.report.violations, JSON.stringify(published.report.violations.map((v) => v.message))).to.deep.equal([]);
    expect(published.report.epochs.map((e) => e.verdict)).to.deep.equal(["pass", "pass"]);
    // Without the published value the audit falls back to 200 bps, and the same sells are below that floor.
    const assumed = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock });
    const flagged = assumed.report.violations.filter((v) => v.check === "sold-below-target");
    expect(flagged.length).to.be.greaterThan(0);
    expect(new Set(flagged.map((v) => v.epoch))).to.deep.equal(new Set([String(epochs[1]!.epoch)]));
  });

  it("passes the honest epochs and names exactly the epoch whose weights its snapshot does not produce", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(threeEpochs);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });

    expect(ok).to.equal(false);
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs.map((e) => e.verdict)).to.deep.equal(["pass", "pass", "fail"]);
    expect(report.violations).to.have.length(1);
    const [violation] = report.violations;
    expect(violation!.epoch).to.equal(String(epochs[2]!.epoch));
    expect(violation!.check).to.equal("targets-derived");
    expect(violation!.values.differingTokens).to.equal(2);

    // The honest epochs were fully rebuilt: every trade seen, NAV and the loss budget derived.
    const [first, second] = report.epochs;
    expect(first!.trades).to.have.length(5);
    expect(second!.trades).to.have.length(2);
    expect(second!.trades[0]!.weightInAfterBps).to.equal(0);
    for (const e of [first!, second!]) {
      expect(e.skipped).to.deep.equal([]);
      expect(e.navBefore! > 0n && e.navAfter! > 0n).to.equal(true);
      // The replayed ring agrees with what each BatchExecuted reported (a mismatch would be a violation) and
      // stays within the budget.
      expect(e.batches.length).to.be.greaterThan(0);
      for (const b of e.batches) {
        expect(b.lossBudgetUsedReplayed).to.equal(b.lossBudgetUsed);
        expect(b.lossReplayed).to.equal(b.lossAssets);
        expect(b.navDerived).to.equal(b.navAssets);
      }
      expect(e.lossBudget.usedAfter!).to.equal(e.batches.at(-1)!.lossBudgetUsed);
      expect(e.lossBudget.usedAfter! <= BigInt(e.lossBudget.budgetBps) * 1_000_000n).to.equal(true);
    }
    // Buying into cash: NAV after the first epoch's trades is within 2.5% of the deposit.
    expect(Number(first!.navAfter!) / Number(DEPOSIT)).to.be.within(0.975, 1.001);

    const table = formatAuditTable(report);
    if (process.env.AUDIT_PRINT === "1") console.log(table);
    expect(table).to.match(new RegExp(`epoch ${epochs[2]!.epoch}\\s+targets-derived`));
    expect(JSON.parse(auditReportJson(report)).epochs[0].trades[0].amountIn).to.be.a("string");
  });

  it("flags a snapshot file that no longer hashes to the commit, and a missing one", async function () {
    const { deployment, list, dir: published, epochs } = await networkHelpers.loadFixture(threeEpochs);
    // A copy: the fixture's directory is shared with the other tests (loadFixture restores the chain, not files).
    const dir = await mkdtemp(path.join(tmpdir(), "audit-tampered-"));
    await cp(published, dir, { recursive: true });
    await writeFile(path.join(dir, `${epochs[0]!.epoch}.json`), "{}");
    await rm(path.join(dir, `${epochs[1]!.epoch}.json`));
    const { report } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    const checks = report.violations.map((v) => `${v.epoch}:${v.check}`);
    expect(checks).to.include(`${epochs[0]!.epoch}:snapshot-hash`);
    expect(checks).to.include(`${epochs[1]!.epoch}:snapshot-missing`);
  });

  it("marks epochs incomplete, not passed, when no snapshots are given, and still checks the trades", async function () {
    const { deployment } = await networkHelpers.loadFixture(threeEpochs);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock });
    expect(ok).to.equal(true);
    expect(report.epochs.map((e) => e.verdict)).to.deep.equal(["incomplete", "incomplete", "incomplete"]);
    expect(report.epochs[0]!.trades).to.have.length(5);
  });

  it("judges a recorded history exactly as the live audit does, and a recorded snapshot tampered with fails its epoch", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(threeEpochs);
    const live = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    const history = await readVaultHistory({ provider: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshots: createSnapshotStore(dir) });
    // A recording is plain JSON (bigints tagged), as a test or a browser cache would keep it.
    const recording = JSON.stringify(history, (_, v) => (typeof v === "bigint" ? { bigint: v.toString() } : v));
    const replayed = JSON.parse(recording, (_, v) => (v !== null && typeof v === "object" && typeof v.bigint === "string" ? BigInt(v.bigint) : v)) as VaultHistory;
    expect(auditReportJson(checkVaultHistory(replayed, { tokenList: list }))).to.equal(auditReportJson(live.report));

    // A vault that reported figures its own events do not add up to is named, batch by batch.
    const batchTopic = vaultInterface.getEvent("BatchExecuted")!.topicHash;
    const misreported: VaultHistory = {
      ...replayed,
      vaultLogs: replayed.vaultLogs.map((log) => {
        if (log.topics[0] !== batchTopic) return log;
        const { batchSequence, trades, navAssets, lossAssets, lossBudgetUsed } = vaultInterface.decodeEventLog("BatchExecuted", log.data, log.topics);
        const encoded = vaultInterface.encodeEventLog("BatchExecuted", [batchSequence, trades, navAssets, lossAssets, batchSequence === 0n ? lossBudgetUsed + 1n : lossBudgetUsed]);
        return { ...log, data: encoded.data };
      }),
    };
    const flagged = checkVaultHistory(misreported, { tokenList: list }).violations.filter((v) => v.check === "batch-figures");
    expect(flagged.map((v) => [v.epoch, v.values.figure, v.values.batchSequence])).to.deep.equal([[String(epochs[0]!.epoch), "lossBudgetUsed", "0"]]);

    const first = String(epochs[0]!.epoch);
    const snapshot = replayed.snapshots![first]!;
    const tampered: VaultHistory = { ...replayed, snapshots: { ...replayed.snapshots, [first]: { ...snapshot, text: snapshot.text!.replace('"chainId"', ' "chainId"') } } };
    const report = checkVaultHistory(tampered, { tokenList: list });
    expect(report.epochs.map((e) => e.verdict)).to.deep.equal(["fail", "pass", "fail"]);
    expect(report.epochs[0]!.violations.map((v) => v.check)).to.deep.equal(["snapshot-hash"]);
  });
});
