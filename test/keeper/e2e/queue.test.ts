import { expect } from "chai";
import { IndexQueue__factory, IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { createKeeperJobs } from "../../../keeper/run/createKeeperJobs.js";
import { settleQueue } from "../../../keeper/run/settleQueue.js";
import { readQueue } from "../../../keeper/chain/readQueue.js";
import { statusCommand } from "../../../keeper/cli/commands/status.js";
import type { KeeperContext } from "../../../keeper/run/context.js";
import { ethers, networkHelpers } from "../../fixtures.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

const DAY = 86_400;
const USDC = 10n ** 6n;

/** `keeper status --json`'s output, printed by the command itself. */
async function statusJson(ctx: KeeperContext) {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    expect(await statusCommand(ctx, { json: true })).to.equal(0);
  } finally {
    console.log = log;
  }
  return JSON.parse(lines.join("\n"));
}

async function statusTable(ctx: KeeperContext): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    expect(await statusCommand(ctx, { json: false })).to.equal(0);
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

describe("keeper and the IndexQueue (status, daemon settlement)", function () {
  it("shows pending requests, waits while no feed round follows the cut-off, settles before the Monday rebalance, once, and shows the claims", async function () {
    const { ctx: base, deployment, advanceDay } = await setUpKeeperOnDevnet();
    const [deployer, , , , depositor] = await ethers.getSigners();
    // The deployment's queue: windows close at 22:00 UTC, two hours before the daemon's 00:00 run; the keeper is the settler.
    const queue = IndexQueue__factory.connect(deployment.queue, ethers.provider);
    expect(Number(await queue.cutOffOf(await queue.currentWindow())) % DAY).to.equal(22 * 3_600);
    const ctx: KeeperContext = { ...base, queue: deployment.queue };
    const vault = IndexVault__factory.connect(deployment.vault, depositor);
    const stable = TestToken__factory.connect(await vault.asset(), deployer);
    await (await stable.mint(depositor.address, 50_000n * USDC)).wait();
    await (await stable.connect(depositor).approve(ctx.queue!, 50_000n * USDC)).wait();
    await (await queue.connect(depositor).requestDeposit(50_000n * USDC, depositor.address, depositor.address)).wait();
    const redeemShares = (await vault.balanceOf(depositor.address)) / 100n;
    await (await vault.approve(ctx.queue!, redeemShares)).wait();
    await (await queue.connect(depositor).requestRedeem(redeemShares, depositor.address, depositor.address)).wait();
    const window = await queue.currentWindow();

    const pending = await statusJson(ctx);
    expect(pending.queue.pendingDepositAssets).to.equal((50_000n * USDC).toString());
    expect(pending.queue.pendingRedeemShares).to.equal(redeemShares.toString());
    expect(pending.queue.windows).to.have.length(1);
    expect(pending.queue.windows[0]).to.include({ window: window.toString(), due: false, depositsSettled: false });
    expect(await statusTable(ctx)).to.match(/Pending\s+50,000\.00 USDC to deposit/).and.match(new RegExp(`^\\s*${window}\\s.*\\sopen$`, "m"));
    // Nothing is due before the cut-off: the job sends nothing.
    let block = await ethers.provider.getBlockNumber();
    expect(await settleQueue(ctx)).to.deep.equal([]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);

    // Past the cut-off, no feed has a round after it yet: the settlement waits and says why.
    await networkHelpers.time.increaseTo(await queue.cutOffOf(window));
    const [deferred] = await settleQueue(ctx);
    expect(deferred.outcome).to.equal("deferred");
    expect(deferred.reason).to.match(/last updated at .* before the cut-off/);
    expect((await queue.depositWindow(window)).settled).to.equal(false);

    // Days pass with the market (and every feed) moving, up to Monday: the daily run settles, then rebalances.
    // At least one day, so the feeds have a round after the cut-off even when the cut-off fell on a Monday.
    do await advanceDay();
    while ((await chainNow()).getUTCDay() !== 1);
    await createKeeperJobs(ctx).daily(await chainNow());
    const [settled] = await queue.queryFilter(queue.filters.DepositsSettled(window));
    const [redeemed] = await queue.queryFilter(queue.filters.RedemptionsSettled(window));
    const [committed] = await IndexVault__factory.connect(deployment.vault, ethers.provider).queryFilter(vault.filters.TargetsCommitted());
    expect(settled.args.assets).to.equal(50_000n * USDC);
    expect(redeemed.args.sharesLeft).to.equal(0n);
    expect(committed, "the Monday rebalance committed targets").to.not.equal(undefined);
    expect(settled.blockNumber, "settled before the rebalance's commit").to.be.lessThan(committed.blockNumber);

    // Idempotent: the window is settled, so another run sends nothing.
    block = await ethers.provider.getBlockNumber();
    expect(await settleQueue(ctx)).to.deep.equal([]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);

    const claimable = await readQueue({ runner: ctx.provider, queue: ctx.queue! });
    expect(claimable.pendingDepositAssets).to.equal(0n);
    expect(claimable.claimableShares).to.equal(settled.args.shares);
    expect(claimable.claimableAssets).to.equal(redeemed.args.assets);
    expect(claimable.windows[0]).to.include({ due: false, depositsSettled: true });
    expect(await statusTable(ctx)).to.match(/Claimable\s+[\d,.]+ shares \(settled deposits\)/).and.match(new RegExp(`^\\s*${window}\\s.*\\ssettled$`, "m"));
    await (await queue.connect(depositor)["deposit(uint256,address)"](50_000n * USDC, depositor.address)).wait();
    await (await queue.connect(depositor).redeem(redeemShares, depositor.address, depositor.address)).wait();
    const claimed = await readQueue({ runner: ctx.provider, queue: ctx.queue! });
    expect(claimed.claimableShares).to.equal(0n);
    // The redemption's payout rounds down: its dust stays in the queue, never in the requester's favour.
    expect(claimed.claimableAssets).to.be.lessThanOrEqual(1n);
  });
});
