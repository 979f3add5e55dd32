import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers, vaultFixture } from "../fixtures.js";
import { buyTrade, commitEqualTargets, contractsOf, INITIAL_DEPOSIT, USDC } from "../helpers/vault.js";
import { checkSellBackNav, readPostBuyHoldings, restorePostBuyHoldings, SELL_BACK_NAV_TOLERANCE_PPM } from "../../scripts/sellBackStart.js";
import { TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";

const BUY = 50_000n * USDC;

describe("bench:execution's sell-back start (scripts/sellBackStart.ts)", function () {
  it("checkSellBackNav passes NAVs within the tolerance (1 ppm) either way and throws beyond it", function () {
    const nav = 10_000_000n * USDC;
    const ppm = nav / 1_000_000n;
    expect(SELL_BACK_NAV_TOLERANCE_PPM).to.equal(1n);
    expect(() => checkSellBackNav(nav, nav)).not.to.throw();
    expect(() => checkSellBackNav(nav, nav + ppm)).not.to.throw();
    expect(() => checkSellBackNav(nav, nav - ppm)).not.to.throw();
    expect(() => checkSellBackNav(nav, nav + ppm + 1n)).to.throw(/sell-back NAV check: the sell-back starts at NAV/);
    expect(() => checkSellBackNav(nav, nav - ppm - 1n)).to.throw(/off by 10000001 raw units/);
    // The defect this guards against: the vault selling back while still holding the cash the buys spent.
    expect(() => checkSellBackNav(nav, 2n * nav)).to.throw(/1000000 ppm; tolerance 1 ppm/);
    expect(() => checkSellBackNav(nav, nav + 1n, 0n)).to.throw(/tolerance 0 ppm/);
    expect(() => checkSellBackNav(0n, 0n)).to.throw(/not positive/);
  });

  it("on the chain reverted to before the buys, withdraws the spent cash and mints the tokens bought: the vault holds what the buys left it, at the post-buy NAV", async function () {
    const f = await networkHelpers.loadFixture(vaultFixture);
    const { vault, stable } = contractsOf(f);
    const [holder] = f.depositors;
    const [deployer] = await ethers.getSigners();
    const tokens = f.market.tokens.map((t) => t.address);
    await (await vault.connect(holder).deposit(INITIAL_DEPOSIT, holder.address)).wait();
    await commitEqualTargets(f);
    const beforeBuys = await networkHelpers.takeSnapshot();
    const cashBeforeBuys = await stable.balanceOf(f.deployment.vault);
    const navBeforeBuys = await vault.totalAssets();
    const trades = await Promise.all(f.market.tokens.map((t) => buyTrade(f, t, BUY)));
    await (await vault.executeTrades(trades, MaxUint256, await vault.batchSequence())).wait();
    const postBuy = await readPostBuyHoldings({ vault: f.deployment.vault, stablecoin: f.market.stablecoin.address, tokens, runner: ethers.provider });
    expect(postBuy.cash).to.equal(cashBeforeBuys - BUY * 10n);
    expect(postBuy.held.every((h) => h > 0n)).to.equal(true);
    expect(postBuy.nav).to.be.lessThan(navBeforeBuys); // the buys paid fees and impact

    await beforeBuys.restore();
    const holderCash = await stable.balanceOf(holder.address);
    const { withdrawn, nav } = await restorePostBuyHoldings({ vault: f.deployment.vault, stablecoin: f.market.stablecoin.address, tokens, postBuy, shareholder: holder, minter: deployer });

    expect(withdrawn).to.equal(BUY * 10n);
    expect(await stable.balanceOf(holder.address)).to.equal(holderCash + withdrawn);
    expect(await stable.balanceOf(f.deployment.vault)).to.equal(postBuy.cash);
    for (const [i, t] of tokens.entries()) expect(await TestToken__factory.connect(t, ethers.provider).balanceOf(f.deployment.vault)).to.equal(postBuy.held[i]);
    expect(nav).to.equal(postBuy.nav);
    expect(await vault.totalAssets()).to.equal(postBuy.nav);
  });

  it("throws, and does not leave the check to the reader, when the restored vault's NAV is not the post-buy NAV", async function () {
    const f = await networkHelpers.loadFixture(vaultFixture);
    const { vault } = contractsOf(f);
    const [holder] = f.depositors;
    const [deployer] = await ethers.getSigners();
    const tokens = f.market.tokens.map((t) => t.address);
    await (await vault.connect(holder).deposit(INITIAL_DEPOSIT, holder.address)).wait();
    await commitEqualTargets(f);
    const beforeBuys = await networkHelpers.takeSnapshot();
    const trades = await Promise.all(f.market.tokens.map((t) => buyTrade(f, t, BUY)));
    await (await vault.executeTrades(trades, MaxUint256, await vault.batchSequence())).wait();
    const postBuy = await readPostBuyHoldings({ vault: f.deployment.vault, stablecoin: f.market.stablecoin.address, tokens, runner: ethers.provider });
    await beforeBuys.restore();
    // The same balances at other prices: the first token's feed 1 % higher than when the buys ended.
    const feed = TestPriceFeed__factory.connect(f.market.tokens[0].feed, deployer);
    const [, answer] = await feed.latestRoundData();
    await (await feed.setAnswer((answer * 101n) / 100n)).wait();
    const error = await restorePostBuyHoldings({ vault: f.deployment.vault, stablecoin: f.market.stablecoin.address, tokens, postBuy, shareholder: holder, minter: deployer }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/^sell-back NAV check: the sell-back starts at NAV \d+ but the buys left \d+/);
  });
});
