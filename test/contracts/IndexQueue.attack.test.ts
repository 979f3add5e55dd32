import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { moveMarket, poolPrice } from "../../devnet/moveMarket.js";
import { noFeeLab, openLag, walletsAtMarket, type Lab } from "../helpers/staleNav.js";
import { IndexQueue__factory, IndexVault__factory, TestToken__factory, type IndexQueue } from "../../types/ethers-contracts/index.js";

// Attack/audit finding against the queued path, written as the property an external suite would check; it fails
// while the finding stands. The victim is a queued depositor: it cannot cancel after the cut-off and has no
// minimum-shares bound, while anyone may settle after the grace period, in a block of its choosing, at the
// vault's Bound.High price (per constituent the higher of its feed and its pool's block-start price, uncapped).
// Economics (logged): on the devnet pools a holder of ~1x NAV gains ~14.8k USDC while the push and its reversal
// cost ~270k; the gain grows with the pusher's own stake (about push x non-cash weight x stake, once the queued
// window is at least that large), the cost with pool depth, so a large holder against shallow pools profits,
// besides holding the pools off-market across a block boundary.

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

describe("IndexQueue attack: a holder settles a queued window at a pool price it pushed", function () {
  this.timeout(600_000);

  it("gives a queued depositor no fewer shares than the untouched market would, whoever settles and when", async function () {
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

    // The holder pushes every constituent's pool 5 % up in an earlier block (the feeds republish their own
    // answers, as live feeds do), then settles the window itself: the block-start pool price is the deposit
    // price. It can sell the pools back down in the next block.
    const [owner] = await ethers.getSigners();
    const original = new Map<string, number>();
    for (const t of lab.market.tokens) original.set(t.address, await poolPrice(owner, lab.market, t));
    const [moverBefore, holderBefore] = await walletsAtMarket(lab, [lab.market.mover, lab.holder.address]);
    await openLag(lab, 0.05);
    await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    const shares = (await lab.queue.depositWindow(1n)).shares;
    // The pools go back where they were: what the push cost the pusher, and what the holder's shares gained,
    // both at the original market prices.
    await moveMarket({ signer: owner, market: lab.market, pricesUsd: original });
    const [moverAfter, holderAfter] = await walletsAtMarket(lab, [lab.market.mover, lab.holder.address]);
    const lossBps = Number(((fairShares - shares) * 100_000n) / fairShares) / 10;
    console.log(`      queued deposit of 1x NAV: ${fairShares} shares untouched, ${shares} after a 5 % pool push (-${lossBps} bps)`);
    console.log(`      holder's gain ${holderAfter - holderBefore}, the push and its reversal cost ${moverBefore - moverAfter} (stablecoin base units, at market)`);
    expect(lossBps, "queued depositor's loss to a settler-chosen, pushed pool price").to.be.at.most(10);
  });

  it("pays a queued redeemer no less than the untouched market would, whoever settles and when", async function () {
    const lab = await networkHelpers.loadFixture(queueLab);
    const victim = lab.attacker;
    const vault = IndexVault__factory.connect(lab.deployment.vault, victim);
    // The victim holds shares worth a tenth of the NAV and queues them all; the vault's cash covers them.
    await (await vault.deposit((await vault.totalAssets()) / 10n, victim.address)).wait();
    const shares = await vault.balanceOf(victim.address);
    await (await vault.approve(await lab.queue.getAddress(), MaxUint256)).wait();
    await (await lab.queue.connect(victim).requestRedeem(shares, victim.address, victim.address)).wait();
    await networkHelpers.time.increaseTo((await lab.queue.cutOffOf(1n)) + BigInt(GRACE));

    const untouched = await networkHelpers.takeSnapshot();
    await openLag(lab, 0);
    await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    const fairAssets = await lab.queue.maxWithdraw(victim.address);
    await untouched.restore();

    // The holder pushes every pool 5 % down in an earlier block, then settles: Bound.Low takes the pool price.
    await openLag(lab, -0.05);
    await (await lab.queue.connect(lab.holder).settle(1n)).wait();
    const assets = await lab.queue.maxWithdraw(victim.address);
    expect((await lab.queue.redeemWindow(1n)).sharesLeft).to.equal(0n);
    const lossBps = Number(((fairAssets - assets) * 100_000n) / fairAssets) / 10;
    console.log(`      queued redemption of 0.1x NAV: ${fairAssets} untouched, ${assets} after a 5 % pool push down (-${lossBps} bps)`);
    expect(lossBps, "queued redeemer's loss to a settler-chosen, pushed pool price").to.be.at.most(10);
  });
});
