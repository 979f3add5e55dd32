import { expect } from "chai";
import { epochFor, lastWeeklyRebalance } from "../../../keeper/core/index.js";
import { createKeeperJobs } from "../../../keeper/run/createKeeperJobs.js";
import { createTxSender, GasPriceAboveCapError } from "../../../keeper/chain/createTxSender.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { ethers } from "../../fixtures.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("keeper daemon jobs", function () {
  it("a daily run on a later day catches up a missed Monday rebalance, then leaves the week alone", async function () {
    const { ctx, advanceDay } = await setUpKeeperOnDevnet();
    // Days pass (markets and feeds move) until a Wednesday: that week's Monday run never happened.
    while ((await chainNow()).getUTCDay() !== 3) await advanceDay();
    const monday = lastWeeklyRebalance(await chainNow());
    const jobs = createKeeperJobs(ctx);
    await jobs.daily(await chainNow());
    const after = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect(after.epoch).to.equal(epochFor(monday));
    expect(after.targets.some((t) => t.weightBps > 0 && t.token.address !== after.stablecoin.address)).to.equal(true);

    // Thursday: this week's targets are committed, so the daily run only checks the regime.
    await advanceDay();
    const block = await ethers.provider.getBlockNumber();
    await jobs.daily(await chainNow());
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("refuses to send while the base fee is above the cap, and sends nothing", async function () {
    const [, keeper] = await ethers.getSigners();
    const sender = await createTxSender({ signer: keeper, provider: ethers.provider, maxFeePerGasWei: 1n });
    const nonce = await ethers.provider.getTransactionCount(keeper.address);
    const error = await sender.send({ to: keeper.address, value: 1n }, "test transfer").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GasPriceAboveCapError);
    expect((error as Error).message).to.match(/base fee \d+ wei is above the cap 1 wei; not sending/);
    expect(await ethers.provider.getTransactionCount(keeper.address)).to.equal(nonce);
  });
});
