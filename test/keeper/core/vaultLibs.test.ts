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

  it("LossBudgetLib: capacityDown, usedNow (before, inside and past the window) and available", async function () {
    const [deployer] = await ethers.getSigners();
    const harness = await new LossBudgetLibHarness__factory(deployer).deploy();
    for (let i = 0; i < CASES; i++) {
      const nav = uint(30);
      const bps = Math.floor(random.next() * 10_001);
      const capacity = LossBudgetLib.capacityDown(nav, bps);
      expect(capacity, `capacityDown ${nav} ${bps}`).to.equal(await harness.capacityDown(nav, bps));
      const used = uint(30);
      const lastUpdate = uint(10);
      const window = uint(7, 1n);
      // now before lastUpdate, inside the window, and past it.
      for (const now of [lastUpdate > 0n ? lastUpdate - 1n : 0n, lastUpdate + (window * BigInt(Math.floor(random.next() * 100))) / 100n, lastUpdate + window + uint(5)]) {
        const usedAtNow = LossBudgetLib.usedNow(used, lastUpdate, capacity, window, now);
        expect(usedAtNow, `usedNow ${used} ${lastUpdate} ${capacity} ${window} ${now}`).to.equal(await harness.usedNow(used, lastUpdate, capacity, window, now));
        expect(LossBudgetLib.available(usedAtNow, capacity)).to.equal(await harness.available(usedAtNow, capacity));
      }
    }
  });
});
