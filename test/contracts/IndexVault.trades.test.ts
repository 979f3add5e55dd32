import { expect } from "chai";
import { Contract, MaxUint256 } from "ethers";
import { ethers, networkHelpers, vaultFixture } from "../fixtures.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { sqrtPriceX96ForPrice } from "../../devnet/poolMath.js";
import { poolSide } from "../../devnet/moveMarket.js";
import { TestToken__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";
import { refreshFeeds, singleHopPath, tokenBySymbol } from "../helpers/market.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import {
  adminCall,
  adminOf,
  buyTrade,
  commitEqualTargets,
  dayStartEpoch,
  contractsOf,
  fundedTrader,
  fundedVaultFixture,
  quoteExactInput,
  USDC,
  type FundedVaultFixture,
} from "../helpers/vault.js";
import type { MarketToken } from "../../devnet/deployMarket.js";
import { LossBudgetLib } from "../../keeper/core/index.js";

/** The vault's allowances to every address a trade touches, for every token it could have sold. */
async function allowancesLeft(f: FundedVaultFixture): Promise<bigint[]> {
  const tokens = [f.market.stablecoin.address, ...f.market.tokens.map((t) => t.address)];
  const spenders = [f.deployment.adapter, f.market.swapRouter];
  const result: bigint[] = [];
  for (const token of tokens) {
    const erc20 = TestToken__factory.connect(token, f.keeper);
    for (const spender of spenders) result.push(await erc20.allowance(f.deployment.vault, spender));
    result.push(await erc20.allowance(f.deployment.adapter, f.market.swapRouter));
    result.push(await erc20.balanceOf(f.deployment.adapter));
  }
  return result;
}

/** A swap straight on the pool by an outsider, stopped at a target price of the token in stablecoin. */
async function pushPool(f: FundedVaultFixture, trader: Awaited<ReturnType<typeof ethers.getSigners>>[number], token: MarketToken, priceUsd: number, sellToken: boolean) {
  const router = new Contract(f.market.swapRouter, uniswapArtifacts.swapRouter.abi, trader);
  const stable = f.market.stablecoin.address;
  const [tokenIn, tokenOut] = sellToken ? [token.address, stable] : [stable, token.address];
  const balance = await TestToken__factory.connect(tokenIn, trader).balanceOf(trader.address);
  await (
    await router.exactInputSingle({
      tokenIn,
      tokenOut,
      fee: token.fee,
      recipient: trader.address,
      deadline: MaxUint256,
      amountIn: balance,
      amountOutMinimum: 0,
      sqrtPriceLimitX96: sqrtPriceX96ForPrice(poolSide(f.market, token), priceUsd),
    })
  ).wait();
}

