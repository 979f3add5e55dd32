import { expect } from "chai";
import { Contract, MaxUint256 } from "ethers";
import { connection, ethers, networkHelpers } from "../fixtures.js";
import { moveMarket, poolSide } from "../../devnet/moveMarket.js";
import { sqrtPriceX96ForPrice } from "../../devnet/poolMath.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { IndexVault__factory, TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { INITIAL_DEPOSIT } from "../helpers/vault.js";
import { attack, bpsOf, feeLab, LAGS, MAX_HONEST_LOSS_BPS, MATRIX_TIMEOUT_MS, noFeeLab, openLag, SIZES, sharesAtMarket, walletsAtMarket } from "../helpers/staleNav.js";

describe("IndexVault stale NAV (deposits at the higher, cash exits at the lower of oracle and market)", function () {
  this.timeout(MATRIX_TIMEOUT_MS);
  for (const [feeName, lab] of [["no entry fee", noFeeLab], ["a 10 bps entry fee", feeLab]] as const) {
    it(`holds every lag x size x exit to <= ${MAX_HONEST_LOSS_BPS} bp of honest NAV with ${feeName}`, async function () {
      const base = await networkHelpers.loadFixture(lab);
      const rows: string[] = [];
      let worst = -Infinity;
      let worstAttacker = -Infinity;
      for (const lag of LAGS) {
        await networkHelpers.loadFixture(lab);
        await openLag(base, lag);
        const lagged = await networkHelpers.takeSnapshot();
        for (const size of SIZES) {
          for (const exit of ["in kind", "cash"] as const) {
            for (const afterCatchUp of [false, true]) {
              await lagged.restore();
              const { honestLossBps, attackerGainBps } = await attack(base, size, exit, afterCatchUp);
              worst = Math.max(worst, honestLossBps);
              worstAttacker = Math.max(worstAttacker, attackerGainBps);
              rows.push(`lag ${(lag * 100).toFixed(1)}% deposit ${size}x exit ${exit}${afterCatchUp ? " after catch-up" : " at once"}: honest ${honestLossBps} bps, attacker ${attackerGainBps} bps`);
              expect(honestLossBps, rows.at(-1)).to.be.at.most(MAX_HONEST_LOSS_BPS);
              expect(attackerGainBps, rows.at(-1)).to.be.at.most(MAX_HONEST_LOSS_BPS);
            }
          }
        }
      }
      console.log(`      worst of ${rows.length} attacks: honest loss ${worst} bps, attacker gain ${worstAttacker} bps of honest NAV`);
    });
  }

  it("a holder's cash exit at a stale-high or stale-low NAV costs the remaining holder <= 1 bp", async function () {
    const base = await networkHelpers.loadFixture(noFeeLab);
    const vault = IndexVault__factory.connect(base.deployment.vault, base.attacker);
    // The second holder came in honestly at zero lag and owns about half the vault.
    await (await vault.deposit(INITIAL_DEPOSIT, base.attacker.address)).wait();
    const bothHold = await networkHelpers.takeSnapshot();
    for (const lag of LAGS) {
      await bothHold.restore();
      await openLag(base, lag);
      const [before] = await walletsAtMarket(base, [base.holder.address]);
      const nav = await sharesAtMarket(base, base.holder.address);
      await (await vault.redeem(await vault.balanceOf(base.attacker.address), base.attacker.address, base.attacker.address)).wait();
      const [after] = await walletsAtMarket(base, [base.holder.address]);
      const lossBps = bpsOf(before - after, nav);
      expect(lossBps, `lag ${lag}`).to.be.at.most(MAX_HONEST_LOSS_BPS);
    }
  });

  it("an honest deposit at zero lag costs at most the entry fee + 10 bps", async function () {
    const base = await networkHelpers.loadFixture(feeLab);
    const vault = IndexVault__factory.connect(base.deployment.vault, base.attacker);
    for (const size of SIZES) {
      const [before] = await walletsAtMarket(base, [base.attacker.address]);
      const assets = ((await vault.totalAssets()) * BigInt(Math.round(size * 1000))) / 1000n;
      await (await vault.deposit(assets, base.attacker.address)).wait();
      const [after] = await walletsAtMarket(base, [base.attacker.address]);
      const cost = bpsOf(before - after, assets);
      expect(cost, `deposit ${size}x NAV`).to.be.at.most(10 + 10);
      await networkHelpers.loadFixture(feeLab);
    }
  });

  it("a depositor who pushes the pools back to the stale feeds in his own block still pays market value", async function () {
    const base = await networkHelpers.loadFixture(noFeeLab);
    await openLag(base, 0.02);
    const { attacker } = base;
    const [owner] = await ethers.getSigners();
    const router = new Contract(base.market.swapRouter, uniswapArtifacts.swapRouter.abi, attacker);
    for (const t of base.market.tokens) {
      const token = TestToken__factory.connect(t.address, owner);
      await (await token.mint(attacker.address, 10n ** BigInt(t.decimals + 9))).wait();
      await (await token.connect(attacker).approve(base.market.swapRouter, MaxUint256)).wait();
    }
    const vault = IndexVault__factory.connect(base.deployment.vault, attacker);
    const [honestBefore] = await walletsAtMarket(base, [base.holder.address]);
    const honestNav = await sharesAtMarket(base, base.holder.address);
    const provider = connection.provider;
    await provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      // One block: sell every token into its pool down to the stale feed price, deposit 20x NAV.
      let nonce = await attacker.getNonce();
      for (const t of base.market.tokens) {
        const answer = (await TestPriceFeed__factory.connect(t.feed, owner).latestRoundData())[1];
        const limit = sqrtPriceX96ForPrice(poolSide(base.market, t), Number(answer) / 1e8);
        const [tokenIn, tokenOut] = [t.address, base.market.stablecoin.address];
        await router.exactInputSingle({ tokenIn, tokenOut, fee: t.fee, recipient: attacker.address, deadline: MaxUint256, amountIn: 10n ** BigInt(t.decimals + 9), amountOutMinimum: 0n, sqrtPriceLimitX96: limit }, { nonce: nonce++, gasLimit: 3_000_000n });
      }
      await vault.deposit(20n * INITIAL_DEPOSIT, attacker.address, { nonce: nonce++, gasLimit: 10_000_000n });
      await provider.request({ method: "evm_mine", params: [] });
    } finally {
      await provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await vault.balanceOf(attacker.address)).to.be.greaterThan(0n);
    // Next block: buy the pools back to market, leave in kind.
    await moveMarket({ signer: owner, market: base.market, pricesUsd: new Map(await Promise.all(base.market.tokens.map(async (t) => [t.address, Number((await TestPriceFeed__factory.connect(t.feed, owner).latestRoundData())[1]) / 1e8 * 1.02] as [string, number]))) });
    await (await vault.redeemInKind(await vault.balanceOf(attacker.address), attacker.address, attacker.address, new Array(base.market.tokens.length + 1).fill(0n))).wait();
    const [honestAfter] = await walletsAtMarket(base, [base.holder.address]);
    const lossBps = bpsOf(honestBefore - honestAfter, honestNav);
    expect(lossBps).to.be.at.most(MAX_HONEST_LOSS_BPS);
  });
});
