import { expect } from "chai";
import { ethers } from "../../fixtures.js";
import { LossBudgetLib, NavLib } from "../../../keeper/core/index.js";
import { seededRandom } from "../../../keeper/data/seededRandom.js";
import { LossBudgetLibHarness__factory, NavLibHarness__factory } from "../../../types/ethers-contracts/index.js";

const random = seededRandom(20261201);
/** A uint with a random count of digits up to `maxDigits`, so that small, typical and huge values all occur. */
const uint = (maxDigits: number, min = 0n) => {
  const digits = 1 + Math.floor(random.next() * maxDigits);
  let value = 0n;
  for (let i = 0; i < digits; i++) value = value * 10n + BigInt(Math.floor(random.next() * 10));
  return value < min ? min : value;
};
const CASES = 150;

describe("keeper/core NavLib and LossBudgetLib: the TypeScript twins agree with the Solidity libraries", function () {
  it("NavLib: valueDown, minAmountOutUp, toShares and toAssets, both roundings", async function () {
    const [deployer] = await ethers.getSigners();
    const harness = await new NavLibHarness__factory(deployer).deploy();
    for (let i = 0; i < CASES; i++) {
      const amount = uint(30);
      // Oracle unit prices (USD x 1e36 per raw unit) span a $0.0001 18-decimal token to a $100k 6-decimal one.
      const [pIn, pOut] = [uint(37, 1n), uint(37, 1n)];
      const slippage = Math.floor(random.next() * 10_000);
      expect(NavLib.valueDown(amount, pIn, pOut), `valueDown ${amount} ${pIn} ${pOut}`).to.equal(await harness.valueDown(amount, pIn, pOut));
      expect(NavLib.minAmountOutUp(amount, pIn, pOut, slippage), `minAmountOutUp ${amount} ${pIn} ${pOut} ${slippage}`).to.equal(await harness.minAmountOutUp(amount, pIn, pOut, slippage));
      const [assets, supply, nav, virtualShares] = [uint(24), uint(30), uint(24), 10n ** BigInt(Math.floor(random.next() * 7))];
      for (const roundUp of [false, true]) {
        const rounding = roundUp ? "ceil" : "floor";
        expect(NavLib.toShares(assets, supply, nav, virtualShares, rounding), `toShares ${assets} ${supply} ${nav} ${virtualShares} ${rounding}`).to.equal(await harness.toShares(assets, supply, nav, virtualShares, roundUp));
        expect(NavLib.toAssets(assets, supply, nav, virtualShares, rounding), `toAssets ${assets} ${supply} ${nav} ${virtualShares} ${rounding}`).to.equal(await harness.toAssets(assets, supply, nav, virtualShares, roundUp));
      }
    }
  });

  it("NavLib: refuses what the vault reverts on (a zero price)", async function () {
    const [deployer] = await ethers.getSigners();
    const harness = await new NavLibHarness__factory(deployer).deploy();
    await expect(harness.valueDown(1n, 1n, 0n)).to.be.revert(ethers);
    expect(() => NavLib.valueDown(1n, 1n, 0n)).to.throw("mulDiv by zero");
  });

  it("LossBudgetLib: bucketAt, roll (every gap, past the ring), used, availableFraction, assetsDown, fractionUp, add and collapse", async function () {
    const [deployer] = await ethers.getSigners();
    const harness = await new LossBudgetLibHarness__factory(deployer).deploy();
    /** A ring of five random buckets, each below 2^32 like the vault's (some empty, some full). */
    const randomRing = () => {
      let ring = 0n;
      for (let i = 0n; i < LossBudgetLib.BUCKETS; i++) {
        const r = random.next();
        const bucket = r < 0.3 ? 0n : r < 0.4 ? 0xffff_ffffn : BigInt(Math.floor(random.next() * 2 ** 32));
        ring |= bucket << (32n * i);
      }
      return ring;
    };
    for (let i = 0; i < CASES; i++) {
      const now = uint(10);
      const window = uint(8, 4n);
      expect(LossBudgetLib.bucketAt(now, window), `bucketAt ${now} ${window}`).to.equal(await harness.bucketAt(now, window));
      const ring = randomRing();
      const lastBucket = uint(9);
      // current before, at and after lastBucket, each gap inside the ring, and past it.
      const gap = BigInt(Math.floor(random.next() * 8)) - 1n;
      const current = lastBucket + gap < 0n ? 0n : lastBucket + gap;
      const rolled = LossBudgetLib.roll(ring, lastBucket, current);
      expect(rolled, `roll ${ring} ${lastBucket} ${current}`).to.equal(await harness.roll(ring, lastBucket, current));
      expect(LossBudgetLib.used(rolled), `used ${rolled}`).to.equal(await harness.used(rolled));
      const bps = Math.floor(random.next() * 65_536);
      expect(LossBudgetLib.availableFraction(rolled, bps), `availableFraction ${rolled} ${bps}`).to.equal(await harness.availableFraction(rolled, bps));
      const [fraction, nav, loss] = [uint(11), uint(30), uint(28)];
      expect(LossBudgetLib.assetsDown(fraction, nav), `assetsDown ${fraction} ${nav}`).to.equal(await harness.assetsDown(fraction, nav));
      if (nav > 0n) expect(LossBudgetLib.fractionUp(loss, nav), `fractionUp ${loss} ${nav}`).to.equal(await harness.fractionUp(loss, nav));
      // add within a bucket's room, as the vault's budget cap guarantees.
      const slot = current % LossBudgetLib.BUCKETS;
      const room = 0xffff_ffffn - ((rolled >> (32n * slot)) & 0xffff_ffffn);
      const added = room === 0n ? 0n : BigInt(Math.floor(random.next() * Number(room)));
      expect(LossBudgetLib.add(rolled, current, added), `add ${rolled} ${current} ${added}`).to.equal(await harness.add(rolled, current, added));
      // collapse of a ring whose sum fits one bucket (the vault's rings sum to at most 5e8).
      const small = rolled & 0x0fff_ffffn;
      expect(LossBudgetLib.collapse(small, current), `collapse ${small} ${current}`).to.equal(await harness.collapse(small, current));
    }
  });

  it("LossBudgetLib: refuses what the library reverts on (a window under four seconds, a zero NAV)", async function () {
    const [deployer] = await ethers.getSigners();
    const harness = await new LossBudgetLibHarness__factory(deployer).deploy();
    await expect(harness.bucketAt(100n, 3n)).to.be.revert(ethers);
    expect(() => LossBudgetLib.bucketAt(100n, 3n)).to.throw("division by zero");
    await expect(harness.fractionUp(1n, 0n)).to.be.revert(ethers);
    expect(() => LossBudgetLib.fractionUp(1n, 0n)).to.throw("mulDiv by zero");
  });
});
