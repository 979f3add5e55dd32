import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { runRebalance, type RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { lastWeeklyRebalance, startOfDay, valueInAsset } from "../../../keeper/core/index.js";
import { chainNow, expectOnTarget, expectWithinLimits, N, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("keeper end to end on the devnet", function () {
  it("rebalances 20 constituents from cash, again after prices moved, to stablecoins on a bear switch and back", async function () {
    const { ctx, advanceDay } = await setUpKeeperOnDevnet();
    const first = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(first.commit).to.equal("sent");
    // Top N is taken over the whole screened universe: the two large off-chain assets rank in, are reported,
    // and their weight is spread over the 18 registered constituents.
    expect(first.targets!.unregistered).to.deep.equal(["offchain-1", "offchain-2"]);
    expect(first.targets!.targets.assets).to.have.length(N - 2);
    expect(first.complete).to.equal(true);
    expectOnTarget(first.after, 60);
    await expectWithinLimits(ctx, first);
    const buys = first.batches.flatMap((b) => b.trades).filter((t) => t.tokenIn === first.before.stablecoin.address);
    expect(buys.length).to.be.greaterThanOrEqual(N - 2);
    // The published folder's index names the snapshot, for clients that cannot list a folder.
    const index = JSON.parse(await readFile(path.join(path.dirname(first.snapshotPath!), "index.json"), "utf8"));
    expect(index.snapshots).to.deep.equal([{ epoch: String(first.epoch), file: `${first.epoch}.json` }]);

    // 2. A week of price moves later.
    for (let d = 0; d < 7; d++) await advanceDay();
    const second = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(second.commit).to.equal("sent");
    expect(second.epoch > first.epoch).to.equal(true);
    // What a week moved is traded, except crumbs whose own transaction would cost more than 1 % in gas.
    expect(second.batches.length + second.skipped.length).to.be.greaterThan(0);
    for (const crumb of second.skipped) expect(crumb.gasCostAsset * 100n > crumb.valueAsset).to.equal(true);
    expectOnTarget(second.after, 60);
    await expectWithinLimits(ctx, second);

    // 3. The crash: daily regime checks until the model switches to bear; everything goes to the stablecoin.
    let bear: RunRebalanceReturnType | undefined;
    for (let d = 0; d < 30 && bear === undefined; d++) {
      await advanceDay();
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      if (r.commit === "sent") bear = r;
      else expect(r.batches).to.have.length(0);
    }
    expect(bear, "the regime never switched to bear").to.not.equal(undefined);
    expect(bear!.after.regime).to.equal("bear");
    const riskValue = bear!.after.holdings
      .filter((h) => h.token.address !== bear!.after.stablecoin.address)
      .reduce((sum, h) => sum + valueInAsset(h.balance, h.token.decimals, bear!.after.pricesAsset18.get(h.token.address)!), 0n);
    expect(Number((riskValue * 10_000n) / bear!.after.navAsset)).to.be.lessThan(10);
    await expectWithinLimits(ctx, bear!);

    // 4. The recovery: back to bull, re-entering the top N.
    let bull: RunRebalanceReturnType | undefined;
    for (let d = 0; d < 60 && bull === undefined; d++) {
      await advanceDay();
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      if (r.commit === "sent") bull = r;
    }
    expect(bull, "the regime never switched back to bull").to.not.equal(undefined);
    expect(bull!.after.regime).to.equal("bull");
    expect(bull!.targets!.targets.assets).to.have.length(N - bull!.targets!.unregistered.length);
    expectOnTarget(bull!.after, 60);
    await expectWithinLimits(ctx, bull!);
  });
});
