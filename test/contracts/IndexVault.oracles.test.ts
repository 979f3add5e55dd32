import { expect } from "chai";
import { Contract, MaxUint256, ZeroAddress } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { moveMarket, poolPrice } from "../../devnet/moveMarket.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { BreakableFeed__factory, TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { refreshFeeds, tokenBySymbol } from "../helpers/market.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import { adminCall, adminOf, contractsOf, fundedVaultFixture, USDC, type FundedVaultFixture } from "../helpers/vault.js";
import type { IOracleRouter } from "../../types/ethers-contracts/contracts/oracles/OracleRouter.js";

const CHAINLINK = 1;
const TWAP = 2;
const CHAINLINK_CHECKED_BY_TWAP = 3;
const TWAP_WINDOW_SECONDS = 1_800;

/** Every exit but the in-kind one is blocked; the in-kind one pays the holder a slice of every token. */
async function expectOnlyInKindExit(f: FundedVaultFixture, error: string, depositError = error) {
  const { vault, oracle, stable } = contractsOf(f);
  const { holder } = f;
  const [, bob] = f.depositors;
  expect(await vault.maxDeposit(bob.address)).to.equal(0n);
  expect(await vault.maxRedeem(holder.address)).to.equal(0n);
  expect(await vault.maxWithdraw(holder.address)).to.equal(0n);
  const depositErrorSource = depositError === error ? oracle : vault;
  await expect(vault.connect(bob).deposit(1_000n * USDC, bob.address)).to.be.revertedWithCustomError(depositErrorSource, depositError);
  await expect(vault.connect(holder).redeem(10n ** 12n, holder.address, holder.address)).to.be.revertedWithCustomError(oracle, error);

  const shares = (await vault.balanceOf(holder.address)) / 10n;
  const mins = new Array<bigint>(f.market.tokens.length + 1).fill(0n);
  const cashBefore = await stable.balanceOf(holder.address);
  const btc = TestToken__factory.connect(f.market.tokens[0].address, holder);
  const btcBefore = await btc.balanceOf(holder.address);
  await (await vault.connect(holder).redeemInKind(shares, holder.address, holder.address, mins)).wait();
  expect(await stable.balanceOf(holder.address)).to.be.greaterThan(cashBefore);
  expect(await btc.balanceOf(holder.address)).to.be.greaterThan(btcBefore);
}

function feedSource(feed: string, answer: bigint, heartbeatSeconds: number): IOracleRouter.SourceParamsStruct {
  return { kind: CHAINLINK, feed, heartbeatSeconds, minAnswer: answer / 100n, maxAnswer: answer * 100n, pool: ZeroAddress, twapWindowSeconds: 0, maxDeviationBps: 0 };
}