describe("IndexVault keeper trades through the real UniswapV3Adapter and Uniswap V3 pools", function () {
  it("executes a batch, emits TradeExecuted with the oracle values, and leaves no allowance or balance behind", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault } = contractsOf(f);
    const btc = tokenBySymbol(f.market, "BTC");
    const eth = tokenBySymbol(f.market, "ETH");
    // Toward the 9 % targets from the fixture's 6 %.
    const trades = [await buyTrade(f, btc, 25_000n * USDC), await buyTrade(f, eth, 20_000n * USDC)];
    const btcToken = TestToken__factory.connect(btc.address, f.keeper);
    const before = await btcToken.balanceOf(f.deployment.vault);
    const amountsOut = await vault.executeTrades.staticCall(trades, MaxUint256, await vault.batchSequence());
    const tx = vault.executeTrades(trades, MaxUint256, await vault.batchSequence());
    const valueIn = await vault.valueInAsset(f.market.stablecoin.address, 25_000n * USDC);
    const valueOut = await vault.valueInAsset(btc.address, amountsOut[0]);
    await expect(tx)
      .to.emit(vault, "TradeExecuted")
      .withArgs(await vault.currentEpoch(), f.deployment.adapter, f.market.stablecoin.address, btc.address, 25_000n * USDC, amountsOut[0], trades[0].minAmountOut, valueIn, valueOut);
    expect((await btcToken.balanceOf(f.deployment.vault)) - before).to.equal(amountsOut[0]);
    // Within a 0.05 % pool's fee and a little impact of the oracle value.
    expect(valueOut).to.be.closeTo(valueIn, valueIn / 500n);
    for (const left of await allowancesLeft(f)) expect(left).to.equal(0n);
  });

  it("swaps a two-hop path (BTC -> stablecoin -> ETH) as one trade at the quoter's quote, leaving nothing in the adapter", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault, quoter } = contractsOf(f);
    const btc = tokenBySymbol(f.market, "BTC");
    const eth = tokenBySymbol(f.market, "ETH");
    const stable = f.market.stablecoin.address;
    // About 0.5 % of NAV out of BTC (6 % held, 9 % target): inside the position check's 1 % tolerance.
    const amountIn = (await TestToken__factory.connect(btc.address, f.keeper).balanceOf(f.deployment.vault)) / 12n;
    const path = ethers.solidityPacked(["address", "uint24", "address", "uint24", "address"], [btc.address, btc.fee, stable, eth.fee, eth.address]);
    const [quoted] = (await quoter.quoteExactInput.staticCall(path, amountIn)) as bigint[];
    const trade = { adapter: f.deployment.adapter, tokenIn: btc.address, tokenOut: eth.address, amountIn, minAmountOut: await vault.oracleMinAmountOut(btc.address, eth.address, amountIn), data: path };
    const ethToken = TestToken__factory.connect(eth.address, f.keeper);
    const before = await ethToken.balanceOf(f.deployment.vault);
    await (await vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).wait();
    expect((await ethToken.balanceOf(f.deployment.vault)) - before).to.equal(quoted);
    for (const left of await allowancesLeft(f)) expect(left).to.equal(0n);
  });

  it("pays a swap callback only to the pool it is swapping on, so a caller cannot draw what the adapter holds", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const attacker = (await ethers.getSigners())[10];
    await fundedTrader(f, attacker, 1_000n * USDC);
    const stable = TestToken__factory.connect(f.market.stablecoin.address, attacker);
    // A donation is the only way tokens rest in the adapter; nobody can pull it out through the callback.
    await (await stable.transfer(f.deployment.adapter, 1_000n * USDC)).wait();
    const adapter = UniswapV3Adapter__factory.connect(f.deployment.adapter, attacker);
    const data = ethers.AbiCoder.defaultAbiCoder().encode(["address"], [f.market.stablecoin.address]);
    await expect(adapter.uniswapV3SwapCallback(1_000n * USDC, 0n, data))
      .to.be.revertedWithCustomError(adapter, "UniswapV3AdapterUnexpectedCallback")
      .withArgs(attacker.address);
    expect(await stable.balanceOf(f.deployment.adapter)).to.equal(1_000n * USDC);
  });

  it("fits a ten-trade batch under the EIP-7825 transaction gas cap", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault } = contractsOf(f);
    const trades = await Promise.all(f.market.tokens.map((t) => buyTrade(f, t, 5_000n * USDC)));
    expect(await vault.executeTrades.estimateGas(trades, MaxUint256, await vault.batchSequence())).to.be.lessThan(16_777_216n);
  });

  describe("#batch sequence", function () {
    it("a batch planned before another keeper's batch reverts cheaply; one keeper's batches back to back pass", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [btc, eth] = [tokenBySymbol(f.market, "BTC"), tokenBySymbol(f.market, "ETH")];
      const planned = await vault.batchSequence();
      const [previous] = (await vault.queryFilter(vault.filters.BatchExecuted())).slice(-1);
      const navBefore = await vault.totalAssets();
      const receipt = await (await vault.executeTrades([await buyTrade(f, btc, 1_000n * USDC)], MaxUint256, planned)).wait();
      const events = receipt!.logs.map((l) => vault.interface.parseLog(l)).filter((e) => e !== null);
      const traded = events.find((e) => e.name === "TradeExecuted")!.args;
      const batch = events.find((e) => e.name === "BatchExecuted")!.args;
      // The batch reports the NAV it charged against, its loss, and the ring after it: the fixture's batch (same
      // quarter-window bucket) plus this loss as a fraction of NAV, rounded up.
      const [valueIn, valueOut] = [BigInt(traded.valueIn), BigInt(traded.valueOut)];
      const loss = valueIn > valueOut ? valueIn - valueOut : 0n;
      expect([batch.batchSequence, batch.trades, batch.navAssets, batch.lossAssets]).to.deep.equal([planned, 1n, navBefore, loss]);
      expect(batch.lossBudgetUsed).to.equal(previous!.args.lossBudgetUsed + (loss === 0n ? 0n : LossBudgetLib.fractionUp(loss, navBefore)));
      // The second keeper planned against the same sequence number: it reverts before pricing anything.
      const stale = vault.executeTrades([await buyTrade(f, eth, 1_000n * USDC)], MaxUint256, planned);
      await expect(stale).to.be.revertedWithCustomError(vault, "IndexVaultStaleBatch").withArgs(planned, planned + 1n);
      const staleGas = await ethers.provider.estimateGas({ to: f.deployment.vault, from: f.keeper.address, data: vault.interface.encodeFunctionData("executeTrades", [[], MaxUint256, planned + 1n]) }).catch(() => 0n);
      expect(staleGas).to.equal(0n); // an empty batch reverts too: it must not change anything
      await (await vault.executeTrades([await buyTrade(f, eth, 1_000n * USDC)], MaxUint256, planned + 1n)).wait();
      expect(await vault.batchSequence()).to.equal(planned + 2n);
    });

    it("an empty batch reverts and writes nothing", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      await expect(vault.executeTrades([], MaxUint256, await vault.batchSequence())).to.be.revertedWithCustomError(vault, "IndexVaultEmptyBatch");
    });

    it("exposes the block the vault was deployed in, for auditors", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const receipt = await ethers.provider.getTransactionReceipt(await findDeployment(f.deployment.vault));
      expect(await vault.deploymentBlock()).to.equal(BigInt(receipt!.blockNumber));
    });
  });

  describe("#bounds", function () {
    it("reverts when minAmountOut is 0", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const eth = tokenBySymbol(f.market, "ETH");
      const trade = { ...(await buyTrade(f, eth, 10_000n * USDC)), minAmountOut: 0n };
      const floor = await vault.oracleMinAmountOut(f.market.stablecoin.address, eth.address, 10_000n * USDC);
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(vault, "IndexVaultMinOutBelowOracle")
        .withArgs(f.market.stablecoin.address, eth.address, 0n, floor);
    });

    it("reverts when tokenOut is not registered, even with a real pool", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [deployer] = await ethers.getSigners();
      const unlisted = await new TestToken__factory(deployer).deploy("Unlisted", "UNL", 18, deployer.address);
      const trade = { ...(await buyTrade(f, f.market.tokens[2], 1_000n * USDC)), tokenOut: await unlisted.getAddress(), minAmountOut: 1n };
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(vault, "IndexVaultUnknownToken")
        .withArgs(await unlisted.getAddress());
    });

    it("reverts when the adapter is not allowlisted, even one built for this vault", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const [deployer] = await ethers.getSigners();
      const rogue = await new UniswapV3Adapter__factory(deployer).deploy(f.deployment.vault, f.market.factory);
      const trade = { ...(await buyTrade(f, f.market.tokens[0], 1_000n * USDC)), adapter: await rogue.getAddress() };
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(vault, "IndexVaultAdapterNotAllowed")
        .withArgs(await rogue.getAddress());
    });

    it("reverts when the path goes through a pool of a fee tier the vault does not allowlist", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const btc = tokenBySymbol(f.market, "BTC");
      const [deployer] = await ethers.getSigners();
      // A real, initialised 0.3 % BTC pool beside the allowlisted 0.05 % one.
      const npm = new Contract(f.market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
      const [token0, token1] = btc.tokenIsToken0 ? [btc.address, f.market.stablecoin.address] : [f.market.stablecoin.address, btc.address];
      await (await npm.createAndInitializePoolIfNecessary(token0, token1, 3000, sqrtPriceX96ForPrice(poolSide(f.market, btc), btc.priceUsd))).wait();
      const factory = new Contract(f.market.factory, uniswapArtifacts.factory.abi, deployer);
      const pool: string = await factory.getPool(token0, token1, 3000);
      const adapter = UniswapV3Adapter__factory.connect(f.deployment.adapter, deployer);

      const trade = { ...(await buyTrade(f, btc, 1_000n * USDC)), data: singleHopPath(f.market.stablecoin.address, 3000, btc.address) };
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(adapter, "UniswapV3AdapterPoolNotAllowed")
        .withArgs(f.market.stablecoin.address, btc.address, 3000, pool);
    });

    it("reverts when the deadline has passed", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const trade = await buyTrade(f, f.market.tokens[1], 1_000n * USDC);
      const deadline = BigInt(await networkHelpers.time.latest());
      await expect(vault.executeTrades([trade], deadline, await vault.batchSequence())).to.be.revertedWithCustomError(vault, "IndexVaultDeadlineExpired");
    });
  });

  describe("#attacks", function () {
    it("reverts when a third party front-runs the keeper's trade on the pool, so the sandwich takes nothing from the vault", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const eth = tokenBySymbol(f.market, "ETH");
      const stable = f.market.stablecoin.address;
      const attacker = (await ethers.getSigners())[10];
      await fundedTrader(f, attacker, 20_000_000n * USDC);
      const ethToken = TestToken__factory.connect(eth.address, attacker);
      await (await ethToken.connect(attacker).approve(f.market.swapRouter, MaxUint256)).wait();

      // The keeper quotes its buy on the pool and accepts 0.5 % less.
      const amountIn = 200_000n * USDC;
      const quoted = await quoteExactInput(f, stable, eth.address, eth.fee, amountIn);
      const trade = { ...(await buyTrade(f, eth, amountIn)), minAmountOut: (quoted * 9_950n) / 10_000n };
      const navBefore = await vault.totalAssets();
      const ethBefore = await ethToken.balanceOf(f.deployment.vault);

      // Front-run: the attacker buys ETH until the pool is 2 % above the market.
      const attackerStableBefore = await TestToken__factory.connect(stable, attacker).balanceOf(attacker.address);
      await pushPool(f, attacker, eth, eth.priceUsd * 1.02, false);
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).to.be.revertedWithCustomError(vault, "IndexVaultReceivedBelowMin");
      // Back-run: selling back to the starting price returns less than the attacker paid (two pool fees).
      await pushPool(f, attacker, eth, eth.priceUsd, true);

      expect(await ethToken.balanceOf(f.deployment.vault)).to.equal(ethBefore);
      expect(await vault.totalAssets()).to.equal(navBefore);
      expect(await TestToken__factory.connect(stable, attacker).balanceOf(attacker.address)).to.be.lessThan(attackerStableBefore);
    });

    it("reverts when a colluding keeper's repeated bad trades exhaust the loss budget, and reports the most it can burn", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const eth = tokenBySymbol(f.market, "ETH");
      const attacker = (await ethers.getSigners())[10];
      await fundedTrader(f, attacker, 50_000_000n * USDC);
      await (await TestToken__factory.connect(eth.address, attacker).approve(f.market.swapRouter, MaxUint256)).wait();
      // Enough cash that the budget, not the cash, is what runs out; targets that let ETH take most of it
      // (the position check bounds what the keeper buys; the budget what it loses doing so).
      await (await vault.connect(f.depositors[1]).deposit(6_000_000n * USDC, f.depositors[1].address)).wait();
      const others = f.market.tokens.filter((t) => t.address !== eth.address);
      await (
        await vault.commitTargets(await dayStartEpoch(), 0, [f.market.stablecoin.address, eth.address, ...others.map((t) => t.address)], [1_000n, 8_100n, ...others.map(() => 100n)], ethers.id("eth heavy"))
      ).wait();
      const navBefore = await vault.totalAssets();
      const budgetBps = BigInt(f.deployment.settings.lossBudgetBps);
      const capacity = (navBefore * budgetBps) / 10_000n;

      // Each round: the accomplice pushes the pool 2.2 % above the oracle, the keeper buys at the oracle
      // floor (2.5 % slippage allowed), the accomplice sells back. The vault loses ~2.3 % of each trade.
      let rounds = 0;
      let stoppedByBudget = false;
      for (; rounds < 40; rounds++) {
        await pushPool(f, attacker, eth, eth.priceUsd * 1.022, false);
        const trade = await buyTrade(f, eth, 300_000n * USDC);
        try {
          await (await vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).wait();
        } catch (error) {
          expect(vault.interface.parseError((error as { data: string }).data)?.name).to.equal("IndexVaultLossBudgetExceeded");
          stoppedByBudget = true;
          break;
        }
        await pushPool(f, attacker, eth, eth.priceUsd, true);
      }
      const lost = navBefore - (await vault.totalAssets());
      const lostBps = Number((lost * 1_000_000n) / navBefore) / 100;
      console.log(
        `      loss budget: a colluding keeper burned ${lostBps} bps of NAV ($${Number(lost) / 1e6}) in ${rounds} trades before the budget stopped it; ` +
          `the most it can burn is ${budgetBps} bps of NAV in any ${f.deployment.settings.lossBudgetWindowSeconds / 86_400} days`,
      );
      expect(stoppedByBudget).to.equal(true);
      expect(rounds).to.be.greaterThan(3);
      // Nothing refills inside the window: the loss stays within the budget.
      expect(lost).to.be.lessThanOrEqual(capacity);
      expect(await vault.lossBudgetAvailable()).to.be.lessThan(capacity / 20n);
    });

    it("a first depositor's donation cannot make a later deposit worthless: the donor loses it", async function () {
      const f = await networkHelpers.loadFixture(vaultFixture);
      const { vault, stable } = contractsOf(f);
      const [attacker, victim] = f.depositors;
      const donation = 1_000_000n * USDC;
      const attackerBefore = await stable.balanceOf(attacker.address);
      await (await vault.connect(attacker).deposit(1n, attacker.address)).wait();
      await (await stable.connect(attacker).transfer(f.deployment.vault, donation)).wait();
      // Constituents donated count in NAV too, at oracle prices.
      const btc = tokenBySymbol(f.market, "BTC");
      const [deployer] = await ethers.getSigners();
      await (await TestToken__factory.connect(btc.address, deployer).mint(f.deployment.vault, 10n ** 8n)).wait();

      const deposit = 100_000n * USDC;
      await (await vault.connect(victim).deposit(deposit, victim.address)).wait();
      const victimValue = await vault.previewRedeem(await vault.balanceOf(victim.address));
      // Entry and exit fee (20 bps) and rounding; the donation did not round the victim's shares away.
      expect(victimValue).to.be.greaterThan((deposit * 9_979n) / 10_000n);

      const mins = new Array<bigint>(f.market.tokens.length + 1).fill(0n);
      await (await vault.connect(attacker).redeemInKind(await vault.balanceOf(attacker.address), attacker.address, attacker.address, mins)).wait();
      const attackerAfter = await stable.balanceOf(attacker.address);
      // The virtual shares own almost all of the donation: the attacker recovers a negligible part of it.
      expect(attackerBefore - attackerAfter).to.be.greaterThan((donation * 99n) / 100n);
    });

    it("reverts a cyclic route (out of the stablecoin and back into it) as SwapRouter02Adapter does, so a keeper cannot burn fees to LPs", async function () {
      // USDC -> ETH -> USDC (the same allowlisted pool twice) -> BTC: the first two hops only pay two pool fees
      // and price impact, which a colluding LP collects; SwapRouter02Adapter rejects this route (CyclicPath).
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const btc = tokenBySymbol(f.market, "BTC");
      const eth = tokenBySymbol(f.market, "ETH");
      const stable = f.market.stablecoin.address;
      const amountIn = 10_000n * USDC;
      const cyclic = ethers.solidityPacked(
        ["address", "uint24", "address", "uint24", "address", "uint24", "address"],
        [stable, eth.fee, eth.address, eth.fee, stable, btc.fee, btc.address],
      );
      const trade = { ...(await buyTrade(f, btc, amountIn)), data: cyclic };
      const adapter = UniswapV3Adapter__factory.connect(f.deployment.adapter, ethers.provider);
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(adapter, "UniswapV3AdapterCyclicPath")
        .withArgs(stable);
    });

    it("reverts when a trade would buy a constituent in a Bear epoch; selling into the stablecoin still works", async function () {
      const f = await networkHelpers.loadFixture(fundedVaultFixture);
      const { vault } = contractsOf(f);
      const eth = tokenBySymbol(f.market, "ETH");
      await (await vault.commitTargets(await dayStartEpoch(), 1, [f.market.stablecoin.address], [10_000n], ethers.id("bear"))).wait();
      await expect(vault.executeTrades([await buyTrade(f, eth, 1_000n * USDC)], MaxUint256, await vault.batchSequence())).to.be.revertedWithCustomError(vault, "IndexVaultBearBuy");

      const ethToken = TestToken__factory.connect(eth.address, f.keeper);
      const held = await ethToken.balanceOf(f.deployment.vault);
      const stable = f.market.stablecoin.address;
      const sell = {
        adapter: f.deployment.adapter,
        tokenIn: eth.address,
        tokenOut: stable,
        amountIn: held,
        minAmountOut: await vault.oracleMinAmountOut(eth.address, stable, held),
        data: singleHopPath(eth.address, eth.fee, stable),
      };
      await (await vault.executeTrades([sell], MaxUint256, await vault.batchSequence())).wait();
      expect(await ethToken.balanceOf(f.deployment.vault)).to.equal(0n);
      for (const left of await allowancesLeft(f)) expect(left).to.equal(0n);
    });
  });

  it("an admin allowlists a new fee-tier pool through the timelock, and only then may trades route through it", async function () {
    const f = await networkHelpers.loadFixture(vaultFixture);
    const { vault } = contractsOf(f);
    const admin = await adminOf(f);
    await expect(vault.setPoolAllowed(f.market.tokens[0].pool, false)).to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount");
    await executeAsAdmin(admin, adminCall(vault, "setPoolAllowed", [f.market.tokens[0].pool, false]));
    expect(await vault.isPoolAllowed(f.market.tokens[0].pool)).to.equal(false);
    await (await vault.connect(f.depositors[0]).deposit(100_000n * USDC, f.depositors[0].address)).wait();
    await commitEqualTargets(f);
    const adapter = UniswapV3Adapter__factory.connect(f.deployment.adapter, f.keeper);
    await expect(vault.executeTrades([await buyTrade(f, f.market.tokens[0], 1_000n * USDC)], MaxUint256, await vault.batchSequence())).to.be.revertedWithCustomError(
      adapter,
      "UniswapV3AdapterPoolNotAllowed",
    );
  });
});

