import { expect } from "chai";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers, vaultFixture } from "../fixtures.js";
import {
  canonicalSnapshotJson,
  classifyAsset,
  computeTargets,
  dataCutoffFor,
  DEFAULT_METHODOLOGY_CONFIG_V2,
  snapshotHash,
  type MarketAsset,
  type Snapshot,
  type SnapshotV2,
} from "../../keeper/core/index.js";
import { loadClassification } from "../../keeper/data/classification.js";
import { checkVaultHistory, readVaultHistory, runAudit } from "../../keeper/audit/index.js";
import { createSnapshotStore } from "../../keeper/data/createSnapshotStore.js";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import type { Market } from "../../devnet/deployMarket.js";
import { adminCall, adminOf } from "../helpers/vault.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import { devnetSnapshot, publishSnapshot, tokenListOf } from "../helpers/auditSnapshots.js";

/**
 * A stolen keeper key publishes snapshots whose hash it commits and whose targets it derives faithfully, but
 * whose chain facts lie: `currentMembers` (the rank buffer's input), `registry` (which ids can hold weight),
 * `vault`, or the regime it switched from. The vault's own events say what those facts were, so the audit must catch each lie.
 */

const DEPOSIT = 1_000_000n * 10n ** 6n;

/** Ids in market-cap rank order (the devnet's tokens are listed largest first). */
const ids = (market: Market) => market.tokens.map((t) => t.symbol.toLowerCase());

function snapshotOf(market: Market, epoch: number, vault: string, currentMembers: string[], registry: string[] = ids(market), regime?: Pick<Snapshot["regime"], "state" | "previous" | "changed">): Snapshot {
  return devnetSnapshot(market, epoch, vault, currentMembers, { registry, regime });
}

const publish = publishSnapshot;

/**
 * Epoch 1 honest (no members yet, every registered id). Epoch 2 claims the 6th-ranked token was a member and
 * the 5th was not: the rank buffer then keeps the 6th and drops the 5th. Epoch 3 leaves the largest token out
 * of `registry`. Epoch 4 is published for another vault. Each is committed with the targets its own file
 * derives, so hash and weights match.
 */
async function lyingSnapshots() {
  const f = await vaultFixture();
  const { market, deployment, keeper, depositors } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(depositors[0]!).deposit(DEPOSIT, depositors[0]!.address)).wait();
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-chain-facts-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 5) * 86_400;
  const all = ids(market);
  const commit = async (e: Awaited<ReturnType<typeof publish>>) => (await vault.commitTargets(e.epoch, 0, e.assets, e.weightsBps, e.hash)).wait();

  const e1 = await publish(dir, snapshotOf(market, start, deployment.vault, []), list);
  await commit(e1);
  expect(e1.ids).to.deep.equal(all.slice(0, 5).sort());

  const honest2 = computeTargets(snapshotOf(market, start + 86_400, deployment.vault, e1.ids)).weightsBps;
  const e2 = await publish(dir, snapshotOf(market, start + 86_400, deployment.vault, [...all.slice(0, 4), all[5]!]), list);
  // The lie matters: the honest members would have kept the 5th.
  expect(honest2.get(all[4]!) ?? 0).to.be.greaterThan(0);
  expect(e2.ids).to.include(all[5]!).and.not.include(all[4]!);
  await commit(e2);

  const e3 = await publish(dir, snapshotOf(market, start + 2 * 86_400, deployment.vault, e2.ids, all.slice(1)), list);
  expect(e3.ids).to.not.include(all[0]!);
  await commit(e3);

  const e4 = await publish(dir, snapshotOf(market, start + 3 * 86_400, "0x000000000000000000000000000000000000dEaD", e3.ids), list);
  await commit(e4);

  // Epoch 5 honest again: the members are epoch 4's, the registry every registered id.
  const e5 = await publish(dir, snapshotOf(market, start + 4 * 86_400, deployment.vault, e4.ids), list);
  await commit(e5);

  // Epoch 6 switches to bear but publishes the decision as bear kept from bear: no switch for a reader to question.
  const hidden = snapshotOf(market, start + 5 * 86_400, deployment.vault, e5.ids, all, { state: "bear", previous: "bear", changed: false });
  const json = canonicalSnapshotJson(hidden);
  await writeFile(path.join(dir, `${start + 5 * 86_400}.json`), json);
  await (await vault.commitTargets(start + 5 * 86_400, 1, [market.stablecoin.address], [10_000], snapshotHash(json))).wait();
  const e6 = { epoch: start + 5 * 86_400 };
  return { ...f, list, dir, epochs: [e1, e2, e3, e4, e5, e6] };
}

/** An honest history across a deregistration: a member of epoch 1 (never bought, so no balance) is deregistered before epoch 2. */
async function memberDeregistered() {
  const f = await vaultFixture();
  const { market, deployment, keeper } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-deregistered-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 1) * 86_400;
  const all = ids(market);
  const e1 = await publish(dir, snapshotOf(market, start, deployment.vault, []), list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  await executeAsAdmin(await adminOf(f), adminCall(vault, "deregisterAsset", [market.tokens[1]!.address, 0n]));
  // As buildTargets reads the vault now: the registry and the members without the deregistered token.
  const next = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 0) * 86_400;
  const e2 = await publish(dir, snapshotOf(market, next, deployment.vault, e1.ids.filter((id) => id !== all[1]), all.filter((id) => id !== all[1])), list);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  return { ...f, list, dir, epochs: [e1, e2] };
}

