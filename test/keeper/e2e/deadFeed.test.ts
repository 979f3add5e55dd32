import { expect } from "chai";
import { runRebalance, type RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { lastWeeklyRebalance, startOfDay, valueInAsset } from "../../../keeper/core/index.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { ethers, networkHelpers } from "../../fixtures.js";
import { IndexVault__factory, OracleRouter__factory, TestPriceFeed__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { chainNow, expectWithinLimits, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("keeper end to end: one constituent's feed is dead", function () {
  it("commits bear, sells every healthy constituent to the stablecoin, lets holders exit in kind, and sells the dead token once its feed returns", async function () {
    const { market, deployment, ctx, advanceDay } = await setUpKeeperOnDevnet();
    const [deployer, , , , depositor] = await ethers.getSigners();
    const first = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(first.commit).to.equal("sent");

    // The largest holding's feed dies: its last answer stays, stamped older than the heartbeat.
    const stable = first.after.stablecoin.address;
    const held = first.after.holdings.filter((h) => h.token.address !== stable && h.balance > 0n);
    const value = (h: (typeof held)[number]) => valueInAsset(h.balance, h.token.decimals, first.after.pricesAsset18.get(h.token.address)!);
    const dead = held.reduce((a, b) => (value(b) > value(a) ? b : a)).token;
    const deadToken = market.tokens.find((t) => t.address === dead.address)!;
    const feed = TestPriceFeed__factory.connect(deadToken.feed, deployer);
    const oracle = OracleRouter__factory.connect(deployment.oracle, deployer);
    const kill = async () => {
      const [, answer] = await feed.latestRoundData();
      await (await feed.setAnswerAt(answer, (await networkHelpers.time.latest()) - deployment.settings.heartbeatSeconds - 1)).wait();
    };

    // A week of bull market, then the crash, with the feed kept dead every day (the market mover refreshes
    // every feed as it moves prices).
    for (let d = 0; d < 7; d++) await advanceDay();
    let bear: RunRebalanceReturnType | undefined;
    for (let d = 0; d < 40 && bear === undefined; d++) {
      await advanceDay();
      await kill();
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      if (r.commit === "sent") bear = r;
    }
    expect(bear, "the regime never switched to bear").to.not.equal(undefined);
    await expect(oracle.unitPriceUsd36(dead.address)).to.be.revertedWithCustomError(oracle, "OracleRouterStalePrice");
    const after = bear!.after;
    expect(after.regime).to.equal("bear");
    expect(after.unpriced.map((t) => t.address)).to.deep.equal([dead.address]);
    // The dead token is planned around (reported, untouched); every healthy constituent went to the stablecoin.
    expect(bear!.plans.at(-1)!.held.map((h) => [h.token.address, h.reason])).to.deep.equal([[dead.address, "unpriced"]]);
    expect(bear!.complete).to.equal(false);
    const deadBalance = after.holdings.find((h) => h.token.address === dead.address)!.balance;
    expect(deadBalance).to.equal(first.after.holdings.find((h) => h.token.address === dead.address)!.balance);
    const healthyRisk = after.holdings
      .filter((h) => h.token.address !== stable && h.token.address !== dead.address)
      .reduce((sum, h) => sum + valueInAsset(h.balance, h.token.decimals, after.pricesAsset18.get(h.token.address)!), 0n);
    expect(Number((healthyRisk * 10_000n) / after.navAsset)).to.be.lessThan(10);
    const sold = new Set(bear!.batches.flatMap((b) => b.trades).filter((t) => t.tokenOut === stable).map((t) => t.tokenIn));
    expect(sold.size).to.be.greaterThan(10);
    expect(sold.has(dead.address)).to.equal(false);
    await expectWithinLimits(ctx, bear!);

    // Deposits stop with the oracle's reason; an in-kind exit still pays the holder its slice of every token.
    const vault = IndexVault__factory.connect(deployment.vault, depositor);
    expect(await vault.maxDeposit(depositor.address)).to.equal(0n);
    await expect(vault.deposit(10n ** 6n, depositor.address)).to.be.revertedWithCustomError(oracle, "OracleRouterStalePrice");
    const shares = (await vault.balanceOf(depositor.address)) / 10n;
    const tokens = [stable, ...(await vault.registeredAssets())];
    const balancesBefore = await Promise.all(tokens.map((t) => TestToken__factory.connect(t, depositor).balanceOf(depositor.address)));
    await (await vault.redeemInKind(shares, depositor.address, depositor.address, tokens.map(() => 0n))).wait();
    const balancesAfter = await Promise.all(tokens.map((t) => TestToken__factory.connect(t, depositor).balanceOf(depositor.address)));
    const deadIndex = tokens.indexOf(dead.address);
    expect(balancesAfter[deadIndex]! - balancesBefore[deadIndex]!).to.be.greaterThan(0n);
    expect(balancesAfter[0]! - balancesBefore[0]!).to.be.greaterThan(0n);

    // The feed returns (the next day's market move refreshes it): the daily check sells the dead token.
    await advanceDay();
    const recovered = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
    expect(recovered.before.unpriced).to.deep.equal([]);
    expect(recovered.batches.flatMap((b) => b.trades).some((t) => t.tokenIn === dead.address && t.tokenOut === stable)).to.equal(true);
    expect(recovered.after.holdings.find((h) => h.token.address === dead.address)!.balance).to.equal(0n);
    expect(recovered.complete).to.equal(true);
    await expectWithinLimits(ctx, recovered);
  });
});
