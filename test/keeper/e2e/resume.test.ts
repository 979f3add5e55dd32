import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { keccak256, toUtf8Bytes } from "ethers";
import { runRebalance } from "../../../keeper/run/runRebalance.js";
import { lastWeeklyRebalance } from "../../../keeper/core/index.js";
import { IndexVault__factory } from "../../../types/ethers-contracts/index.js";
import type { RebalanceStep } from "../../../keeper/run/context.js";
import { chainNow, expectOnTarget, setUpKeeperOnDevnet } from "./keeperFixture.js";

class SimulatedCrash extends Error {}

describe("keeper resumes from chain state", function () {
  for (const step of ["snapshot-written", "committed", "batch-confirmed"] as const satisfies readonly RebalanceStep[]) {
    it(`a run stopped after "${step}" and started again commits once and never trades twice`, async function () {
      let armed = true;
      const { ctx } = await setUpKeeperOnDevnet({
        checkpoint: (reached) => {
          if (armed && reached === step) {
            armed = false;
            throw new SimulatedCrash(step);
          }
        },
      });
      const asOf = lastWeeklyRebalance(await chainNow());
      const crashed = await runRebalance(ctx, { asOf, mode: "weekly" }).catch((e: unknown) => e);
      expect(crashed).to.be.instanceOf(SimulatedCrash);

      const resumed = await runRebalance(ctx, { asOf, mode: "weekly" });
      expect(resumed.commit).to.equal(step === "snapshot-written" ? "sent" : "already-committed");
      expect(resumed.complete).to.equal(true);
      expectOnTarget(resumed.after, 60);

      // One commit for the epoch, of the published snapshot's hash.
      const vault = IndexVault__factory.connect(ctx.vault, ctx.provider);
      const commits = await vault.queryFilter(vault.filters.TargetsCommitted());
      expect(commits).to.have.length(1);
      const published = await readFile(`${ctx.settings.snapshotDir}/${resumed.epoch}.json`, "utf8");
      expect(commits[0].args.snapshotHash).to.equal(keccak256(toUtf8Bytes(published)));

      // A second instance (or a third run) finds the work done.
      const again = await runRebalance(ctx, { asOf, mode: "weekly" });
      expect(again.commit).to.equal("already-committed");
      expect(again.batches).to.have.length(0);
      expect(again.complete).to.equal(true);
    });
  }
});
