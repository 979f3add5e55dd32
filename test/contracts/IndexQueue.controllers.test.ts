import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { refreshFeeds } from "../helpers/market.js";
import { contractsOf, fundedVaultFixture } from "../helpers/vault.js";
import { IndexQueue__factory } from "../../types/ethers-contracts/index.js";

/**
 * ERC-7540 lets anyone name any controller. What a stranger's dust request does to that controller, as
 * docs/AUDITORS.md states it (a known limitation): it blocks the controller's next request only until its window
 * settles, takes nothing, and settles into no share. A fix (consenting controllers, a minimum request) changes this test.
 */
describe("IndexQueue: a stranger's request naming you as controller", function () {
  it("can be cancelled by you before the cut-off; after it, blocks your next request only until the window settles", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { stable } = contractsOf(f);
    const [deployer] = await ethers.getSigners();
    const queue = IndexQueue__factory.connect(f.deployment.queue, deployer);
    const [, you, stranger] = f.depositors;
    for (const who of [you, stranger]) await (await stable.connect(who).approve(f.deployment.queue, MaxUint256)).wait();
    const yourCash = await stable.balanceOf(you.address);

    // At the start of a window (the deployment's close daily at 22:00 UTC), so that nothing below crosses a cut-off early.
    await networkHelpers.time.increaseTo(await queue.cutOffOf(await queue.currentWindow()));
    const window = await queue.currentWindow();
    await (await queue.connect(stranger).requestDeposit(1n, you.address, stranger.address)).wait();
    expect(await queue.pendingDepositRequest(0n, you.address)).to.equal(1n);
    await (await queue.connect(you).cancelDepositRequest(you.address, you.address)).wait();
    expect(await stable.balanceOf(you.address)).to.equal(yourCash + 1n);

    // Again, just before the cut-off: past it you can neither cancel nor request for the next window.
    await (await queue.connect(stranger).requestDeposit(1n, you.address, stranger.address)).wait();
    await networkHelpers.time.increaseTo(await queue.cutOffOf(window));
    await expect(queue.connect(you).cancelDepositRequest(you.address, you.address)).to.be.revertedWithCustomError(queue, "IndexQueueCutOffPassed");
    await expect(queue.connect(you).requestDeposit(1_000n, you.address, you.address))
      .to.be.revertedWithCustomError(queue, "IndexQueueEarlierRequestPending")
      .withArgs(you.address, window, window + 1n);

    // The keeper's settlement (a whole NAV read for one unit) unblocks you; the unit buys no share after the entry fee.
    await networkHelpers.time.increase(60);
    await refreshFeeds(deployer, f.market);
    await (await queue.connect(f.keeper).settle(window)).wait();
    expect(await queue.depositWindow(window)).to.deep.equal([1n, 0n, true]);
    expect(await queue.maxMint(you.address)).to.equal(0n);
    await (await queue.connect(you).requestDeposit(1_000n, you.address, you.address)).wait();
    expect(await queue.depositWindowOf(you.address)).to.equal(window + 1n);
  });
});
