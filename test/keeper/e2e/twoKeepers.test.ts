import { expect } from "chai";
import { runRebalance, type RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { lastWeeklyRebalance } from "../../../keeper/core/index.js";
import { createDevnetKeeperContext } from "../../../devnet/createDevnetKeeperContext.js";
import type { KeeperContext, RebalanceStep } from "../../../keeper/run/context.js";
import { IndexVault__factory } from "../../../types/ethers-contracts/index.js";
import { ethers } from "../../fixtures.js";
import { executeAsAdmin } from "../../helpers/timelock.js";
import { chainNow, expectOnTarget, N, setUpKeeperOnDevnet } from "./keeperFixture.js";

/**
 * Two keeper instances on one vault, as operators run them for availability: the vault's batch sequence, not a
 * lock server, decides which plan trades. The race is made deterministic by running the second instance inside
 * the first one's checkpoint.
 */
describe("two keepers, one vault", function () {
  /** The set-up, the second instance (sharing the first's key, or its own key holding KEEPER_ROLE) and a racing first one. */
  async function twoKeepers(keys: "shared" | "own", raceAt: RebalanceStep) {
    let race: (() => Promise<void>) | undefined;
    const setUp = await setUpKeeperOnDevnet({
      checkpoint: async (step) => {
        if (step !== raceAt || race === undefined) return;
        const run = race;
        race = undefined;
        await run();
      },
    });
    const { ctx, deployment, market, advanceDay } = setUp;
    let second: KeeperContext = { ...ctx, checkpoint: undefined };
    if (keys === "own") {
      const [deployer, , , , , , , other] = await ethers.getSigners();
      const vault = IndexVault__factory.connect(deployment.vault, deployer);
      // The timelock's two days pass as market days, so the feeds and the data stay current.
      const time = { increase: async (seconds: number | bigint) => { for (let d = 0; d < Number(seconds) / 86_400; d++) await advanceDay(); return 0; } };
      await executeAsAdmin({ timelock: deployment.timelock, proposer: deployer, time }, { target: deployment.vault, data: vault.interface.encodeFunctionData("grantRole", [await vault.KEEPER_ROLE(), other.address]) });
      second = await createDevnetKeeperContext({ provider: ethers.provider, keeper: other, market, deployment, data: ctx.data, constituentCount: N, snapshotDir: ctx.settings.snapshotDir, planner: ctx.settings.planner, regime: ctx.settings.regime });
      expect(second.sender!.address).to.not.equal(ctx.sender!.address);
    }
    // Small transactions (a few trades each), so the first instance has batches left when the second one runs.
    const first: KeeperContext = { ...ctx, settings: { ...ctx.settings, txGasBudget: 1_000_000n } };
    const asOf = lastWeeklyRebalance(await chainNow());
    return {
      ctx,
      asOf,
      first,
      second,
      /** Runs the first instance; at `raceAt` the second one runs a whole rebalance of the same epoch. */
      async race(): Promise<{ a: RunRebalanceReturnType; b: RunRebalanceReturnType }> {
        let b: RunRebalanceReturnType | undefined;
        race = async () => {
          b = await runRebalance(second, { asOf, mode: "weekly" });
        };
        const a = await runRebalance(first, { asOf, mode: "weekly" });
        expect(b, "the second instance ran").to.not.equal(undefined);
        return { a, b: b! };
      },
    };
  }

  for (const keys of ["shared", "own"] as const) {
    it(`${keys === "shared" ? "one shared key" : "two keys holding KEEPER_ROLE"}: a batch planned before the other keeper's batches landed is refused (IndexVaultStaleBatch), the instance re-plans and nothing is traded twice`, async function () {
      const { ctx, race } = await twoKeepers(keys, "batch-confirmed");
      const { a, b } = await race();
      const vault = IndexVault__factory.connect(ctx.vault, ctx.provider);

      // The first instance committed and sent one batch; the second found the epoch committed and traded the rest.
      expect(a.commit).to.equal("sent");
      expect(b.commit).to.equal("already-committed");
      expect(b.complete).to.equal(true);
      expect(b.batches.length).to.be.greaterThan(0);
      // The first instance's next batch was planned at the old batch sequence: the vault refused it, and the
      // re-plan from chain state found nothing left.
      expect(a.staleBatches).to.equal(1);
      expect(a.batches).to.have.length(1);
      expect(a.complete).to.equal(true);

      // One commit; every trade on chain is in one of the two instances' reported batches, and each batch once.
      expect(await vault.queryFilter(vault.filters.TargetsCommitted())).to.have.length(1);
      const onChain = await vault.queryFilter(vault.filters.TradeExecuted());
      const reported = [...a.batches, ...b.batches];
      expect(onChain).to.have.length(reported.reduce((n, x) => n + x.trades.length, 0));
      expect([...new Set(onChain.map((e) => e.transactionHash))]).to.have.members(reported.map((x) => x.hash));
      expect(await vault.batchSequence()).to.equal(BigInt(a.batches.length + b.batches.length));
      expectOnTarget(b.after, 60);
      expectOnTarget(a.after, 60);
    });
  }

  it("two keys commit the same epoch at once: the later commit is refused on chain, that instance continues with the committed targets", async function () {
    const { ctx, race } = await twoKeepers("own", "snapshot-written");
    const { a, b } = await race();
    const vault = IndexVault__factory.connect(ctx.vault, ctx.provider);
    // The second instance committed the snapshot the first had just published (one folder), then traded.
    expect(b.commit).to.equal("sent");
    expect(b.complete).to.equal(true);
    expect(a.commit).to.equal("already-committed");
    expect(a.batches).to.have.length(0);
    expect(a.complete).to.equal(true);
    const commits = await vault.queryFilter(vault.filters.TargetsCommitted());
    expect(commits).to.have.length(1);
    expect(commits[0].args.snapshotHash).to.equal(a.targets!.hash);
    expectOnTarget(a.after, 60);
  });
});
