import { expect } from "chai";
import { ethers, networkHelpers } from "../fixtures.js";
import { contractsOf, fundedVaultFixture, USDC, type FundedVaultFixture } from "../helpers/vault.js";

/**
 * Pins the next block's timestamp so that a preview read from the pending block sees exactly the
 * management fee accrual the following transaction will.
 */
async function pinNextBlock(): Promise<{ blockTag: "pending" }> {
  await networkHelpers.time.setNextBlockTimestamp((await networkHelpers.time.latest()) + 12);
  return { blockTag: "pending" };
}

/** An event's arguments from a receipt, by name. */
function eventArgs(f: FundedVaultFixture, receipt: { logs: readonly { topics: readonly string[]; data: string }[] } | null, name: string) {
  const { vault } = contractsOf(f);
  for (const log of receipt?.logs ?? []) {
    const parsed = vault.interface.parseLog(log);
    if (parsed?.name === name) return parsed.args;
  }
  throw new Error(`no ${name} event`);
}

describe("IndexVault ERC-4626 on the real market (fees on, vault holding ten constituents)", function () {
  describe("#previews", function () {
    it("previewDeposit equals the shares deposit mints, and converts back to no more than was paid", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [, bob] = f.depositors;
      const assets = 12_345_678_901n;
      const preview = await vault.previewDeposit(assets, await pinNextBlock());
      const receipt = await (await vault.connect(bob).deposit(assets, bob.address)).wait();
      expect(eventArgs(f, receipt, "Deposit").shares).to.equal(preview);
      expect(await vault.balanceOf(bob.address)).to.equal(preview);
      // The shares are worth less than the assets paid: the entry fee and the rounding stay in the vault.
      expect(await vault.previewRedeem(preview)).to.be.lessThan(assets);
    });

    it("previewMint equals the assets mint pulls, and mint is never cheaper than deposit for the same shares", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, stable } = contractsOf(f);
      const [, bob] = f.depositors;
      const shares = 7n * 10n ** 15n + 12_345n;
      const tag = await pinNextBlock();
      const preview = await vault.previewMint(shares, tag);
      // Rounding up on mint: depositing what mint charges buys at least as many shares, and minting what a
      // deposit buys costs at least that deposit.
      expect(await vault.previewDeposit(preview, tag)).to.be.greaterThanOrEqual(shares);
      const assets = 98_765_432_101n;
      expect(await vault.previewMint(await vault.previewDeposit(assets, tag), tag)).to.be.lessThanOrEqual(assets);
      const before = await stable.balanceOf(bob.address);
      await (await vault.connect(bob).mint(shares, bob.address)).wait();
      expect(before - (await stable.balanceOf(bob.address))).to.equal(preview);
      expect(await vault.balanceOf(bob.address)).to.equal(shares);
    });

    it("previewRedeem equals the cash redeem pays and previewWithdraw equals the shares withdraw burns", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, stable } = contractsOf(f);
      const { holder } = f;
      const shares = (await vault.balanceOf(holder.address)) / 50n;
      let preview = await vault.previewRedeem(shares, await pinNextBlock());
      let before = await stable.balanceOf(holder.address);
      await (await vault.connect(holder).redeem(shares, holder.address, holder.address)).wait();
      expect((await stable.balanceOf(holder.address)) - before).to.equal(preview);

      const assets = 3_333n * USDC + 1n;
      const tag = await pinNextBlock();
      preview = await vault.previewWithdraw(assets, tag);
      // Rounding up on withdraw: redeeming the previewed shares pays at least the assets asked for.
      expect(await vault.previewRedeem(preview, tag)).to.be.greaterThanOrEqual(assets);
      before = await vault.balanceOf(holder.address);
      await (await vault.connect(holder).withdraw(assets, holder.address, holder.address)).wait();
      expect(before - (await vault.balanceOf(holder.address))).to.equal(preview);
    });

    it("a deposit never mints more shares than convertToShares of the assets (rounding and fee against the depositor)", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      for (const assets of [1n, 999n, 10n ** 6n + 1n, 123_456_789_123n]) {
        expect(await vault.previewDeposit(assets)).to.be.lessThanOrEqual(await vault.convertToShares(assets));
      }
    });
  });

  describe("#max", function () {
    it("maxWithdraw and maxRedeem are bounded by the cash held, and the bound is exact enough to act on", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, stable } = contractsOf(f);
      const { holder } = f;
      const cash = await stable.balanceOf(f.deployment.vault);
      // Cash exits price at the lower of oracle and block-start pool price: read the bound for the next block.
      const tag = await pinNextBlock();
      const maxWithdraw = await vault.maxWithdraw(holder.address, tag);
      const maxRedeem = await vault.maxRedeem(holder.address, tag);
      // The holder owns ~$1M of NAV, but 40 % of it is cash: the bound is the cash.
      expect(maxWithdraw).to.be.lessThanOrEqual(cash);
      expect(maxWithdraw).to.be.greaterThan((cash * 99n) / 100n);
      expect(maxRedeem).to.be.lessThan(await vault.balanceOf(holder.address));

      await expect(vault.connect(holder).withdraw(cash + 1n, holder.address, holder.address))
        .to.be.revertedWithCustomError(vault, "IndexVaultInsufficientCash")
        .withArgs(cash + 1n, cash);
      await expect(vault.connect(holder).redeem((maxRedeem * 101n) / 100n, holder.address, holder.address)).to.be.revertedWithCustomError(
        vault,
        "IndexVaultInsufficientCash",
      );
      await (await vault.connect(holder).redeem(maxRedeem, holder.address, holder.address)).wait();
      expect(await stable.balanceOf(f.deployment.vault)).to.be.lessThan(cash / 1000n);
    });

    it("maxDeposit and maxMint are 0 while deposits are paused and while a feed is stale, and deposits revert", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, oracle } = contractsOf(f);
      const [, bob] = f.depositors;
      expect(await vault.maxDeposit(bob.address)).to.equal(ethers.MaxUint256);

      await (await vault.connect(f.guardian).pauseDeposits()).wait();
      expect(await vault.maxDeposit(bob.address)).to.equal(0n);
      expect(await vault.maxMint(bob.address)).to.equal(0n);
      await expect(vault.connect(bob).deposit(USDC, bob.address)).to.be.revertedWithCustomError(vault, "IndexVaultDepositsPaused");

      await networkHelpers.loadFixture(fundedVaultFixture);
      await networkHelpers.time.increase(f.deployment.settings.heartbeatSeconds + 1);
      expect(await vault.maxDeposit(bob.address)).to.equal(0n);
      expect(await vault.maxMint(bob.address)).to.equal(0n);
      expect(await vault.maxRedeem(f.holder.address)).to.equal(0n);
      await expect(vault.connect(bob).deposit(USDC, bob.address)).to.be.revertedWithCustomError(oracle, "OracleRouterStalePrice");
    });
  });

  describe("#allowances", function () {
    it("a spender redeems the owner's shares up to its allowance, to its own address, and no further", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, stable } = contractsOf(f);
      const { holder } = f;
      const [, spender, stranger] = f.depositors;
      const shares = (await vault.balanceOf(holder.address)) / 100n;
      await (await vault.connect(holder).approve(spender.address, shares)).wait();

      await expect(vault.connect(stranger).redeem(shares, stranger.address, holder.address)).to.be.revertedWithCustomError(vault, "ERC20InsufficientAllowance");
      await expect(vault.connect(spender).redeem(shares + 1n, spender.address, holder.address)).to.be.revertedWithCustomError(vault, "ERC20InsufficientAllowance");

      const before = await stable.balanceOf(spender.address);
      const holderShares = await vault.balanceOf(holder.address);
      await (await vault.connect(spender).redeem(shares / 2n, spender.address, holder.address)).wait();
      expect(await stable.balanceOf(spender.address)).to.be.greaterThan(before);
      expect(await vault.balanceOf(holder.address)).to.equal(holderShares - shares / 2n);
      expect(await vault.allowance(holder.address, spender.address)).to.equal(shares - shares / 2n);

      // In kind too, against the same allowance.
      const mins = new Array<bigint>(f.market.tokens.length + 1).fill(0n);
      await (await vault.connect(spender).redeemInKind(shares - shares / 2n, spender.address, holder.address, mins)).wait();
      expect(await vault.allowance(holder.address, spender.address)).to.equal(0n);
      await expect(vault.connect(spender).redeemInKind(1n, spender.address, holder.address, mins)).to.be.revertedWithCustomError(vault, "ERC20InsufficientAllowance");
    });
  });

  describe("#round trips", function () {
    it("deposit then redeem returns less than was deposited (entry and exit fees on)", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, stable } = contractsOf(f);
      const [, bob] = f.depositors;
      const before = await stable.balanceOf(bob.address);
      await (await vault.connect(bob).deposit(50_000n * USDC, bob.address)).wait();
      await (await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address)).wait();
      const after = await stable.balanceOf(bob.address);
      expect(after).to.be.lessThan(before);
      // The two fees (20 bps), kept by the vault, plus the spread between the higher and the lower of oracle
      // and pool price (the keeper's buys left the pools a few bps above the feeds): at most 10 bps more.
      const fees = (50_000n * USDC * 20n) / 10_000n;
      expect(before - after).to.be.within(fees, fees + (50_000n * USDC * 10n) / 10_000n);
    });

    it("mint then withdraw of the assets paid needs more shares than were minted", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [, bob] = f.depositors;
      const shares = 10n ** 16n;
      const paid = await vault.previewMint(shares, await pinNextBlock());
      await (await vault.connect(bob).mint(shares, bob.address)).wait();
      expect(await vault.previewWithdraw(paid)).to.be.greaterThan(shares);
      await expect(vault.connect(bob).withdraw(paid, bob.address, bob.address)).to.be.revertedWithCustomError(vault, "ERC20InsufficientBalance");
      expect(await vault.maxWithdraw(bob.address)).to.be.lessThan(paid);
    });

    it("deposit then redeem in kind returns constituents worth less than the deposit at oracle prices", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [, bob] = f.depositors;
      const assets = 100_000n * USDC;
      await (await vault.connect(bob).deposit(assets, bob.address)).wait();
      const mins = new Array<bigint>(f.market.tokens.length + 1).fill(0n);
      const shares = await vault.balanceOf(bob.address);
      const out = await vault.connect(bob).redeemInKind.staticCall(shares, bob.address, bob.address, mins);
      const tokens = [f.market.stablecoin.address, ...f.market.tokens.map((t) => t.address)];
      let value = 0n;
      for (const [i, token] of tokens.entries()) value += await vault.valueInAsset(token, out[i]);
      expect(value).to.be.lessThan(assets);
    });
  });
});