describe("IndexVault oracles on the real market", function () {
  describe("#feed failures", function () {
    it("reverts deposits and cash exits when a feed is stale, while the in-kind exit still pays", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      await networkHelpers.time.increase(f.deployment.settings.heartbeatSeconds + 1);
      await expectOnlyInKindExit(f, "OracleRouterStalePrice");
    });

    it("reverts deposits and cash exits when a feed answers a negative number", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const [owner] = await ethers.getSigners();
      await (await TestPriceFeed__factory.connect(f.market.tokens[3].feed, owner).setAnswer(-1n)).wait();
      await expectOnlyInKindExit(f, "OracleRouterNonPositiveAnswer");
    });

    it("reverts when the pool collapses while the feed stays pinned at its min bound, instead of overpricing", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { oracle } = contractsOf(f);
      const btc = tokenBySymbol(f.market, "BTC");
      const [owner] = await ethers.getSigners();
      const { minAnswer } = await oracle.sourceOf(btc.address);
      // The market falls to a 300th of the price; the aggregator stops at its floor, which is the router's.
      await moveMarket({ signer: owner, market: f.market, pricesUsd: new Map([[btc.address, btc.priceUsd / 300]]) });
      await (await TestPriceFeed__factory.connect(btc.feed, owner).setAnswer(minAnswer)).wait();
      expect(await poolPrice(owner, f.market, btc)).to.be.lessThan((Number(minAnswer) / 1e8) * 0.5);
      await expectOnlyInKindExit(f, "OracleRouterAnswerOutOfBounds");
    });

    it("lets a holder exit in kind while deposits and rebalances are paused and while a feed reverts", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault, oracle } = contractsOf(f);
      const [owner] = await ethers.getSigners();
      const eth = tokenBySymbol(f.market, "ETH");
      const breakable = await new BreakableFeed__factory(owner).deploy(eth.feed);
      const { minAnswer, maxAnswer, heartbeatSeconds } = await oracle.sourceOf(eth.address);
      await executeAsAdmin(await adminOf(f), adminCall(oracle, "setSource", [eth.address, { ...feedSource(await breakable.getAddress(), 0n, 1), minAnswer, maxAnswer, heartbeatSeconds }]));
      await refreshFeeds(owner, f.market);
      await (await vault.connect(f.guardian).pauseDeposits()).wait();
      await (await vault.connect(f.guardian).pauseRebalances()).wait();
      await (await breakable.setBroken(true)).wait();
      await expect(vault.totalAssets()).to.be.revertedWithCustomError(oracle, "OracleRouterFeedReverted").withArgs(eth.address, await breakable.getAddress());
      await expectOnlyInKindExit(f, "OracleRouterFeedReverted", "IndexVaultDepositsPaused");
    });
  });

  describe("#stablecoin depeg", function () {
    it("prices the stablecoin: a depeg inside its bounds shows in NAV rather than being assumed away", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [owner] = await ethers.getSigners();
      const navBefore = await vault.totalAssets();
      // Pools reprice in stablecoin terms, so the constituents are worth more stablecoins.
      const prices = new Map(f.market.tokens.map((t) => [t.address, t.priceUsd]));
      await moveMarket({ signer: owner, market: f.market, pricesUsd: prices, stablecoinUsd: 0.98 });
      const constituents = navBefore - (await contractsOf(f).stable.balanceOf(f.deployment.vault));
      expect(await vault.totalAssets()).to.be.closeTo(navBefore + (constituents * 2n) / 98n, navBefore / 10_000n);
    });

    it("reverts deposits and cash exits when the stablecoin depegs past its bounds, while the in-kind exit still pays", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const [owner] = await ethers.getSigners();
      // The devnet's stablecoin band is 0.97..1.03 (deployVault).
      const prices = new Map(f.market.tokens.map((t) => [t.address, t.priceUsd]));
      await moveMarket({ signer: owner, market: f.market, pricesUsd: prices, stablecoinUsd: 0.9 });
      await expectOnlyInKindExit(f, "OracleRouterAnswerOutOfBounds");
    });
  });

  describe("#twap", function () {
    /** The ETH pool's TWAP over the window as the router computes it, from observations the test builds. */
    async function twapFixture() {
      const f = await fundedVaultFixture();
      const [owner] = await ethers.getSigners();
      const eth = tokenBySymbol(f.market, "ETH");
      const btc = tokenBySymbol(f.market, "BTC");
      const { oracle } = contractsOf(f);
      const heartbeat = f.deployment.settings.heartbeatSeconds;
      const ethAnswer = BigInt(eth.priceUsd * 1e8);
      const btcAnswer = BigInt(btc.priceUsd * 1e8);
      await executeAsAdmin(
        await adminOf(f),
        adminCall(oracle, "setSource", [eth.address, { kind: TWAP, feed: ZeroAddress, heartbeatSeconds: 0, minAnswer: 0, maxAnswer: 0, pool: eth.pool, twapWindowSeconds: TWAP_WINDOW_SECONDS, maxDeviationBps: 0 }]),
        adminCall(oracle, "setSource", [btc.address, { ...feedSource(btc.feed, btcAnswer, heartbeat), kind: CHAINLINK_CHECKED_BY_TWAP, pool: btc.pool, twapWindowSeconds: TWAP_WINDOW_SECONDS, maxDeviationBps: 200 }]),
      );
      await refreshFeeds(owner, f.market);
      expect(ethAnswer).to.be.greaterThan(0n);
      return { ...f, eth, btc, owner };
    }

    it("prices a token by the pool's time-weighted mean tick, built from swaps in different blocks", async function () {
      const f = await networkHelpers.loadFixture(twapFixture);
      const { oracle } = contractsOf(f);
      const pool = new Contract(f.eth.pool, uniswapArtifacts.pool.abi, f.owner);
      // Three prices held for 600 s each, set by real swaps (moveMarket) in separate blocks.
      const ticks: bigint[] = [];
      for (const factor of [1.1, 0.95, 1.04]) {
        await moveMarket({ signer: f.owner, market: f.market, pricesUsd: new Map([[f.eth.address, f.eth.priceUsd * factor]]) });
        ticks.push((await pool.slot0()).tick as bigint);
        await networkHelpers.time.increase(600);
      }
      await networkHelpers.mine();
      // Each tick was held about 600 s of the 1,800 s window (one block's seconds at each edge aside).
      const meanTick = Number(ticks.reduce((a, b) => a + b, 0n)) / 3;
      const decimalsShift = 10 ** (f.eth.decimals - f.market.stablecoin.decimals);
      const expected = f.eth.tokenIsToken0 ? 1.0001 ** meanTick * decimalsShift : decimalsShift / 1.0001 ** meanTick;
      const unitPrice = await oracle.unitPriceUsd36(f.eth.address);
      const priceUsd = Number(unitPrice * 10n ** BigInt(f.eth.decimals) / 10n ** 30n) / 1e6;
      expect(Math.abs(priceUsd / expected - 1)).to.be.lessThan(0.002);
      // And it is not the spot price, which is the last of the three.
      expect(Math.abs(priceUsd / (f.eth.priceUsd * 1.04) - 1)).to.be.greaterThan(0.005);
    });

    it("moves by a block's share of the window when an attacker pushes the spot price for one block", async function () {
      const f = await networkHelpers.loadFixture(twapFixture);
      const { oracle, vault } = contractsOf(f);
      await networkHelpers.time.increase(TWAP_WINDOW_SECONDS);
      const before = await oracle.unitPriceUsd36(f.eth.address);
      const navBefore = await vault.totalAssets();
      const attacker = (await ethers.getSigners())[10];
      const [deployer] = await ethers.getSigners();
      await (await TestToken__factory.connect(f.market.stablecoin.address, deployer).mint(attacker.address, 10n ** 15n)).wait();
      await (await TestToken__factory.connect(f.market.stablecoin.address, attacker).approve(f.market.swapRouter, MaxUint256)).wait();
      const router = new Contract(f.market.swapRouter, uniswapArtifacts.swapRouter.abi, attacker);
      await (
        await router.exactInputSingle({ tokenIn: f.market.stablecoin.address, tokenOut: f.eth.address, fee: f.eth.fee, recipient: attacker.address, deadline: MaxUint256, amountIn: 400_000_000n * USDC, amountOutMinimum: 0, sqrtPriceLimitX96: 0 })
      ).wait();
      const spot = await poolPrice(attacker, f.market, f.eth);
      expect(spot).to.be.greaterThan(f.eth.priceUsd * 1.3);
      // In the swap's own block the TWAP has not seen the new tick at all; one 12 s block later, it has
      // moved by 12/1,800 of the spot move in log terms: the attacker must hold the price to move it.
      expect(await oracle.unitPriceUsd36(f.eth.address)).to.equal(before);
      await networkHelpers.time.increase(12);
      const after = await oracle.unitPriceUsd36(f.eth.address);
      const twapMove = Math.log(Number((after * 10n ** 9n) / before) / 1e9);
      expect(twapMove).to.be.greaterThan(0);
      expect(twapMove).to.be.lessThan((13 / TWAP_WINDOW_SECONDS) * Math.log(spot / f.eth.priceUsd));
      expect(await vault.totalAssets()).to.be.lessThan(navBefore + navBefore / 50n);
    });

    it("reverts when a feed checked by a TWAP diverges from the pool by more than the allowed deviation", async function () {
      const f = await networkHelpers.loadFixture(twapFixture);
      const { oracle, vault } = contractsOf(f);
      expect(await vault.totalAssets()).to.be.greaterThan(0n);
      // The feed jumps 5 % while the pool does not: one of them is wrong, so nothing is priced.
      const feed = TestPriceFeed__factory.connect(f.btc.feed, f.owner);
      const [, answer] = await feed.latestRoundData();
      await (await feed.setAnswer((answer * 105n) / 100n)).wait();
      await expect(vault.totalAssets()).to.be.revertedWithCustomError(oracle, "OracleRouterDeviationTooHigh");
      await expectOnlyInKindExit(f, "OracleRouterDeviationTooHigh");

      // Once the market really moves there and the window has passed, the two agree again.
      await moveMarket({ signer: f.owner, market: f.market, pricesUsd: new Map([[f.btc.address, f.btc.priceUsd * 1.05]]) });
      await networkHelpers.time.increase(TWAP_WINDOW_SECONDS);
      await refreshFeeds(f.owner, f.market);
      expect(await vault.totalAssets()).to.be.greaterThan(0n);
    });
  });
});
