import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { runRebalance, type RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { KeeperError, lastWeeklyRebalance, startOfDay, valueInAsset, type Snapshot } from "../../../keeper/core/index.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

// The keeper records one oracle close a day; a 10-day window lets the fallback decide within the fixture's
// two weeks of bull market before the crash (the default 50 days would need 50 recorded days). The band
// scales with the volatility of those closes, so a short window does not leave the bull market on noise.
const regime = { window: 10 };

describe("keeper end to end: the market data provider is down @deep", function () {
  it("switches to stablecoins on the vault's own oracle closes, with the same rules, while the provider is offline", async function () {
    const { ctx, advanceDay, setOffline } = await setUpKeeperOnDevnet({ regime });
    await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    // Offline from here on; the keeper's own runs record the oracle closes the fallback reads.
    setOffline(true);
    for (let d = 0; d < 8; d++) {
      await advanceDay();
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      expect(r.commit).to.equal("not-due");
      expect(String(r.targets!.decision.inputs.dataGap)).to.match(/only \d+ oracle closes recorded/);
    }
    let bear: RunRebalanceReturnType | undefined;
    for (let d = 0; d < 30 && bear === undefined; d++) {
      await advanceDay();
      const r = await runRebalance(ctx, { asOf: startOfDay(await chainNow()), mode: "regime-check" });
      if (r.commit === "sent") bear = r;
    }
    expect(bear, "the regime never switched to bear on the oracle fallback").to.not.equal(undefined);
    expect(bear!.targets!.decision).to.include({ state: "bear", changed: true, source: "moving-average/vault-oracle" });
    expect(bear!.targets!.decision.inputs.dataGap).to.equal("");
    expect(bear!.targets!.decision.inputs.window).to.equal(10);
    const state = bear!.after;
    const risk = state.holdings
      .filter((h) => h.token.address !== state.stablecoin.address)
      .reduce((sum, h) => sum + valueInAsset(h.balance, h.token.decimals, state.pricesAsset18.get(h.token.address)!), 0n);
    expect(Number((risk * 10_000n) / state.navAsset)).to.be.lessThan(10);
  });

  it("runs the weekly rebalance on the last good snapshot while it is recent enough, then skips with an error", async function () {
    const { ctx, advanceDay, setOffline } = await setUpKeeperOnDevnet({ regime });
    const first = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    const good = JSON.parse(await readFile(first.snapshotPath!, "utf8")) as Snapshot;
    setOffline(true);
    for (let d = 0; d < 7; d++) await advanceDay();
    const second = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(second.commit).to.equal("sent");
    expect(second.epoch > first.epoch).to.equal(true);
    const reused = JSON.parse(await readFile(second.snapshotPath!, "utf8")) as Snapshot;
    expect(reused.universe).to.deep.equal(good.universe);
    // Eight oracle closes are fewer than the window: the regime is kept, and the snapshot says why.
    expect(reused.regime).to.include({ state: "bull", changed: false, source: "moving-average/vault-oracle" });
    expect(String(reused.regime.inputs.dataGap)).to.match(/only \d+ oracle closes recorded/);

    // Two weeks later the last good snapshot is 14 days old (at most 8): the run refuses and commits nothing.
    for (let d = 0; d < 7; d++) await advanceDay();
    const error = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KeeperError);
    expect((error as KeeperError).shortMessage).to.match(/market data unavailable and no recent snapshot/);
    expect((error as KeeperError).details.join("\n")).to.match(/data \(.*\) is 14\.0 days old; at most 8/);
    expect((await readVault({ runner: ctx.provider, vault: ctx.vault })).epoch).to.equal(second.epoch);
    expect(path.basename(second.snapshotPath!)).to.equal(`${second.epoch}.json`);
  });
});
