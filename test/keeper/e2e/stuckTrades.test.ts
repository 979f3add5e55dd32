import { expect } from "chai";
import { runRebalance, type RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { lastWeeklyRebalance, startOfDay, valueInAsset } from "../../../keeper/core/index.js";
import { IndexVault__factory, TestPriceFeed__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import type { Market, MarketToken } from "../../../devnet/deployMarket.js";
import type { VaultState } from "../../../keeper/chain/readVault.js";
import { ethers } from "../../fixtures.js";
import { chainNow, expectWithinLimits, setUpKeeperOnDevnet } from "./keeperFixture.js";

/** Moves a token's oracle `factor` times above its pool, which stays where it is: no pool will take its sells. */
async function pushFeedAbovePool(token: MarketToken, factor = 1.4) {
  const [deployer] = await ethers.getSigners();
  const feed = TestPriceFeed__factory.connect(token.feed, deployer);
  const [, answer] = await feed.latestRoundData();
  await (await feed.setAnswer((answer * BigInt(factor * 10)) / 10n)).wait();
}

const balanceOf = (state: VaultState, address: string) => state.holdings.find((h) => h.token.address === address)!.balance;
const cashBps = (state: VaultState) => Number((balanceOf(state, state.stablecoin.address) * 10_000n) / state.navAsset);

async function depositMore(market: Market, vault: string, dollars: bigint) {
  const [deployer, , , , depositor] = await ethers.getSigners();
  const amount = dollars * 10n ** 6n;
  await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, amount)).wait();
  await (await IndexVault__factory.connect(vault, depositor).deposit(amount, depositor.address)).wait();
}

describe("keeper end to end: a sell no pool will take", function () {
  it("holds the stuck sell, reports it, and buys the rest with the cash there is", async function () {
    const { ctx, market, deployment, advanceDay } = await setUpKeeperOnDevnet();
    await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    for (let d = 0; d < 7; d++) await advanceDay();
    // $500k of new cash, and BTC's oracle 2.5 times its pool: BTC is overweight, but no pool takes its sell.
    await depositMore(market, deployment.vault, 500_000n);
    const btc = market.tokens.find((t) => t.symbol === "BTC")!;
    await pushFeedAbovePool(btc, 2.5);

    const result = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(result.commit).to.equal("sent");
    expect(result.stuck.map((s) => [s.token, s.side])).to.deep.equal([[btc.address.toLowerCase(), "sell"]]);
    expect(result.rejected.every((r) => r.trade.tokenIn === btc.address)).to.equal(true);
    expect(balanceOf(result.after, btc.address)).to.equal(balanceOf(result.before, btc.address));
    const buys = result.batches.flatMap((b) => b.trades).filter((t) => t.tokenIn === market.stablecoin.address);
    expect(buys.length).to.be.greaterThan(10);
    // The new cash (a fifth of NAV) went into the other constituents; the 2 % buffer stays.
    expect(cashBps(result.before)).to.be.greaterThan(2_000);
    expect(cashBps(result.after)).to.be.lessThan(400);
    expect(result.complete).to.equal(false);
    await expectWithinLimits(ctx, result);
  });

  it("completes a bear exit a pool refused once the pool takes it again: the daily job retries it", async function () {
    const { ctx, market, advanceDay } = await setUpKeeperOnDevnet();
    await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    const btc = market.tokens.find((t) => t.symbol === "BTC")!;
    let bear: RunRebalanceReturnType | undefined;
    for (let d = 0; d < 60 && bear === undefined; d++) {
      await advanceDay();
      // Every day the market moves, BTC's oracle is pushed away from its pool again.
      await pushFeedAbovePool(btc);
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      if (r.commit === "sent") bear = r;
    }
    expect(bear, "the regime never switched to bear").to.not.equal(undefined);
    expect(bear!.stuck.map((s) => [s.token, s.side])).to.deep.equal([[btc.address.toLowerCase(), "sell"]]);
    const state = bear!.after;
    const otherRisk = state.holdings
      .filter((h) => h.token.address !== state.stablecoin.address && h.token.address !== btc.address)
      .reduce((sum, h) => sum + valueInAsset(h.balance, h.token.decimals, state.pricesAsset18.get(h.token.address)!), 0n);
    expect(Number((otherRisk * 10_000n) / state.navAsset)).to.be.lessThan(10);
    expect(balanceOf(state, btc.address) > 0n).to.equal(true);

    // The next day feed and pool agree again: the daily check commits nothing but sells the BTC left.
    await advanceDay();
    const retry = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
    expect(retry.commit).to.equal("not-due");
    expect(retry.batches.flatMap((b) => b.trades).map((t) => [t.tokenIn, t.tokenOut])).to.deep.equal([[btc.address, market.stablecoin.address]]);
    expect(balanceOf(retry.after, btc.address)).to.equal(0n);
    expect(retry.complete).to.equal(true);
  });
});
