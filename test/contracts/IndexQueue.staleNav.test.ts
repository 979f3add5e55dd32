import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { refreshFeeds } from "../helpers/market.js";
import { bpsOf, closeLag, LAGS, MAX_HONEST_LOSS_BPS, MATRIX_TIMEOUT_MS, noFeeLab, openLag, SIZES, sharesAtMarket, walletsAtMarket, type Exit, type Lab } from "../helpers/staleNav.js";
import { IndexQueue__factory, IndexVault__factory, TestToken__factory, type IndexQueue } from "../../types/ethers-contracts/index.js";

// Issue 7's lag matrix against the queued path: the attacker requests a deposit, then, as anyone may once the
// grace period has passed, settles it at a block of its choosing, when the market has moved away from the
// feeds by the lag; it claims and leaves in kind or in cash, at once or after the feeds catch up.

const GRACE = 6 * 3_600;

interface QueueLab extends Lab {
  queue: IndexQueue;
}

async function withQueue(lab: Lab): Promise<QueueLab> {
  const [deployer] = await ethers.getSigners();
  const queue = await new IndexQueue__factory(deployer).deploy(lab.deployment.vault, lab.deployment.timelock, lab.keeper.address, await networkHelpers.time.latest(), 86_400, GRACE);
  await (await TestToken__factory.connect(lab.market.stablecoin.address, lab.attacker).approve(await queue.getAddress(), MaxUint256)).wait();
  return { ...lab, queue };
}
const noFeeQueueLab = async () => withQueue(await noFeeLab());

/** The attacker's round trip through the queue; the honest holder's loss and the attacker's gain in bps. */
async function queuedAttack(lab: QueueLab, lag: number, size: number, exit: Exit, afterCatchUp: boolean) {
  const { holder, attacker, queue } = lab;
  const vault = IndexVault__factory.connect(lab.deployment.vault, attacker);
  const assets = ((await vault.totalAssets()) * BigInt(Math.round(size * 1000))) / 1000n;
  await (await queue.connect(attacker).requestDeposit(assets, attacker.address, attacker.address)).wait();
  await networkHelpers.time.increaseTo((await queue.cutOffOf(1n)) + BigInt(GRACE));
  // The market moves away from the feeds, which publish rounds (same answers) after the cut-off. Values are
  // taken from here, at market prices, the attacker's escrowed cash counted as its own.
  await openLag(lab, lag);
  const [honestBefore, attackerWallet] = await walletsAtMarket(lab, [holder.address, attacker.address]);
  const attackerBefore = attackerWallet + assets;
  const honestNav = await sharesAtMarket(lab, holder.address);
  await (await queue.connect(attacker).settle(1n)).wait();
  await (await queue.connect(attacker)["deposit(uint256,address)"](assets, attacker.address)).wait();
  if (afterCatchUp) await closeLag(lab);
  const shares = await vault.balanceOf(attacker.address);
  if (exit === "in kind") {
    await (await vault.redeemInKind(shares, attacker.address, attacker.address, new Array(lab.market.tokens.length + 1).fill(0n))).wait();
  } else {
    await (await vault.redeem(shares, attacker.address, attacker.address)).wait();
  }
  const [honestAfter, attackerAfter] = await walletsAtMarket(lab, [holder.address, attacker.address]);
  return { honestLossBps: bpsOf(honestBefore - honestAfter, honestNav), attackerGainBps: bpsOf(attackerAfter - attackerBefore, honestNav) };
}

describe("IndexQueue stale NAV (issue 7's lag matrix on the queued path)", function () {
  this.timeout(MATRIX_TIMEOUT_MS);
  // Without fees, the holders' worst case; the vault applies an entry fee the same way on both paths.
  for (const [feeName, lab] of [["no entry fee", noFeeQueueLab]] as const) {
    it(`holds a settler-chosen lag x size x exit to <= ${MAX_HONEST_LOSS_BPS} bp of honest NAV with ${feeName}`, async function () {
      const rows: string[] = [];
      let worst = -Infinity;
      for (const lag of LAGS) {
        for (const size of SIZES) {
          for (const exit of ["in kind", "cash"] as const) {
            for (const afterCatchUp of [false, true]) {
              const base = await networkHelpers.loadFixture(lab);
              const { honestLossBps, attackerGainBps } = await queuedAttack(base, lag, size, exit, afterCatchUp);
              worst = Math.max(worst, honestLossBps);
              rows.push(`lag ${(lag * 100).toFixed(1)}% deposit ${size}x exit ${exit}${afterCatchUp ? " after catch-up" : " at once"}: honest ${honestLossBps} bps, attacker ${attackerGainBps} bps`);
              expect(honestLossBps, rows.at(-1)).to.be.at.most(MAX_HONEST_LOSS_BPS);
              expect(attackerGainBps, rows.at(-1)).to.be.at.most(MAX_HONEST_LOSS_BPS);
            }
          }
        }
      }
      console.log(`      worst of ${rows.length} queued attacks: honest loss ${worst} bps of honest NAV`);
    });
  }

  it("a requester who cancels when the market moves against it before the cut-off gets exactly its cash back, and one who stays costs <= 1 bp", async function () {
    for (const lag of LAGS) {
      const lab = await networkHelpers.loadFixture(noFeeQueueLab);
      const { holder, attacker } = lab;
      const queue = lab.queue.connect(attacker);
      const stable = TestToken__factory.connect(lab.market.stablecoin.address, attacker);
      const vault = IndexVault__factory.connect(lab.deployment.vault, attacker);
      const cash = await stable.balanceOf(attacker.address);
      const assets = await vault.totalAssets();
      await (await queue.requestDeposit(assets, attacker.address, attacker.address)).wait();
      await openLag(lab, lag);
      const [honestBefore] = await walletsAtMarket(lab, [holder.address]);
      const honestNav = await sharesAtMarket(lab, holder.address);
      if (lag < 0) {
        // Market below the feeds: a deposit would be priced at the (higher) feeds, so the requester walks away.
        await (await queue.cancelDepositRequest(attacker.address, attacker.address)).wait();
        expect(await stable.balanceOf(attacker.address)).to.equal(cash);
      } else {
        await networkHelpers.time.increaseTo(await queue.cutOffOf(1n));
        await refreshFeeds((await ethers.getSigners())[0], lab.market);
        await (await queue.connect(lab.keeper).settle(1n)).wait();
        await (await queue["deposit(uint256,address)"](assets, attacker.address)).wait();
        const shares = await vault.balanceOf(attacker.address);
        await (await vault.redeemInKind(shares, attacker.address, attacker.address, new Array(lab.market.tokens.length + 1).fill(0n))).wait();
      }
      const [honestAfter] = await walletsAtMarket(lab, [holder.address]);
      expect(bpsOf(honestBefore - honestAfter, honestNav), `lag ${lag}`).to.be.at.most(MAX_HONEST_LOSS_BPS);
    }
  });
});
