import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers, vaultFixture, type VaultFixture } from "../fixtures.js";
import type { Snapshot } from "../../keeper/core/index.js";
import { quoteTrades, type TradeIntent } from "../../keeper/chain/quoteTrades.js";
import type { TokenPool } from "../../keeper/chain/resolvePools.js";
import { runAudit } from "../../keeper/audit/index.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import type { Market } from "../../devnet/deployMarket.js";
import { devnetSnapshot, publishSnapshot, tokenListOf } from "../helpers/auditSnapshots.js";

/**
 * The audit judges sells with the cash buffer the epoch's snapshot publishes. A stolen keeper key publishes a
 * buffer the keeper cannot be configured to (KEEPER_CASH_BUFFER_BPS is at most 5,000), 10,000 bps, which takes
 * the sell floor to nothing, and sells the index down into cash a little under the vault's position tolerance per
 * batch (each batch judged against the weight before it, so the vault lets it ratchet).
 */

const DEPOSIT = 1_000_000n * 10n ** 6n;

function snapshotOf(market: Market, epoch: number, vault: string, currentMembers: string[], cashBufferBps: number): Snapshot {
  return devnetSnapshot(market, epoch, vault, currentMembers, { cashBufferBps });
}

const publish = publishSnapshot;

async function trade(f: VaultFixture, intents: TradeIntent[]) {
  const { market, deployment, keeper } = f;
  const pools = new Map<string, TokenPool>(market.tokens.map((t) => [t.address.toLowerCase(), { token: t.address, pool: t.pool, fee: t.fee }]));
  const { quoted, rejected } = await quoteTrades({ runner: keeper, chainId: market.chainId, vault: deployment.vault, quoterV2: market.quoterV2, stablecoin: market.stablecoin.address, pools, trades: intents, slippageBps: 50 });
  expect(rejected).to.deep.equal([]);
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  const deadline = (await ethers.provider.getBlock("latest"))!.timestamp + 3600;
  const trades = quoted.map((q) => ({ adapter: deployment.adapter, tokenIn: q.tokenIn, tokenOut: q.tokenOut, amountIn: q.amountIn, minAmountOut: q.minAmountOut, data: q.path }));
  await (await vault.executeTrades(trades, deadline, await vault.batchSequence())).wait();
}

async function sellOffBehindAFullBuffer() {
  const f = await vaultFixture();
  const { market, deployment, keeper, depositors } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(depositors[0]!).deposit(DEPOSIT, depositors[0]!.address)).wait();
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-cash-buffer-bound-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 3) * 86_400;

  // Epoch 1 honest: the default 2 % buffer, bought from cash.
  const e1 = await publish(dir, snapshotOf(market, start, deployment.vault, [], 200), list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  const nav = await vault.totalAssets();
  await trade(
    f,
    e1.assets.map((token, i) => ({ tokenIn: market.stablecoin.address, tokenOut: token, amountIn: (nav * BigInt(e1.weightsBps[i]!) * 9_800n) / 10_000n / 10_000n })),
  );

  // Epoch 2: the same targets, a published buffer of 100 %; three batches each sell 0.9 % of NAV of
  // each of the two largest holdings.
  const e2 = await publish(dir, snapshotOf(market, start + 86_400, deployment.vault, e1.ids, 10_000), list);
  expect(e2.weightsBps).to.deep.equal(e1.weightsBps);
  await (await vault.commitTargets(e2.epoch, 0, e2.assets, e2.weightsBps, e2.hash)).wait();
  for (let batch = 0; batch < 3; batch++) {
    const navNow = await vault.totalAssets();
    const sells: TradeIntent[] = [];
    // The two largest targets (73 % and 22 % here): the smaller ones would be sold out before the third batch.
    for (const token of e2.assets.slice(0, 2)) {
      const t = market.tokens.find((x) => x.address === token)!;
      const balance = await TestToken__factory.connect(token, keeper).balanceOf(deployment.vault);
      // 0.9 % of NAV at the token's devnet price (USD with 6-decimal cash), capped at the holding.
      const amount = (navNow * 90n * 10n ** BigInt(t.decimals)) / 10_000n / BigInt(Math.round(t.priceUsd * 1e6));
      sells.push({ tokenIn: token, tokenOut: market.stablecoin.address, amountIn: amount < balance ? amount : balance });
    }
    await trade(f, sells);
  }
  return { ...f, list, dir, epochs: [e1, e2] };
}

