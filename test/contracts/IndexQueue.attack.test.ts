import { expect } from "chai";
import { MaxUint256, type ContractTransactionReceipt } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { moveMarket, poolPrice } from "../../devnet/moveMarket.js";
import { noFeeLab, openLag, walletsAtMarket, type Lab } from "../helpers/staleNav.js";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, TestToken__factory, type IndexQueue } from "../../types/ethers-contracts/index.js";

// A holder who holds the pools off-market across a block boundary, then settles a queued window (anyone may
// after the grace period), would choose the queued requesters' price: per constituent the vault prices deposits
// at the higher, and cash exits at the lower, of its feed and its pool's block-start price, and a queued
// requester can neither cancel after the cut-off nor set a minimum. Under the queue's forward-pricing cut-off
// the oracle refuses a market price more than MAX_FORWARD_MARKET_GAP_BPS (3 %) from the source's: the
// settlement waits (SettlementDeferred), and a window whose settlement waited can be cancelled.
// Economics of the push (found by the attack review, logged): on the devnet pools a holder of ~1x NAV gains
// ~14.8k USDC from a 5 % push while the push and its reversal cost ~270k; the gain grows with the pusher's own
// stake, the cost with pool depth.

const DAY = 86_400;
const GRACE = 6 * 3_600;

interface QueueLab extends Lab {
  queue: IndexQueue;
}

async function queueLab(): Promise<QueueLab> {
  const lab = await noFeeLab();
  const [deployer] = await ethers.getSigners();
  const queue = await new IndexQueue__factory(deployer).deploy(lab.deployment.vault, lab.deployment.timelock, lab.keeper.address, await networkHelpers.time.latest(), DAY, GRACE);
  await (await TestToken__factory.connect(lab.market.stablecoin.address, lab.attacker).approve(await queue.getAddress(), MaxUint256)).wait();
  return { ...lab, queue };
}

/** The name of the oracle error a settlement's SettlementDeferred carries. */
async function gapReason(lab: QueueLab, receipt: ContractTransactionReceipt | null) {
  const deferred = receipt!.logs.map((l) => lab.queue.interface.parseLog(l)).find((e) => e?.name === "SettlementDeferred");
  expect(deferred, "SettlementDeferred").to.not.equal(undefined);
  const oracle = OracleRouter__factory.connect(lab.deployment.oracle, ethers.provider);
  return oracle.interface.parseError(deferred!.args.reason)?.name;
}

describe("IndexQueue attack: a holder settles a queued window at a pool price it pushed", function () {
  this.timeout(600_000);

  it("a deposit window's settlement waits while the pools sit > 3 % above the feeds, its depositor may take the cash back, and a push within 3 % costs at most that", async function () {
    const lab = await networkHelpers.loadFixture(queueLab);
    // `attacker` plays the victim here (the lab's funded requester); `holder` is the existing holder who settles.
    const victim = lab.attacker;
    const vault = IndexVault__factory.connect(lab.deployment.vault, victim);
    const assets = await vault.totalAssets();
    await (await lab.queue.connect(victim).requestDeposit(assets, victim.address, victim.address)).wait();
    await networkHelpers.time.increaseTo((await lab.queue.cutOffOf(1n)) + BigInt(GRACE));

    // What the window buys at the untouched market (feeds republished after the cut-off, pools where they are).
    const untouched = await networkHelpers.takeSnapshot();
    await openLag(lab, 0);
    await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    const fairShares = (await lab.queue.depositWindow(1n)).shares;
    await untouched.restore();

    // A push within the gap the oracle accepts moves the price by at most that gap.
    const withinGap = await networkHelpers.takeSnapshot();
    await openLag(lab, 0.025);
    await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    const pushedShares = (await lab.queue.depositWindow(1n)).shares;
    expect(pushedShares).to.be.greaterThan(0n);
    const lossBps = Number(((fairShares - pushedShares) * 100_000n) / fairShares) / 10;
    console.log(`      queued deposit of 1x NAV: ${fairShares} shares untouched, ${pushedShares} after a 2.5 % pool push (-${lossBps} bps)`);
    expect(lossBps).to.be.at.most(300);
    await withinGap.restore();

    // The holder pushes every constituent's pool 5 % up in an earlier block (the feeds republish their own
    // answers, as live feeds do), then settles the window itself: the settlement waits instead.
    const [owner] = await ethers.getSigners();
    const original = new Map<string, number>();
    for (const t of lab.market.tokens) original.set(t.address, await poolPrice(owner, lab.market, t));
    const [moverBefore, holderBefore] = await walletsAtMarket(lab, [lab.market.mover, lab.holder.address]);
    await openLag(lab, 0.05);
    const receipt = await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    expect(await gapReason(lab, receipt)).to.equal("OracleRouterMarketGapTooWide");
    expect((await lab.queue.depositWindow(1n)).settled).to.equal(false);
    expect(await lab.queue.settlementDeferred(1n)).to.equal(true);
    await moveMarket({ signer: owner, market: lab.market, pricesUsd: original });
    const [moverAfter, holderAfter] = await walletsAtMarket(lab, [lab.market.mover, lab.holder.address]);
    console.log(`      a 5 % push: the holder gained ${holderAfter - holderBefore}, the push and its reversal cost ${moverBefore - moverAfter} (stablecoin base units, at market)`);

    // Past its cut-off, the waiting window's request comes back whole.
    const cashBefore = await TestToken__factory.connect(lab.market.stablecoin.address, ethers.provider).balanceOf(victim.address);
    await expect(lab.queue.connect(victim).cancelDepositRequest(victim.address, victim.address))
      .to.emit(lab.queue, "DepositRequestCancelled")
      .withArgs(victim.address, victim.address, 1n, assets);
    expect(await TestToken__factory.connect(lab.market.stablecoin.address, ethers.provider).balanceOf(victim.address)).to.equal(cashBefore + assets);
    expect(await lab.queue.pendingDepositRequest(0n, victim.address)).to.equal(0n);
  });

  it("a redemption window's settlement waits while the pools sit > 3 % below the feeds, and its redeemer may take the shares back", async function () {
    const lab = await networkHelpers.loadFixture(queueLab);
    const victim = lab.attacker;
    const vault = IndexVault__factory.connect(lab.deployment.vault, victim);
    // The victim holds shares worth a tenth of the NAV and queues them all; the vault's cash covers them.
    await (await vault.deposit((await vault.totalAssets()) / 10n, victim.address)).wait();
    const shares = await vault.balanceOf(victim.address);
    await (await vault.approve(await lab.queue.getAddress(), MaxUint256)).wait();
    await (await lab.queue.connect(victim).requestRedeem(shares, victim.address, victim.address)).wait();
    await networkHelpers.time.increaseTo((await lab.queue.cutOffOf(1n)) + BigInt(GRACE));

    // The holder pushes every pool 5 % down in an earlier block, then settles: the oracle refuses the gap.
    await openLag(lab, -0.05);
    const receipt = await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    expect(await gapReason(lab, receipt)).to.equal("OracleRouterMarketGapTooWide");
    expect((await lab.queue.redeemWindow(1n)).sharesLeft).to.equal(shares);
    await expect(lab.queue.connect(victim).cancelRedeemRequest(victim.address, victim.address))
      .to.emit(lab.queue, "RedeemRequestCancelled")
      .withArgs(victim.address, victim.address, 1n, shares);
    expect(await vault.balanceOf(victim.address)).to.equal(shares);
    expect(await lab.queue.maxWithdraw(victim.address)).to.equal(0n);
  });
});
