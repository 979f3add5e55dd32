import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { Contract, MaxUint256, solidityPacked } from "ethers";
import { ethers, networkHelpers, vaultFixture } from "../fixtures.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { listV2Pair, listV3Pool, type FundToken, type PoolAsset } from "../../devnet/listPools.js";
import { approximateTickAtSqrtPrice, bandTicks, sqrtPriceX96ForPrice } from "../../devnet/poolMath.js";
import { SwapRouter02Adapter__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { refreshFeeds } from "../helpers/market.js";
import { executeAsAdmin } from "../helpers/timelock.js";
import { adminCall, adminOf, commitEqualTargets, contractsOf, dayStartEpoch, USDC } from "../helpers/vault.js";
import type { MarketToken } from "../../devnet/deployMarket.js";

/** router-sdk's mixed-route marker for a V2 hop. */
const V2 = 0x800000;
const WETH_USD = 3_000;

/** A mixed-route path: token, fee, token, ..., token. */
function route(...parts: (string | number)[]): string {
  return solidityPacked(
    parts.map((_, i) => (i % 2 === 0 ? "address" : "uint24")),
    parts,
  );
}

/**
 * The ten-token vault with $1M deposited and equal targets, plus SwapRouter02's venues: WETH/USDC (V3 0.05 %,
 * $20M), A/WETH (V3 0.3 %, $5M) and A/WETH (V2, $2M), a B/USDC V2 pair ($2M), all allowlisted with the
 * SwapRouter02 adapter through the timelock.
 */
async function routedVaultFixture() {
  const f = await vaultFixture();
  const [deployer] = await ethers.getSigners();
  const { vault } = contractsOf(f);
  const adapter = await new SwapRouter02Adapter__factory(deployer).deploy(f.deployment.vault, f.market.swapRouter02);
  const weth = new Contract(f.market.weth9, uniswapArtifacts.weth9.abi, deployer);
  const approved = new Set<string>();
  const fund: FundToken = async (token, amount) => {
    if (token === f.market.weth9) await (await weth.deposit({ value: amount })).wait();
    else await (await TestToken__factory.connect(token, deployer).mint(deployer.address, amount)).wait();
    if (!approved.has(token)) {
      await (await new Contract(token, uniswapArtifacts.weth9.abi, deployer).approve(f.market.positionManager, MaxUint256)).wait();
      approved.add(token);
    }
  };
  const asset = (t: MarketToken): PoolAsset => ({ address: t.address, decimals: t.decimals, priceUsd: t.priceUsd });
  const usdc: PoolAsset = { address: f.market.stablecoin.address, decimals: 6, priceUsd: 1 };
  const wethAsset: PoolAsset = { address: f.market.weth9, decimals: 18, priceUsd: WETH_USD };
  const [a, b, c] = [f.market.tokens[3], f.market.tokens[4], f.market.tokens[5]];
  const v3 = { deployer, positionManager: f.market.positionManager, factory: f.market.factory, fund, observationCardinality: 8 };
  const wethUsdc = await listV3Pool({ ...v3, base: wethAsset, quote: usdc, fee: 500, liquidityUsd: 20e6 });
  const aWeth = await listV3Pool({ ...v3, base: asset(a), quote: wethAsset, fee: 3000, liquidityUsd: 5e6 });
  const v2 = { deployer, factoryV2: f.market.factoryV2, fund };
  const aWethPair = await listV2Pair({ ...v2, base: asset(a), quote: wethAsset, liquidityUsd: 2e6 });
  const bUsdcPair = await listV2Pair({ ...v2, base: asset(b), quote: usdc, liquidityUsd: 2e6 });
  const allowed = [wethUsdc.pool, aWeth.pool, aWethPair, bUsdcPair];
  await executeAsAdmin(
    await adminOf(f),
    adminCall(vault, "setAdapterAllowed", [await adapter.getAddress(), true]),
    ...allowed.map((pool) => adminCall(vault, "setPoolAllowed", [pool, true])),
  );
  await refreshFeeds(deployer, f.market);
  await (await vault.connect(f.depositors[0]).deposit(1_000_000n * USDC, f.depositors[0].address)).wait();
  await commitEqualTargets(f);
  const quoter = new Contract(f.market.mixedRouteQuoter, uniswapArtifacts.mixedRouteQuoterV1.abi, deployer);
  return { ...f, adapter, a, b, c, fund, v3, v2, usdc, wethAsset, asset, quoter, pools: { wethUsdc: wethUsdc.pool, aWeth: aWeth.pool, aWethPair, bUsdcPair } };
}
type RoutedFixture = Awaited<ReturnType<typeof routedVaultFixture>>;

/** A vault trade through the SwapRouter02 adapter, its minAmountOut the oracle floor. */
async function routedTrade(f: RoutedFixture, tokenIn: string, tokenOut: string, amountIn: bigint, data: string) {
  const { vault } = contractsOf(f);
  return { adapter: await f.adapter.getAddress(), tokenIn, tokenOut, amountIn, minAmountOut: await vault.oracleMinAmountOut(tokenIn, tokenOut, amountIn), data };
}

/** Runs one trade as the keeper and returns what the vault received (TradeExecuted's amountOut). */
async function execute(f: RoutedFixture, trade: Awaited<ReturnType<typeof routedTrade>>): Promise<bigint> {
  const { vault } = contractsOf(f);
  const receipt = await (await vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).wait();
  const event = receipt!.logs.map((log) => vault.interface.parseLog(log)).find((e) => e?.name === "TradeExecuted");
  return event!.args.amountOut as bigint;
}

/** What WETH and the trade's tokens the vault's neighbours hold: the adapter and the router must hold none. */
async function leftovers(f: RoutedFixture, tokens: string[]): Promise<bigint[]> {
  const holders = [await f.adapter.getAddress(), f.market.swapRouter02];
  const out: bigint[] = [];
  for (const token of [f.market.weth9, ...tokens]) {
    const erc20 = TestToken__factory.connect(token, f.keeper);
    for (const holder of holders) out.push(await erc20.balanceOf(holder));
    out.push(await erc20.allowance(await f.adapter.getAddress(), f.market.swapRouter02));
  }
  out.push(await TestToken__factory.connect(f.market.weth9, f.keeper).balanceOf(f.deployment.vault));
  return out;
}

describe("SwapRouter02Adapter: vault trades over V3 and V2 routes through the real SwapRouter02", function () {
  it("a V3 single hop fills exactly at the quoter's quote", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const btc = f.market.tokens[0];
    const path = route(f.usdc.address, btc.fee, btc.address);
    const quote = (await f.quoter.quoteExactInput.staticCall(path, 50_000n * USDC))[0] as bigint;
    expect(await execute(f, await routedTrade(f, f.usdc.address, btc.address, 50_000n * USDC, path))).to.equal(quote);
    expect((await leftovers(f, [f.usdc.address, btc.address])).every((x) => x === 0n)).to.equal(true);
  });

  it("a V3 multi-hop via WETH is one vault trade at the quoter's quote, and WETH rests nowhere", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const path = route(f.usdc.address, 500, f.market.weth9, 3000, f.a.address);
    const quote = (await f.quoter.quoteExactInput.staticCall(path, 40_000n * USDC))[0] as bigint;
    const { vault } = contractsOf(f);
    const trade = await routedTrade(f, f.usdc.address, f.a.address, 40_000n * USDC, path);
    await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
      .to.emit(vault, "TradeExecuted")
      .withArgs(anyValue, await f.adapter.getAddress(), f.usdc.address, f.a.address, 40_000n * USDC, quote, trade.minAmountOut, anyValue, anyValue);
    expect((await leftovers(f, [f.usdc.address, f.a.address])).every((x) => x === 0n)).to.equal(true);
  });

  it("a V2 exact-input trade fills at the quoter's quote", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const path = route(f.usdc.address, V2, f.b.address);
    const quote = (await f.quoter.quoteExactInput.staticCall(path, 10_000n * USDC))[0] as bigint;
    expect(await execute(f, await routedTrade(f, f.usdc.address, f.b.address, 10_000n * USDC, path))).to.equal(quote);
    expect((await leftovers(f, [f.usdc.address, f.b.address])).every((x) => x === 0n)).to.equal(true);
  });

  it("a mixed route (V2 pair into WETH, then the V3 WETH/USDC pool) sells in one trade at the quoter's quote", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const { vault } = contractsOf(f);
    // Buy A first (V3 via WETH), then sell half of it back through the V2 pair and the V3 pool.
    await execute(f, await routedTrade(f, f.usdc.address, f.a.address, 40_000n * USDC, route(f.usdc.address, 500, f.market.weth9, 3000, f.a.address)));
    // A new epoch without A, so that selling it moves toward the targets (the vault's position check).
    const others = f.market.tokens.filter((t) => t.address !== f.a.address);
    await (await vault.commitTargets(await dayStartEpoch(), 0, [f.usdc.address, ...others.map((t) => t.address)], [10_000 - 1_000 * others.length, ...others.map(() => 1_000)], ethers.id("without A"))).wait();
    const held = await TestToken__factory.connect(f.a.address, f.keeper).balanceOf(f.deployment.vault);
    const path = route(f.a.address, V2, f.market.weth9, 500, f.usdc.address);
    const quote = (await f.quoter.quoteExactInput.staticCall(path, held / 2n))[0] as bigint;
    const cashBefore = await TestToken__factory.connect(f.usdc.address, f.keeper).balanceOf(f.deployment.vault);
    expect(await execute(f, await routedTrade(f, f.a.address, f.usdc.address, held / 2n, path))).to.equal(quote);
    expect(await TestToken__factory.connect(f.usdc.address, f.keeper).balanceOf(f.deployment.vault)).to.equal(cashBefore + quote);
    expect((await leftovers(f, [f.usdc.address, f.a.address])).every((x) => x === 0n)).to.equal(true);
    expect(await vault.isPoolAllowed(f.pools.aWethPair)).to.equal(true);
  });

  it("a partial fill (a pool with a liquidity gap) reverts the trade, leaving nothing in the adapter", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const { vault } = contractsOf(f);
    const [deployer] = await ethers.getSigners();
    // A 1 % C/USDC pool priced at a tenth of C's oracle price, with one narrow position ($10k) and nothing outside it.
    const c = f.c;
    const cIsToken0 = c.address.toLowerCase() < f.usdc.address.toLowerCase();
    const side = { tokenIsToken0: cIsToken0, tokenDecimals: c.decimals, stableDecimals: 6 };
    const sqrtPriceX96 = sqrtPriceX96ForPrice(side, c.priceUsd / 10);
    const [token0, token1] = cIsToken0 ? [c.address, f.usdc.address] : [f.usdc.address, c.address];
    const npm = new Contract(f.market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
    await (await npm.createAndInitializePoolIfNecessary(token0, token1, 10_000, sqrtPriceX96)).wait();
    const [tickLower, tickUpper] = bandTicks(approximateTickAtSqrtPrice(sqrtPriceX96), 0.05, 200);
    const cAmount = BigInt(Math.round((5_000 / (c.priceUsd / 10)) * 10 ** Math.min(c.decimals, 15))) * 10n ** BigInt(c.decimals - Math.min(c.decimals, 15));
    await f.fund(c.address, cAmount);
    await f.fund(f.usdc.address, 5_000n * USDC);
    const [amount0, amount1] = cIsToken0 ? [cAmount, 5_000n * USDC] : [5_000n * USDC, cAmount];
    await (await npm.mint({ token0, token1, fee: 10_000, tickLower, tickUpper, amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0, amount1Min: 0, recipient: deployer.address, deadline: MaxUint256 })).wait();
    const gapped: string = await new Contract(f.market.factory, uniswapArtifacts.factory.abi, deployer).getPool(token0, token1, 10_000);
    await executeAsAdmin(await adminOf(f), adminCall(vault, "setPoolAllowed", [gapped, true]));
    await refreshFeeds(deployer, f.market);

    const amountIn = 20_000n * USDC;
    const trade = await routedTrade(f, f.usdc.address, c.address, amountIn, route(f.usdc.address, 10_000, c.address));
    // The output alone would clear the oracle floor (the pool is cheap): only the unspent input stops the trade.
    const quote = (await f.quoter.quoteExactInput.staticCall(route(f.usdc.address, 10_000, c.address), amountIn))[0] as bigint;
    expect(quote > trade.minAmountOut).to.equal(true);
    await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
      .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterPartialFill")
      .withArgs(amountIn, anyValue);
    expect((await leftovers(f, [f.usdc.address, c.address])).every((x) => x === 0n)).to.equal(true);
  });

  it("tokens donated to the adapter block no trade and are never swept into one", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const [deployer] = await ethers.getSigners();
    const adapterAddress = await f.adapter.getAddress();
    await (await TestToken__factory.connect(f.usdc.address, deployer).mint(adapterAddress, 1n)).wait();
    await f.fund(f.market.weth9, 1n);
    await (await new Contract(f.market.weth9, uniswapArtifacts.weth9.abi, deployer).transfer(adapterAddress, 1n)).wait();
    const path = route(f.usdc.address, 500, f.market.weth9, V2, f.a.address);
    const quote = (await f.quoter.quoteExactInput.staticCall(path, 10_000n * USDC))[0] as bigint;
    expect(await execute(f, await routedTrade(f, f.usdc.address, f.a.address, 10_000n * USDC, path))).to.equal(quote);
    expect(await TestToken__factory.connect(f.market.weth9, f.keeper).balanceOf(adapterAddress)).to.equal(1n);
  });

  it("an intermediate pool that cannot take all the WETH reverts the trade, inside a V3 multi-hop or between legs", async function () {
    const f = await networkHelpers.loadFixture(routedVaultFixture);
    const { vault } = contractsOf(f);
    const [deployer] = await ethers.getSigners();
    // A 1 % C/WETH pool at a tenth of C's price with one narrow $10k position: it takes only part of the WETH.
    const c = f.c;
    const cIsToken0 = c.address.toLowerCase() < f.market.weth9.toLowerCase();
    const sqrtPriceX96 = sqrtPriceX96ForPrice({ tokenIsToken0: cIsToken0, tokenDecimals: c.decimals, stableDecimals: 18 }, c.priceUsd / 10 / WETH_USD);
    const [token0, token1] = cIsToken0 ? [c.address, f.market.weth9] : [f.market.weth9, c.address];
    const npm = new Contract(f.market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
    await (await npm.createAndInitializePoolIfNecessary(token0, token1, 10_000, sqrtPriceX96)).wait();
    const [tickLower, tickUpper] = bandTicks(approximateTickAtSqrtPrice(sqrtPriceX96), 0.05, 200);
    const cAmount = (BigInt(Math.round(5_000 / (c.priceUsd / 10))) + 1n) * 10n ** BigInt(c.decimals);
    const wethAmount = (5_000n * 10n ** 18n) / BigInt(WETH_USD);
    await f.fund(c.address, cAmount);
    await f.fund(f.market.weth9, wethAmount);
    const [amount0, amount1] = cIsToken0 ? [cAmount, wethAmount] : [wethAmount, cAmount];
    await (await npm.mint({ token0, token1, fee: 10_000, tickLower, tickUpper, amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0, amount1Min: 0, recipient: deployer.address, deadline: MaxUint256 })).wait();
    const gapped: string = await new Contract(f.market.factory, uniswapArtifacts.factory.abi, deployer).getPool(token0, token1, 10_000);
    const wethUsdcPair = await listV2Pair({ ...f.v2, base: f.wethAsset, quote: f.usdc, liquidityUsd: 2e6 });
    await executeAsAdmin(await adminOf(f), adminCall(vault, "setPoolAllowed", [gapped, true]), adminCall(vault, "setPoolAllowed", [wethUsdcPair, true]));
    await refreshFeeds(deployer, f.market);

    const multiHop = await routedTrade(f, f.usdc.address, c.address, 20_000n * USDC, route(f.usdc.address, 500, f.market.weth9, 10_000, c.address));
    await expect(vault.executeTrades([multiHop], MaxUint256, await vault.batchSequence()))
      .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterIntermediateLeft")
      .withArgs(f.market.weth9, anyValue);
    const betweenLegs = await routedTrade(f, f.usdc.address, c.address, 20_000n * USDC, route(f.usdc.address, V2, f.market.weth9, 10_000, c.address));
    await expect(vault.executeTrades([betweenLegs], MaxUint256, await vault.batchSequence()))
      .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterIntermediateLeft")
      .withArgs(f.market.weth9, anyValue);
    // The same route for what the pool can take goes through, and leaves no WETH anywhere.
    const small = await routedTrade(f, f.usdc.address, c.address, 2_000n * USDC, route(f.usdc.address, V2, f.market.weth9, 10_000, c.address));
    await (await vault.executeTrades([small], MaxUint256, await vault.batchSequence())).wait();
    expect((await leftovers(f, [f.usdc.address, c.address])).every((x) => x === 0n)).to.equal(true);
  });

  describe("#attacks on real pools", function () {
    it("a route through an attacker's pool or pair (not allowlisted) reverts, naming the pool", async function () {
      const f = await networkHelpers.loadFixture(routedVaultFixture);
      const { vault } = contractsOf(f);
      const attackerV3 = await listV3Pool({ ...f.v3, base: f.asset(f.a), quote: f.wethAsset, fee: 10_000, liquidityUsd: 1e6 });
      const attackerV2 = await listV2Pair({ ...f.v2, base: f.asset(f.a), quote: f.usdc, liquidityUsd: 1e6 });
      const viaV3 = await routedTrade(f, f.usdc.address, f.a.address, 1_000n * USDC, route(f.usdc.address, 500, f.market.weth9, 10_000, f.a.address));
      await expect(vault.executeTrades([viaV3], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterPoolNotAllowed")
        .withArgs(f.market.weth9, f.a.address, 10_000, attackerV3.pool);
      const viaV2 = await routedTrade(f, f.usdc.address, f.a.address, 1_000n * USDC, route(f.usdc.address, V2, f.a.address));
      await expect(vault.executeTrades([viaV2], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterPoolNotAllowed")
        .withArgs(f.usdc.address, f.a.address, V2, attackerV2);
      // A V2 hop where no pair exists at all.
      const noPair = await routedTrade(f, f.usdc.address, f.market.tokens[0].address, 1_000n * USDC, route(f.usdc.address, V2, f.market.tokens[0].address));
      await expect(vault.executeTrades([noPair], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterPoolNotAllowed")
        .withArgs(f.usdc.address, f.market.tokens[0].address, V2, ethers.ZeroAddress);
    });

    it("a cyclic route over allowlisted pools reverts", async function () {
      const f = await networkHelpers.loadFixture(routedVaultFixture);
      const { vault } = contractsOf(f);
      const btc = f.market.tokens[0];
      const cyclic = route(f.usdc.address, 500, f.market.weth9, 500, f.usdc.address, btc.fee, btc.address);
      const trade = await routedTrade(f, f.usdc.address, btc.address, 1_000n * USDC, cyclic);
      await expect(vault.executeTrades([trade], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterCyclicPath")
        .withArgs(f.usdc.address);
    });

    it("a route ending in another token than tokenOut, or in an unregistered token, reverts", async function () {
      const f = await networkHelpers.loadFixture(routedVaultFixture);
      const { vault } = contractsOf(f);
      // Declared A, routed to WETH: the adapter refuses the mismatch.
      const toWeth = route(f.usdc.address, 500, f.market.weth9);
      const mismatch = { ...(await routedTrade(f, f.usdc.address, f.a.address, 1_000n * USDC, toWeth)) };
      await expect(vault.executeTrades([mismatch], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterPathMismatch")
        .withArgs(f.usdc.address, f.market.weth9);
      // Declared WETH honestly: the vault refuses an unregistered token before any swap.
      const toUnregistered = { adapter: await f.adapter.getAddress(), tokenIn: f.usdc.address, tokenOut: f.market.weth9, amountIn: 1_000n * USDC, minAmountOut: 1n, data: toWeth };
      await expect(vault.executeTrades([toUnregistered], MaxUint256, await vault.batchSequence()))
        .to.be.revertedWithCustomError(vault, "IndexVaultUnknownToken")
        .withArgs(f.market.weth9);
    });

    it("ETH anyone leaves in SwapRouter02 does not block a trade routed via WETH", async function () {
      // SwapRouter02's pay() settles a WETH payment from its own ETH balance whenever that covers it, instead
      // of pulling the payer's WETH. Any payable router call leaves ETH there (unwrapWETH9 with no WETH to
      // unwrap, say), and refundETH gives it back to whoever calls it: a free front-run / back-run pair.
      const f = await networkHelpers.loadFixture(routedVaultFixture);
      const { vault } = contractsOf(f);
      const attacker = (await ethers.getSigners())[10];
      const router = new Contract(f.market.swapRouter02, uniswapArtifacts.swapRouter02.abi, attacker);
      const stake = ethers.parseEther("100");
      await (await router["unwrapWETH9(uint256,address)"](0, attacker.address, { value: stake })).wait();
      expect(await ethers.provider.getBalance(f.market.swapRouter02)).to.equal(stake);

      // $40k of USDC into A via WETH (~13 WETH in the middle): inside one V3 leg, then across a V3 and a V2 leg.
      const multiHop = await routedTrade(f, f.usdc.address, f.a.address, 40_000n * USDC, route(f.usdc.address, 500, f.market.weth9, 3000, f.a.address));
      await (await vault.executeTrades([multiHop], MaxUint256, await vault.batchSequence())).wait();
      const betweenLegs = await routedTrade(f, f.usdc.address, f.a.address, 20_000n * USDC, route(f.usdc.address, 500, f.market.weth9, V2, f.a.address));
      await (await vault.executeTrades([betweenLegs], MaxUint256, await vault.batchSequence())).wait();
      expect((await leftovers(f, [f.usdc.address, f.a.address])).every((x) => x === 0n)).to.equal(true);
      // The ETH is back where its owner left it, and the adapter keeps none.
      expect(await ethers.provider.getBalance(f.market.swapRouter02)).to.equal(stake);
      expect(await ethers.provider.getBalance(await f.adapter.getAddress())).to.equal(0n);
      await expect(attacker.sendTransaction({ to: await f.adapter.getAddress(), value: 1n }))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterUnexpectedEth")
        .withArgs(attacker.address);
      // Nor from the router outside a swap (WETH left in the router, unwrapped to the adapter), where it would be stuck.
      const weth = new Contract(f.market.weth9, uniswapArtifacts.weth9.abi, attacker);
      await (await weth.deposit({ value: 1n })).wait();
      await (await weth.transfer(f.market.swapRouter02, 1n)).wait();
      await expect(router["unwrapWETH9(uint256,address)"](0, await f.adapter.getAddress())).to.be.revert(ethers);
      expect(await ethers.provider.getBalance(await f.adapter.getAddress())).to.equal(0n);
    });

    it("only the vault may call the adapter", async function () {
      const f = await networkHelpers.loadFixture(routedVaultFixture);
      await expect(f.adapter.connect(f.keeper).swap(f.usdc.address, f.a.address, 1n, 1n, route(f.usdc.address, 500, f.market.weth9)))
        .to.be.revertedWithCustomError(f.adapter, "SwapRouter02AdapterOnlyVault")
        .withArgs(f.keeper.address);
    });
  });
});
