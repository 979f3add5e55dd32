import { expect } from "chai";
import { ZeroHash } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { TimelockController__factory } from "../../types/ethers-contracts/index.js";
import { refreshFeeds } from "../helpers/market.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import { adminCall, adminOf, contractsOf, fundedVaultFixture } from "../helpers/vault.js";

describe("IndexVault roles: the guardian stops at once, cannot veto the timelock", function () {
  it("the guardian pauses and revokes the keeper at once; it cannot cancel the unpause or its own removal", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault } = contractsOf(f);
    const [proposer] = await ethers.getSigners();
    await (await vault.connect(f.guardian).pauseDeposits()).wait();
    await (await vault.connect(f.guardian).pauseRebalances()).wait();
    await (await vault.connect(f.guardian).revokeKeeper(f.keeper.address)).wait();
    expect(await vault.hasRole(await vault.KEEPER_ROLE(), f.keeper.address)).to.equal(false);

    const timelock = TimelockController__factory.connect(f.deployment.timelock, proposer);
    const calls = [
      adminCall(vault, "unpauseDeposits", []),
      adminCall(vault, "unpauseRebalances", []),
      adminCall(vault, "revokeRole", [await vault.GUARDIAN_ROLE(), f.guardian.address]),
    ];
    const salt = ethers.id("unpause and remove the guardian");
    const delay = await timelock.getMinDelay();
    const args = [calls.map((c) => c.target), calls.map(() => 0n), calls.map((c) => c.data), ZeroHash, salt] as const;
    await (await timelock.scheduleBatch(...args, delay)).wait();
    const id = await timelock.hashOperationBatch(...args);
    await expect(timelock.connect(f.guardian).cancel(id)).to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount");
    await networkHelpers.time.increase(delay);
    await (await timelock.executeBatch(...args)).wait();
    expect(await vault.depositsPaused()).to.equal(false);
    expect(await vault.rebalancesPaused()).to.equal(false);
    expect(await vault.hasRole(await vault.GUARDIAN_ROLE(), f.guardian.address)).to.equal(false);
    // Who can still cancel a malicious proposal: the proposers (OpenZeppelin makes every proposer a canceller).
    expect(await timelock.hasRole(await timelock.CANCELLER_ROLE(), proposer.address)).to.equal(true);
    await refreshFeeds(proposer, f.market);
    await executeAsAdmin(await adminOf(f), adminCall(vault, "grantRole", [await vault.GUARDIAN_ROLE(), f.guardian.address]));
    expect(await vault.hasRole(await vault.GUARDIAN_ROLE(), f.guardian.address)).to.equal(true);
  });
});
