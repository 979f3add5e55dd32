import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { refreshFeeds } from "../helpers/market.js";
import { contractsOf, fundedVaultFixture } from "../helpers/vault.js";
import { IndexQueue__factory } from "../../types/ethers-contracts/index.js";
import { readQueue } from "../../keeper/chain/readQueue.js";

/**
 * ERC-7540 lets anyone name any controller. A stranger's dust request naming you, placed just before a cut-off
 * (after which you cannot cancel it), must not block your own next request: the queue holds the request of the
 * window past its cut-off beside the current window's (docs/AUDITORS.md, safety model). You are blocked only once
 * that window's settlement is a full window late, which anyone can end after the grace period.
 */
describe("IndexQueue: a stranger's request naming you as controller", function () {
  async function setUp() {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { stable, vault } = contractsOf(f);
    const [deployer] = await ethers.getSigners();
    const queue = IndexQueue__factory.connect(f.deployment.queue, deployer);
    const [, you, stranger] = f.depositors;
    for (const who of [you, stranger]) {
      await (await stable.connect(who).approve(f.deployment.queue, MaxUint256)).wait();
      await (await vault.connect(who).approve(f.deployment.queue, MaxUint256)).wait();
      await (await stable.connect(who).approve(f.deployment.vault, MaxUint256)).wait();
    }
    // At the start of a window (the deployment's close daily at 22:00 UTC), so that nothing below crosses a cut-off early.
    await networkHelpers.time.increaseTo(await queue.cutOffOf(await queue.currentWindow()));
    const window = await queue.currentWindow();
    const pastCutOff = async (w: bigint) => {
      await networkHelpers.time.increaseTo((await queue.cutOffOf(w)) + 60n);
      await refreshFeeds(deployer, f.market);
    };
    return { f, stable, vault, queue, you, stranger, window, pastCutOff };
  }

  it("can be cancelled by you before the cut-off; after it, your next window's request goes beside it, and both are claimed together", async function () {
    const { f, stable, queue, you, stranger, window, pastCutOff } = await setUp();
    const yourCash = await stable.balanceOf(you.address);
    await (await queue.connect(stranger).requestDeposit(1n, you.address, stranger.address)).wait();
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(1n);
    await (await queue.connect(you).cancelDepositRequest(you.address, you.address)).wait();
    expect(await stable.balanceOf(you.address)).to.equal(yourCash + 1n);

    // Again, just before the cut-off: past it you cannot cancel it, but your own request in the next window goes through.
    await (await queue.connect(stranger).requestDeposit(1n, you.address, stranger.address)).wait();
    await networkHelpers.time.increaseTo(await queue.cutOffOf(window));
    await expect(queue.connect(you).cancelDepositRequest(you.address, you.address))
      .to.be.revertedWithCustomError(queue, "IndexQueueCutOffPassed")
      .withArgs(window, await queue.cutOffOf(window));
    await expect(queue.connect(you).requestDeposit(1_000_000n, you.address, you.address))
      .to.emit(queue, "DepositRequest")
      .withArgs(you.address, you.address, 0n, you.address, 1_000_000n);
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(1_000_001n);
    expect(await queue.depositWindowOf(you.address)).to.equal(window);
    // What the keeper's status and the app read: the total, the earliest window, and what a cancel takes back now.
    const read = (await readQueue({ runner: ethers.provider, queue: f.deployment.queue, account: you.address, lookbackWindows: 0n })).account!;
    expect([read.deposit.pending, read.deposit.window, read.deposit.cancellable]).to.deep.equal([1_000_001n, window, 1_000_000n]);
    expect(read.redeem.cancellable).to.equal(0n);
    // Your cancel takes back only your own request, the one still before its cut-off.
    await expect(queue.connect(you).cancelDepositRequest(you.address, you.address))
      .to.emit(queue, "DepositRequestCancelled")
      .withArgs(you.address, you.address, window + 1n, 1_000_000n);
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(1n);
    await (await queue.connect(you).requestDeposit(2_000_000n, you.address, you.address)).wait();

    // Settled one after the other, the two windows' shares add up into one claim.
    await pastCutOff(window);
    await (await queue.connect(f.keeper).settle(window)).wait();
    expect(await queue.depositWindow(window)).to.deep.equal([1n, 0n, true]);
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(2_000_000n);
    expect(await queue.depositWindowOf(you.address)).to.equal(window + 1n);
    await pastCutOff(window + 1n);
    await (await queue.connect(f.keeper).settle(window + 1n)).wait();
    const second = await queue.depositWindow(window + 1n);
    expect(second.settled).to.equal(true);
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(0n);
    expect(await queue.claimableDepositRequest(0n, you.address)).to.equal(2_000_001n);
    // The stranger's unit bought no share after the entry fee; all of window + 1's shares are yours.
    expect(await queue.maxMint(you.address)).to.equal(second.shares);
    await (await queue.connect(you)["deposit(uint256,address)"](2_000_001n, you.address)).wait();
    expect(await queue.maxDeposit(you.address)).to.equal(0n);
  });

  it("blocks your request only while a window's settlement is a full window late, until anyone settles it after the grace period", async function () {
    const { vault, queue, you, stranger, window, pastCutOff } = await setUp();
    // Both hold shares from an instant deposit; the stranger's redemption names you as well.
    for (const who of [you, stranger]) await (await vault.connect(who).deposit(1_000_000_000n, who.address)).wait();
    const dust = 10n ** 9n;
    await (await queue.connect(stranger).requestDeposit(1n, you.address, stranger.address)).wait();
    await (await queue.connect(stranger).requestRedeem(dust, you.address, stranger.address)).wait();
    // Nobody settles `window`; a whole window later its request still holds your slot of that parity.
    await pastCutOff(window + 1n);
    await expect(queue.connect(you).requestDeposit(1_000n, you.address, you.address))
      .to.be.revertedWithCustomError(queue, "IndexQueueEarlierRequestPending")
      .withArgs(you.address, window, window + 2n);
    await expect(queue.connect(you).requestRedeem(dust, you.address, you.address))
      .to.be.revertedWithCustomError(queue, "IndexQueueEarlierRequestPending")
      .withArgs(you.address, window, window + 2n);
    // Past the grace period anyone (you) may settle it; the settled request becomes claimable and the slot is free.
    await (await queue.connect(you).settle(window)).wait();
    await (await queue.connect(you).requestDeposit(1_000n, you.address, you.address)).wait();
    await (await queue.connect(you).requestRedeem(dust, you.address, you.address)).wait();
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(1_000n);
    expect(await queue.depositWindowOf(you.address)).to.equal(window + 2n);
    expect(await queue.claimableDepositRequest(0n, you.address)).to.equal(1n);
    expect(await queue.pendingRedeemRequest(0n, you.address)).to.equal(dust);
    expect(await queue.redeemWindowOf(you.address)).to.equal(window + 2n);
    expect(await queue.claimableRedeemRequest(0n, you.address)).to.equal(dust);
    expect(await queue.maxWithdraw(you.address)).to.be.greaterThan(0n);
  });
});