/** The devnet's universe as the keeper publishes it today (version 2), every screen input present. */
function snapshotV2Of(market: Market, epoch: number, vault: string, currentMembers: string[]): SnapshotV2 {
  const { table, hash } = loadClassification();
  const asOf = new Date(epoch * 1000);
  const universe = market.tokens.map((t): MarketAsset => {
    const base = { id: t.symbol.toLowerCase(), symbol: t.symbol, marketCapUsd: t.marketCapUsd, volume24hUsd: t.marketCapUsd / 20, priceUsd: t.priceUsd, medianVolume30dUsd: t.marketCapUsd / 20, priceLow30dUsd: t.priceUsd * 0.9, priceHigh30dUsd: t.priceUsd * 1.1, historyDays: 365 };
    const { class: cls, rule } = classifyAsset({ asset: base, table });
    return { ...base, class: cls, classRule: rule };
  });
  return {
    version: 2,
    asOf: asOf.toISOString(),
    dataCutoff: dataCutoffFor(asOf).toISOString(),
    chainId: market.chainId,
    vault,
    universe,
    registry: ids(market),
    currentMembers,
    methodology: { ...DEFAULT_METHODOLOGY_CONFIG_V2, constituentCount: 5, minOnChainDepthUsd: 0 },
    classification: { version: table.version, hash },
    regime: { state: "bull", previous: "bull", changed: false, asOf: asOf.toISOString(), source: "test", inputs: {} },
    cashBufferBps: 200,
  };
}

/** Epoch 1 published as version 2; epoch 2 back to version 1, which has no classification for the audit to check. */
async function downgraded() {
  const f = await vaultFixture();
  const { market, deployment, keeper } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-downgrade-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 2) * 86_400;
  const e1 = await publish(dir, snapshotV2Of(market, start, deployment.vault, []), list);
  expect(e1.ids).to.have.length(5);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  const e2 = await publish(dir, snapshotOf(market, start + 86_400, deployment.vault, e1.ids), list);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  return { ...f, list, dir, epochs: [e1, e2] };
}

describe("keeper/audit: a snapshot's chain facts against the vault's events", function () {
  it("names a snapshot that goes back to version 1 after a version 2 one", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(downgraded);
    const { report } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs.map((e) => [e.verdict, e.violations.map((v) => v.check)])).to.deep.equal([
      ["pass", []],
      ["fail", ["snapshot-invalid"]],
    ]);
    expect(report.epochs[1]!.violations[0]!.values).to.deep.equal({ version: 1, earlierVersion: 2 });
  });

  it("passes an honest snapshot after a member was deregistered: neither its registry nor its members hold the token", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(memberDeregistered);
    const { report } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs.map((e) => [e.verdict, e.violations.map((v) => v.message)])).to.deep.equal([
      ["pass", []],
      ["pass", []],
    ]);
  });

  it("names the epochs whose snapshot lies about the members, the registry, the vault or the regime before, and passes the honest ones", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(lyingSnapshots);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(ok).to.equal(false);
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs.map((e) => [e.verdict, e.violations.map((v) => v.check)])).to.deep.equal([
      ["pass", []],
      ["fail", ["snapshot-members"]],
      ["fail", ["snapshot-registry"]],
      ["fail", ["snapshot-vault"]],
      ["pass", []],
      ["fail", ["regime"]],
    ]);
    const { market } = await networkHelpers.loadFixture(lyingSnapshots);
    const all = ids(market);
    const [, members, registry] = report.epochs;
    expect(members!.violations[0]!.values).to.deep.equal({ missing: all[4]!, extra: all[5]! });
    expect(registry!.violations[0]!.values).to.deep.equal({ missing: all[0]!, extra: "" });
    expect(report.epochs[5]!.violations[0]!.values).to.deep.equal({ snapshotPrevious: "bear", vaultPrevious: "bull" });
  });

  it("starts the chain facts from the vault's state at --from-block - 1, and skips them for a recording without it", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(lyingSnapshots);
    const full = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock });
    // Start at the block of epoch 3's commit: epoch 2's commit and every registration are before it.
    const fromBlock = full.report.epochs.find((e) => e.epoch === String(epochs[2]!.epoch))!.committedAtBlock!;
    const { report } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock, snapshotsDir: dir, tokenList: list });
    expect(report.epochs.map((e) => [e.epoch, e.violations.map((v) => v.check), e.skipped.map((s) => s.check)])).to.deep.equal([
      [String(epochs[2]!.epoch), ["snapshot-registry"], []],
      [String(epochs[3]!.epoch), ["snapshot-vault"], []],
      [String(epochs[4]!.epoch), [], []],
      [String(epochs[5]!.epoch), ["regime"], []],
    ]);
    // A recording made before the seed held the registry, the targets and the regime: the first commit's are unknown.
    const history = await readVaultHistory({ provider: ethers.provider, vault: deployment.vault, fromBlock, snapshots: createSnapshotStore(dir) });
    const { registeredTokens: _r, targets: _t, regime: _g, ...older } = history.seed!;
    const replayed = checkVaultHistory({ ...history, seed: older }, { tokenList: list });
    const [third, fourth] = replayed.epochs;
    expect(third!.skipped.map((s) => s.check)).to.deep.equal(["regime", "snapshot-registry", "snapshot-members"]);
    expect(third!.violations).to.deep.equal([]);
    // The next commit's members and regime are the one read before it; the registry stays unknown.
    expect(fourth!.skipped.map((s) => s.check)).to.deep.equal(["snapshot-registry"]);
    expect(fourth!.violations.map((v) => v.check)).to.deep.equal(["snapshot-vault"]);
  });
});
