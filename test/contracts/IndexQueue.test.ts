import { expect } from "chai";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ethers, networkHelpers } from "../fixtures.js";
import { refreshFeeds } from "../helpers/market.js";
import { moveMarket } from "../../devnet/moveMarket.js";
import { contractsOf, fundedVaultFixture, USDC } from "../helpers/vault.js";
import { IndexQueue__factory, TestPriceFeed__factory, type IndexQueue } from "../../types/ethers-contracts/index.js";

const DAY = 86_400;
const GRACE = 6 * 3_600;

/** The funded vault (10 constituents bought through real Uniswap V3 pools) with a queue whose window 1 opens now. */
async function queueFixture() {
  const f = await fundedVaultFixture();
  const { vault, stable } = contractsOf(f);
  const [deployer] = await ethers.getSigners();
  const start = await networkHelpers.time.latest();
  const queue = await new IndexQueue__factory(deployer).deploy(f.deployment.vault, f.deployment.timelock, f.keeper.address, start, DAY, GRACE);
  const [holder, alice, bob] = f.depositors;
  for (const who of [holder, alice, bob]) {
    await (await stable.connect(who).approve(await queue.getAddress(), MaxUint256)).wait();
    await (await vault.connect(who).approve(await queue.getAddress(), MaxUint256)).wait();
  }
  return { ...f, queue, vault, stable, deployer, holder, alice, bob, start };
}

type Fixture = Awaited<ReturnType<typeof queueFixture>>;

/** Past `window`'s cut-off, with every feed pushed again after it (as live feeds would update). */
async function pastCutOff(f: Fixture, window: bigint): Promise<void> {
  await networkHelpers.time.increaseTo(await f.queue.cutOffOf(window));
  await networkHelpers.time.increase(60);
  await refreshFeeds(f.deployer, f.market);
}

async function settle(f: Fixture, window: bigint, by: HardhatEthersSigner = f.keeper) {
  return (await f.queue.connect(by).settle(window)).wait();
}

function eventArgs(queue: IndexQueue, receipt: Awaited<ReturnType<typeof settle>>, name: string) {
  const log = receipt!.logs.map((l) => queue.interface.parseLog(l)).find((l) => l?.name === name);
  if (log == null) throw new Error(`no ${name} event`);
  return log.args;
}