/**
 * Honest targets and an honest 2 % buffer; then the key spends the buffer on the five registered tokens the index
 * does not hold, 0.35 % of NAV each: under the audit's 50 bps weight tolerance and the vault's 100 bps position
 * tolerance, 1.75 % of NAV outside the index in one batch.
 */
async function buyOffIndex() {
  const f = await vaultFixture();
  const { market, deployment, keeper, depositors } = f;
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(depositors[0]!).deposit(DEPOSIT, depositors[0]!.address)).wait();
  const list = tokenListOf(market);
  const dir = await mkdtemp(path.join(tmpdir(), "audit-off-index-"));
  const start = (Math.floor((await ethers.provider.getBlock("latest"))!.timestamp / 86_400) - 1) * 86_400;
  const e1 = await publish(dir, snapshotOf(market, start, deployment.vault, [], 200), list);
  await (await vault.commitTargets(e1.epoch, 0, e1.assets, e1.weightsBps, e1.hash)).wait();
  const nav = await vault.totalAssets();
  await trade(
    f,
    e1.assets.map((token, i) => ({ tokenIn: market.stablecoin.address, tokenOut: token, amountIn: (nav * BigInt(e1.weightsBps[i]!) * 9_800n) / 10_000n / 10_000n })),
  );
  const offIndex = market.tokens.filter((t) => !e1.assets.includes(t.address));
  expect(offIndex).to.have.length(5);
  await trade(
    f,
    offIndex.map((t) => ({ tokenIn: market.stablecoin.address, tokenOut: t.address, amountIn: (nav * 35n) / 10_000n })),
  );
  return { ...f, list, dir, epoch: e1.epoch, offIndex: offIndex.map((t) => t.address) };
}

describe("keeper/audit: buying what the index does not hold", function () {
  it("flags every buy of a token the epoch's targets give no weight, however small", async function () {
    const { deployment, list, dir, epoch, offIndex } = await networkHelpers.loadFixture(buyOffIndex);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(ok).to.equal(false);
    const [only] = report.epochs;
    expect(only!.epoch).to.equal(String(epoch));
    const flagged = only!.violations.filter((v) => v.check === "bought-above-target");
    expect(flagged.map((v) => v.values.token)).to.deep.equal(offIndex);
    expect(flagged.map((v) => v.tradeIndex)).to.deep.equal([5, 6, 7, 8, 9]);
    // Each is under the 50 bps weight tolerance: only the zero target gives it away.
    for (const v of flagged) expect(v.values.weightAfterBps as number).to.be.within(30, 40);
    expect(only!.violations).to.have.length(5);
  });
});

describe("keeper/audit: the cash buffer a snapshot publishes", function () {
  it("flags a published buffer the keeper cannot run with, instead of letting it lift the sell floor", async function () {
    const { deployment, list, dir, epochs } = await networkHelpers.loadFixture(sellOffBehindAFullBuffer);
    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: deployment.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: dir, tokenList: list });
    expect(report.epochs.map((e) => e.epoch)).to.deep.equal(epochs.map((e) => String(e.epoch)));
    expect(report.epochs[0]!.verdict).to.equal("pass");
    expect(ok).to.equal(false);
    const second = report.epochs[1]!;
    expect(second.verdict).to.equal("fail");
    expect(second.violations.map((v) => v.check)).to.include("cash-buffer");
    // Judged with the default buffer instead, the sells went below the floor.
    expect(second.violations.map((v) => v.check)).to.include("sold-below-target");
  });
});