/** The hash of the transaction that created `address` (a scan of the fixture's few hundred blocks). */
async function findDeployment(address: string): Promise<string> {
  const latest = await ethers.provider.getBlockNumber();
  for (let n = 0; n <= latest; n++) {
    const block = await ethers.provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      if (receipt?.contractAddress?.toLowerCase() === address.toLowerCase()) return tx.hash;
    }
  }
  throw new Error(`no deployment of ${address}`);
}

describe("UniswapV3Adapter on a route that runs out of liquidity", function () {
  it("reverts on a partial fill that met the vault's minimum, so no input is stranded in the adapter", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault } = contractsOf(f);
    const btc = tokenBySymbol(f.market, "BTC");
    const stable = f.market.stablecoin.address;
    const [deployer] = await ethers.getSigners();
    // A 0.3 % BTC pool at half the oracle's price, with liquidity in one tick-spacing band only, on the side a
    // buy moves into: a buy larger than the band fills partly, and still beats the oracle's minimum.
    const npm = new Contract(f.market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
    const [token0, token1] = btc.tokenIsToken0 ? [btc.address, stable] : [stable, btc.address];
    await (await npm.createAndInitializePoolIfNecessary(token0, token1, 3000, sqrtPriceX96ForPrice(poolSide(f.market, btc), btc.priceUsd / 2))).wait();
    const factory = new Contract(f.market.factory, uniswapArtifacts.factory.abi, deployer);
    const poolAddress: string = await factory.getPool(token0, token1, 3000);
    const [, tick] = await new Contract(poolAddress, uniswapArtifacts.pool.abi, deployer).slot0();
    const spacing = 60n;
    const floor = (BigInt(tick) / spacing) * spacing - (BigInt(tick) < 0n && BigInt(tick) % spacing !== 0n ? spacing : 0n);
    // Buying token0 raises the tick (band above it); buying token1 lowers it (band at or below it).
    const [tickLower, tickUpper] = btc.tokenIsToken0 ? [floor + spacing, floor + 2n * spacing] : [floor - spacing, floor];
    const btcInBand = 5n * 10n ** 6n; // 0.05 BTC (8 decimals)
    const btcToken = TestToken__factory.connect(btc.address, deployer);
    await (await btcToken.mint(deployer.address, btcInBand)).wait();
    await (await btcToken.approve(f.market.positionManager, MaxUint256)).wait();
    await (
      await npm.mint({
        token0,
        token1,
        fee: 3000,
        tickLower,
        tickUpper,
        amount0Desired: btc.tokenIsToken0 ? btcInBand : 0n,
        amount1Desired: btc.tokenIsToken0 ? 0n : btcInBand,
        amount0Min: 0,
        amount1Min: 0,
        recipient: deployer.address,
        deadline: MaxUint256,
      })
    ).wait();
    const admin = await adminOf(f);
    await executeAsAdmin(admin, adminCall(vault, "setPoolAllowed", [poolAddress, true]));
    await refreshFeeds(deployer, f.market);

    // About 1.5x what the band can absorb at half price: ~2/3 fills, worth more than 99 % of the oracle value.
    const amountIn = BigInt(Math.round((0.05 * btc.priceUsd * 0.5 * 1.5))) * USDC;
    const trade = { ...(await buyTrade(f, btc, amountIn)), data: singleHopPath(stable, 3000, btc.address) };
    const adapter = UniswapV3Adapter__factory.connect(f.deployment.adapter, deployer);
    await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).to.be.revertedWithCustomError(adapter, "UniswapV3AdapterPartialFill");
    // Nothing stays in the adapter, and a trade the band can take in full goes through.
    expect(await TestToken__factory.connect(stable, deployer).balanceOf(f.deployment.adapter)).to.equal(0n);
    const small = { ...(await buyTrade(f, btc, amountIn / 3n)), data: singleHopPath(stable, 3000, btc.address) };
    await (await vault.executeTrades([small], MaxUint256, await vault.batchSequence())).wait();
    expect(await TestToken__factory.connect(stable, deployer).balanceOf(f.deployment.adapter)).to.equal(0n);
  });
});