describe("IndexQueue (ERC-7540 queued deposits and redemptions, settled once per window)", function () {
  it("answers ERC-165 for ERC-7575, ERC-7540's operator, deposit and redeem interfaces, names the vault as share and reverts previews", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    for (const id of ["0x2f0a18c5", "0xe3bc4e65", "0xce3bbe50", "0x620ee8e4", "0x01ffc9a7"]) {
      expect(await f.queue.supportsInterface(id), id).to.equal(true);
    }
    expect(await f.queue.supportsInterface("0xffffffff")).to.equal(false);
    expect(await f.queue.share()).to.equal(f.deployment.vault);
    expect(await f.queue.asset()).to.equal(f.market.stablecoin.address);
    for (const preview of [f.queue.previewDeposit, f.queue.previewMint, f.queue.previewRedeem, f.queue.previewWithdraw]) {
      await expect(preview(1n)).to.be.revertedWithCustomError(f.queue, "IndexQueueAsyncPreview");
    }
  });

  it("keeps pending deposits in its escrow, out of the vault's NAV, and cancels them for exactly what was put in until the cut-off", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const nav = await f.vault.totalAssets();
    const before = await f.stable.balanceOf(f.alice.address);
    await expect(f.queue.connect(f.alice).requestDeposit(12_345_678_901n, f.alice.address, f.alice.address))
      .to.emit(f.queue, "DepositRequest")
      .withArgs(f.alice.address, f.alice.address, 0n, f.alice.address, 12_345_678_901n);
    expect(await f.vault.totalAssets()).to.equal(nav);
    expect(await f.queue.pendingDepositRequest(0n, f.alice.address)).to.equal(12_345_678_901n);
    expect(await f.queue.claimableDepositRequest(0n, f.alice.address)).to.equal(0n);
    expect(await f.queue.depositWindowOf(f.alice.address)).to.equal(1n);
    await expect(f.queue.connect(f.alice).cancelDepositRequest(f.alice.address, f.alice.address))
      .to.emit(f.queue, "DepositRequestCancelled")
      .withArgs(f.alice.address, f.alice.address, 1n, 12_345_678_901n);
    expect(await f.stable.balanceOf(f.alice.address)).to.equal(before);
    expect((await f.queue.depositWindow(1n)).assets).to.equal(0n);

    await f.queue.connect(f.alice).requestDeposit(1_000n * USDC, f.alice.address, f.alice.address);
    await networkHelpers.time.increaseTo(await f.queue.cutOffOf(1n));
    await expect(f.queue.connect(f.alice).cancelDepositRequest(f.alice.address, f.alice.address)).to.be.revertedWithCustomError(f.queue, "IndexQueueCutOffPassed");
    // A request at the cut-off joins the next window, beside the first's pending request.
    expect(await f.queue.currentWindow()).to.equal(2n);
    await f.queue.connect(f.alice).requestDeposit(1n, f.alice.address, f.alice.address);
    expect(await f.queue.pendingDepositRequest(0n, f.alice.address)).to.equal(1_000n * USDC + 1n);
    expect(await f.queue.depositWindowOf(f.alice.address)).to.equal(1n);
    expect((await f.queue.depositWindow(2n)).assets).to.equal(1n);
    // Window 1 still unsettled a whole window later blocks window 3's request (anyone may settle it by then).
    await networkHelpers.time.increaseTo(await f.queue.cutOffOf(2n));
    await expect(f.queue.connect(f.alice).requestDeposit(1n, f.alice.address, f.alice.address))
      .to.be.revertedWithCustomError(f.queue, "IndexQueueEarlierRequestPending")
      .withArgs(f.alice.address, 1n, 3n);
    // Nothing is claimable yet: a claim of zero or more is refused with a named error.
    await expect(f.queue.connect(f.alice)["deposit(uint256,address)"](0n, f.alice.address)).to.be.revertedWithCustomError(f.queue, "IndexQueueZeroAmount");
    await expect(f.queue.connect(f.alice).redeem(0n, f.alice.address, f.alice.address)).to.be.revertedWithCustomError(f.queue, "IndexQueueZeroAmount");
    await expect(f.queue.connect(f.alice)["mint(uint256,address)"](1n, f.alice.address))
      .to.be.revertedWithCustomError(f.queue, "IndexQueueExceedsClaimable")
      .withArgs(1n, 0n);
  });

  it("waits for feeds updated after the cut-off (forward pricing), lets only the settler settle before the grace period, then anyone", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    await f.queue.connect(f.alice).requestDeposit(10_000n * USDC, f.alice.address, f.alice.address);
    await expect(f.queue.connect(f.keeper).settle(1n)).to.be.revertedWithCustomError(f.queue, "IndexQueueWindowOpen");
    const cutOff = await f.queue.cutOffOf(1n);
    await networkHelpers.time.increaseTo(cutOff + 10n);
    // Every feed's latest round is from before the cut-off: nothing settles, and the event names a feed.
    const stale = await settle(f, 1n);
    const deferred = eventArgs(f.queue, stale, "SettlementDeferred");
    expect(deferred.window).to.equal(1n);
    expect(deferred.updatedAt).to.be.lessThanOrEqual(cutOff);
    expect((await f.queue.depositWindow(1n)).settled).to.equal(false);
    expect(await f.queue.pendingDepositRequest(0n, f.alice.address)).to.equal(10_000n * USDC);

    // One feed still from before the cut-off is enough to wait.
    await refreshFeeds(f.deployer, f.market);
    const lagging = TestPriceFeed__factory.connect(f.market.tokens[3].feed, f.deployer);
    const [, answer] = await lagging.latestRoundData();
    await (await lagging.setAnswerAt(answer, cutOff - 1n)).wait();
    const partlyStale = eventArgs(f.queue, await settle(f, 1n), "SettlementDeferred");
    expect(partlyStale.token).to.equal(f.market.tokens[3].address);
    expect(partlyStale.updatedAt).to.equal(cutOff - 1n);

    await refreshFeeds(f.deployer, f.market);
    await expect(f.queue.connect(f.bob).settle(1n)).to.be.revertedWithCustomError(f.queue, "IndexQueueNotSettler").withArgs(f.bob.address, cutOff + BigInt(GRACE));
    await networkHelpers.time.increaseTo(cutOff + BigInt(GRACE));
    await refreshFeeds(f.deployer, f.market);
    await expect(f.queue.connect(f.bob).settle(1n)).to.emit(f.queue, "DepositsSettled");
    await expect(f.queue.connect(f.bob).settle(1n)).to.be.revertedWithCustomError(f.queue, "IndexQueueNothingToSettle");
  });

  it("leaves setPricedAfter open to anyone because a stranger's cut-off ends with the stranger's own transaction", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const { oracle } = contractsOf(f);
    await f.queue.connect(f.alice).requestDeposit(10_000n * USDC, f.alice.address, f.alice.address);
    await pastCutOff(f, 1n);
    // A cut-off far in the future would make every price read revert, and, were it still held, the queue could not set its own.
    const farFuture = (await f.queue.cutOffOf(1n)) + 365n * BigInt(DAY);
    await (await oracle.connect(f.bob).setPricedAfter(farFuture)).wait();
    expect(await oracle.pricedAfter()).to.deep.equal([0n, ethers.ZeroAddress]);
    // The next transactions price as usual: an instant deposit, and the settlement at the queue's own cut-off.
    await (await f.vault.connect(f.bob).deposit(1_000n * USDC, f.bob.address)).wait();
    await expect(f.queue.connect(f.keeper).settle(1n)).to.emit(f.queue, "DepositsSettled");
  });

  it("checks forward pricing inside the vault's NAV read: a round stamped at the cut-off defers deposits and redemptions with one event naming it", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    await f.queue.connect(f.alice).requestDeposit(10_000n * USDC, f.alice.address, f.alice.address);
    const shares = (await f.vault.balanceOf(f.holder.address)) / 10n;
    await f.queue.connect(f.holder).requestRedeem(shares, f.holder.address, f.holder.address);
    await pastCutOff(f, 1n);
    const cutOff = await f.queue.cutOffOf(1n);
    const lagging = TestPriceFeed__factory.connect(f.market.tokens[5].feed, f.deployer);
    const [, answer] = await lagging.latestRoundData();
    await (await lagging.setAnswerAt(answer, cutOff)).wait();
    const receipt = await settle(f, 1n);
    const events = receipt!.logs.map((l) => f.queue.interface.parseLog(l)).filter((l) => l !== null);
    // The redemptions would read the same round: they are not tried, and nothing else is said.
    expect(events.map((e) => e.name)).to.deep.equal(["SettlementDeferred"]);
    expect(events[0].args.token).to.equal(f.market.tokens[5].address);
    expect(events[0].args.updatedAt).to.equal(cutOff);
    expect(events[0].args.reason).to.equal("0x");
    expect((await f.queue.depositWindow(1n)).settled).to.equal(false);
    expect((await f.queue.redeemWindow(1n)).sharesLeft).to.equal(shares);
    // The cut-off lasted only for the settlement: the same round prices an instant deposit's preview.
    expect(await f.vault.previewDeposit(1_000n * USDC)).to.be.greaterThan(0n);
    await (await lagging.setAnswer(answer)).wait();
    const names = (await settle(f, 1n))!.logs.map((l) => f.queue.interface.parseLog(l)?.name);
    expect(names).to.include.members(["DepositsSettled", "RedemptionsSettled"]);
    expect(names).to.not.include("SettlementDeferred");
  });

  it("waits, and says why, while the vault refuses the settlement (deposits paused), keeping the cash in escrow", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    await f.queue.connect(f.alice).requestDeposit(10_000n * USDC, f.alice.address, f.alice.address);
    await pastCutOff(f, 1n);
    await (await f.vault.connect(f.guardian).pauseDeposits()).wait();
    const deferred = eventArgs(f.queue, await settle(f, 1n), "SettlementDeferred");
    expect(deferred.token).to.equal(ethers.ZeroAddress);
    expect(deferred.reason).to.equal(f.vault.interface.getError("IndexVaultDepositsPaused")!.selector);
    expect((await f.queue.depositWindow(1n)).settled).to.equal(false);
    expect(await f.stable.balanceOf(await f.queue.getAddress())).to.equal(10_000n * USDC);
    expect(await f.stable.allowance(await f.queue.getAddress(), f.deployment.vault)).to.equal(0n);
    expect(await f.queue.pendingDepositRequest(0n, f.alice.address)).to.equal(10_000n * USDC);
  });

  it("prices a window at the NAV after its cut-off: a feed jump inside the window reaches the requester, at the vault's own deposit price and fee", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const assets = 50_000n * USDC;
    const atRequest = await f.vault.previewDeposit(assets);
    await f.queue.connect(f.alice).requestDeposit(assets, f.alice.address, f.alice.address);
    // BTC's feed jumps 20 % inside the window. Until arbitrage brings its pool along, oracle and market are more
    // than 3 % apart and the settlement waits (a pushed pool would otherwise choose the queued price).
    const btc = f.market.tokens[0];
    const feed = TestPriceFeed__factory.connect(btc.feed, f.deployer);
    const [, answer] = await feed.latestRoundData();
    await (await feed.setAnswer((answer * 12n) / 10n)).wait();
    await pastCutOff(f, 1n);
    const waiting = eventArgs(f.queue, await settle(f, 1n), "SettlementDeferred");
    const gap = contractsOf(f).oracle.interface.parseError(waiting.reason)!;
    expect(gap.name).to.equal("OracleRouterMarketGapTooWide");
    expect(gap.args.token).to.equal(btc.address);
    await moveMarket({ signer: f.deployer, market: f.market, pricesUsd: new Map([[btc.address, Number((answer * 12n) / 10n) / 10 ** f.market.feedDecimals]]) });
    // A block later, so that the preview below and the settlement both see the moved pool as the block's start.
    await networkHelpers.mine();
    // The instant deposit price just before settlement (entry fee included); a second of management fee apart.
    const instant = await f.vault.previewDeposit(assets);
    expect(instant).to.be.lessThan((atRequest * 995n) / 1000n);
    const receipt = await settle(f, 1n);
    const shares = eventArgs(f.queue, receipt, "DepositsSettled").shares as bigint;
    expect(shares).to.be.closeTo(instant, instant / 10n ** 8n);
    expect(await f.queue.claimableDepositRequest(0n, f.alice.address)).to.equal(assets);
    expect(await f.queue.maxMint(f.alice.address)).to.equal(shares);
    await expect(f.queue.connect(f.alice)["deposit(uint256,address)"](assets, f.alice.address))
      .to.emit(f.queue, "Deposit")
      .withArgs(f.alice.address, f.alice.address, assets, shares);
    expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
  });

  it("splits a window's shares pro rata, rounding down, with partial claims by deposit and mint adding up to no more than was bought", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const amounts = [3_333_333_337n, 7_777_777_771n, 1n * USDC + 1n];
    const who = [f.alice, f.bob, f.holder];
    for (const [i, d] of who.entries()) await f.queue.connect(d).requestDeposit(amounts[i], d.address, d.address);
    await pastCutOff(f, 1n);
    const total = amounts.reduce((a, b) => a + b);
    const minted = eventArgs(f.queue, await settle(f, 1n), "DepositsSettled").shares as bigint;
    let claimed = 0n;
    for (const [i, d] of who.entries()) {
      const before = await f.vault.balanceOf(d.address);
      const owed = (amounts[i] * minted) / total;
      expect(await f.queue.maxMint(d.address)).to.equal(owed);
      // Part by assets, the rest by shares: the pieces never add up to more than the whole.
      const part = amounts[i] / 3n;
      const sharesForPart = await f.queue.connect(d)["deposit(uint256,address,address)"].staticCall(part, d.address, d.address);
      expect(sharesForPart).to.equal((part * owed) / amounts[i]);
      await f.queue.connect(d)["deposit(uint256,address,address)"](part, d.address, d.address);
      const rest = await f.queue.maxMint(d.address);
      const assetsForRest = await f.queue.connect(d)["mint(uint256,address,address)"].staticCall(rest, d.address, d.address);
      expect(assetsForRest).to.equal(amounts[i] - part);
      await f.queue.connect(d)["mint(uint256,address,address)"](rest, d.address, d.address);
      expect(sharesForPart + rest).to.be.at.most(owed);
      claimed += (await f.vault.balanceOf(d.address)) - before;
      expect(await f.queue.maxDeposit(d.address)).to.equal(0n);
    }
    expect(claimed).to.be.at.most(minted);
    expect(await f.vault.balanceOf(await f.queue.getAddress())).to.equal(minted - claimed);
  });

  it("carries claims across windows: a second window's request while the first is claimable, both claimed at once", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    await f.queue.connect(f.alice).requestDeposit(20_000n * USDC, f.alice.address, f.alice.address);
    await pastCutOff(f, 1n);
    const first = eventArgs(f.queue, await settle(f, 1n), "DepositsSettled").shares as bigint;
    // Window 2 (now current) takes a new request; window 1's shares stay claimable beside it.
    const window = await f.queue.currentWindow();
    await f.queue.connect(f.alice).requestDeposit(30_000n * USDC, f.alice.address, f.alice.address);
    expect(await f.queue.claimableDepositRequest(0n, f.alice.address)).to.equal(20_000n * USDC);
    expect(await f.queue.pendingDepositRequest(0n, f.alice.address)).to.equal(30_000n * USDC);
    // A week passes: the vault's management fee accrues on its holders, not on the queue's pending cash.
    await pastCutOff(f, window + 6n);
    const feeShares = await f.vault.pendingManagementFeeShares();
    expect(feeShares).to.be.greaterThan(0n);
    const second = eventArgs(f.queue, await settle(f, window), "DepositsSettled").shares as bigint;
    // Half as much again, plus the week's fee dilution the pending cash did not bear.
    expect(second).to.be.greaterThan((first * 3n) / 2n);
    expect(await f.queue.maxMint(f.alice.address)).to.equal(first + second);
    await f.queue.connect(f.alice)["deposit(uint256,address)"](50_000n * USDC, f.alice.address);
    expect(await f.vault.balanceOf(f.alice.address)).to.equal(first + second);
  });

  it("lets an approved operator request and claim for its controller, and nobody else", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    await expect(f.queue.connect(f.bob).requestDeposit(1_000n * USDC, f.bob.address, f.alice.address))
      .to.be.revertedWithCustomError(f.queue, "IndexQueueNotOperator")
      .withArgs(f.bob.address, f.alice.address);
    await expect(f.queue.connect(f.alice).setOperator(f.bob.address, true)).to.emit(f.queue, "OperatorSet").withArgs(f.alice.address, f.bob.address, true);
    expect(await f.queue.isOperator(f.alice.address, f.bob.address)).to.equal(true);
    // Bob moves Alice's cash into a request Alice controls.
    await expect(f.queue.connect(f.bob).requestDeposit(1_000n * USDC, f.alice.address, f.alice.address))
      .to.emit(f.queue, "DepositRequest")
      .withArgs(f.alice.address, f.alice.address, 0n, f.bob.address, 1_000n * USDC);
    await pastCutOff(f, 1n);
    await settle(f, 1n);
    await expect(f.queue.connect(f.holder)["deposit(uint256,address,address)"](1n, f.holder.address, f.alice.address)).to.be.revertedWithCustomError(f.queue, "IndexQueueNotOperator");
    const shares = await f.queue.maxMint(f.alice.address);
    await f.queue.connect(f.bob)["mint(uint256,address,address)"](shares, f.alice.address, f.alice.address);
    expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
    await f.queue.connect(f.alice).setOperator(f.bob.address, false);
    await expect(f.queue.connect(f.bob).requestDeposit(1n, f.alice.address, f.alice.address)).to.be.revertedWithCustomError(f.queue, "IndexQueueNotOperator");
  });

  it("redeems a window's shares through the vault's cash redemption at the settlement NAV; withdraw claims round the shares up", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const shares = (await f.vault.balanceOf(f.holder.address)) / 10n;
    const nav = await f.vault.totalAssets();
    await expect(f.queue.connect(f.holder).requestRedeem(shares, f.holder.address, f.holder.address))
      .to.emit(f.queue, "RedeemRequest")
      .withArgs(f.holder.address, f.holder.address, 0n, f.holder.address, shares);
    expect(await f.queue.pendingRedeemRequest(0n, f.holder.address)).to.equal(shares);
    // Escrowed shares are still the vault's shares: its NAV is unchanged until settlement pays them out.
    expect(await f.vault.totalAssets()).to.equal(nav);
    await pastCutOff(f, 1n);
    const preview = await f.vault.previewRedeem(shares);
    const paid = eventArgs(f.queue, await settle(f, 1n), "RedemptionsSettled");
    const cashOut = paid.assets as bigint;
    expect(cashOut).to.be.closeTo(preview, preview / 10n ** 8n);
    expect(paid.sharesLeft).to.equal(0n);
    expect(await f.queue.claimableRedeemRequest(0n, f.holder.address)).to.equal(shares);
    // Owed: the cash paid, less at most a unit of rounding, which stays in the queue.
    const owed = await f.queue.maxWithdraw(f.holder.address);
    expect(owed).to.be.within(cashOut - 1n, cashOut);
    // The reserved cash sits in the queue, out of the vault.
    expect(await f.stable.balanceOf(await f.queue.getAddress())).to.equal(cashOut);
    const part = owed / 3n;
    const sharesBurnt = await f.queue.connect(f.holder).withdraw.staticCall(part, f.holder.address, f.holder.address);
    expect(sharesBurnt).to.equal((part * shares + owed - 1n) / owed);
    const before = await f.stable.balanceOf(f.holder.address);
    await f.queue.connect(f.holder).withdraw(part, f.holder.address, f.holder.address);
    await f.queue.connect(f.holder).redeem(await f.queue.maxRedeem(f.holder.address), f.holder.address, f.holder.address);
    expect((await f.stable.balanceOf(f.holder.address)) - before).to.equal(owed);
  });

  it("holds a redemption past its cut-off beside the next window's; a cancel takes back only what is still before its cut-off, and one claim pays both", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    const first = (await f.vault.balanceOf(f.holder.address)) / 20n;
    const second = first / 2n;
    await f.queue.connect(f.holder).requestRedeem(first, f.holder.address, f.holder.address);
    await networkHelpers.time.increaseTo(await f.queue.cutOffOf(1n));
    await expect(f.queue.connect(f.holder).requestRedeem(second, f.holder.address, f.holder.address)).to.emit(f.queue, "RedeemRequest");
    expect(await f.queue.pendingRedeemRequest(0n, f.holder.address)).to.equal(first + second);
    expect(await f.queue.redeemWindowOf(f.holder.address)).to.equal(1n);
    await expect(f.queue.connect(f.holder).cancelRedeemRequest(f.holder.address, f.holder.address))
      .to.emit(f.queue, "RedeemRequestCancelled")
      .withArgs(f.holder.address, f.holder.address, 2n, second);
    expect(await f.queue.pendingRedeemRequest(0n, f.holder.address)).to.equal(first);
    await expect(f.queue.connect(f.holder).cancelRedeemRequest(f.holder.address, f.holder.address))
      .to.be.revertedWithCustomError(f.queue, "IndexQueueCutOffPassed")
      .withArgs(1n, await f.queue.cutOffOf(1n));
    await f.queue.connect(f.holder).requestRedeem(second, f.holder.address, f.holder.address);
    expect((await f.queue.redeemWindow(2n)).units).to.equal(second);

    await networkHelpers.time.increase(60);
    await refreshFeeds(f.deployer, f.market);
    const paidFirst = eventArgs(f.queue, await settle(f, 1n), "RedemptionsSettled");
    expect(paidFirst.sharesLeft).to.equal(0n);
    expect(await f.queue.claimableRedeemRequest(0n, f.holder.address)).to.equal(first);
    expect(await f.queue.pendingRedeemRequest(0n, f.holder.address)).to.equal(second);
    expect(await f.queue.redeemWindowOf(f.holder.address)).to.equal(2n);
    await pastCutOff(f, 2n);
    const paidSecond = eventArgs(f.queue, await settle(f, 2n), "RedemptionsSettled");
    expect(paidSecond.sharesLeft).to.equal(0n);
    expect(await f.queue.maxRedeem(f.holder.address)).to.equal(first + second);
    const owed = await f.queue.maxWithdraw(f.holder.address);
    const paid = (paidFirst.assets as bigint) + (paidSecond.assets as bigint);
    expect(owed).to.be.within(paid - 2n, paid);
    const before = await f.stable.balanceOf(f.holder.address);
    await f.queue.connect(f.holder).redeem(first + second, f.holder.address, f.holder.address);
    expect((await f.stable.balanceOf(f.holder.address)) - before).to.equal(owed);
    expect(await f.queue.maxWithdraw(f.holder.address)).to.equal(0n);
    expect(await f.queue.redeemWindowOf(f.holder.address)).to.equal(0n);
  });

  it("settles redemptions pro rata while cash is short, leaves the rest pending, lets a redeemer cancel the rest and settles it when cash comes", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    // Alice holds a third of the holder's shares; together they ask for more than the vault's cash.
    const all = await f.vault.balanceOf(f.holder.address);
    await f.vault.connect(f.holder).transfer(f.alice.address, all / 3n);
    const holderShares = (await f.vault.balanceOf(f.holder.address)) - 1_000n;
    const aliceShares = await f.vault.balanceOf(f.alice.address);
    await f.queue.connect(f.holder).requestRedeem(holderShares, f.holder.address, f.holder.address);
    await f.queue.connect(f.alice).requestRedeem(aliceShares, f.alice.address, f.alice.address);
    await pastCutOff(f, 1n);
    const cash = await f.stable.balanceOf(f.deployment.vault);
    const requested = holderShares + aliceShares;
    const value = await f.vault.previewRedeem(requested);
    expect(value).to.be.greaterThan(cash);
    const receipt = await settle(f, 1n);
    const fill = eventArgs(f.queue, receipt, "RedemptionsSettled");
    expect(fill.sharesLeft).to.be.greaterThan(0n);
    expect(fill.shares + fill.sharesLeft).to.equal(requested);
    const proRata = (requested * (cash - 2n)) / value;
    expect(fill.shares).to.be.closeTo(proRata, proRata / 10n ** 8n);
    expect(fill.assets).to.be.at.most(cash);
    expect((await f.queue.redeemWindow(1n)).short).to.equal(true);
    // Each got the same fraction, rounded against them.
    const aliceFilled = await f.queue.claimableRedeemRequest(0n, f.alice.address);
    const aliceAssets = await f.queue.maxWithdraw(f.alice.address);
    const aliceExact = (aliceShares * fill.assets) / requested;
    expect(aliceAssets).to.be.within(aliceExact - 1n, aliceExact);
    expect(aliceFilled + (await f.queue.pendingRedeemRequest(0n, f.alice.address))).to.equal(aliceShares);
    // Alice takes her remaining shares back (to leave in kind); her filled part stays claimable.
    const pending = await f.queue.pendingRedeemRequest(0n, f.alice.address);
    await expect(f.queue.connect(f.alice).cancelRedeemRequest(f.alice.address, f.alice.address))
      .to.emit(f.queue, "RedeemRequestCancelled")
      .withArgs(f.alice.address, f.alice.address, 1n, pending);
    expect(await f.vault.balanceOf(f.alice.address)).to.equal(pending);
    expect(await f.queue.maxWithdraw(f.alice.address)).to.equal(aliceAssets);
    expect(await f.queue.redeemWindowOf(f.alice.address)).to.equal(0n);
    expect(await f.queue.redeemWindowOf(f.holder.address)).to.equal(1n);
    // New cash arrives (an instant deposit); the next settlement pays the holder's rest at its own NAV.
    await (await f.vault.connect(f.bob).deposit(5_000_000n * USDC, f.bob.address)).wait();
    const holderPending = await f.queue.pendingRedeemRequest(0n, f.holder.address);
    await refreshFeeds(f.deployer, f.market);
    const second = eventArgs(f.queue, await settle(f, 1n), "RedemptionsSettled");
    expect(second.sharesLeft).to.equal(0n);
    expect(second.shares).to.be.at.least(holderPending);
    expect(await f.queue.pendingRedeemRequest(0n, f.holder.address)).to.equal(0n);
    expect(await f.queue.redeemWindowOf(f.holder.address)).to.equal(0n);
    const owed = await f.queue.maxWithdraw(f.holder.address);
    await f.queue.connect(f.holder).redeem(await f.queue.maxRedeem(f.holder.address), f.holder.address, f.holder.address);
    await f.queue.connect(f.alice).redeem(await f.queue.maxRedeem(f.alice.address), f.alice.address, f.alice.address);
    // Everything owed was paid and the queue kept at most rounding dust.
    expect(await f.stable.balanceOf(await f.queue.getAddress())).to.be.lessThan(10n);
    expect(owed).to.be.greaterThan(0n);
  });
});
