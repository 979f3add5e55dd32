import { expect } from "chai";
import { Contract, MaxUint256 } from "ethers";
import { ethers, marketFixture, networkHelpers } from "../fixtures.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { moveMarket, poolPrice } from "../../devnet/moveMarket.js";
import { readPoolState } from "../../keeper/chain/readPoolState.js";
import { simulateExactInput } from "../../keeper/chain/simulateSwap.js";
import { TickWindowExceededError } from "../../keeper/chain/windowTickDataProvider.js";
import { TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import type { Market, MarketToken } from "../../devnet/deployMarket.js";

const bySymbol = (market: Market, symbol: string): MarketToken => {
  const token = market.tokens.find((t) => t.symbol === symbol);
  if (token === undefined) throw new Error(`no ${symbol}`);
  return token;
};

async function fundedTrader(market: Market) {
  const [deployer, trader] = await ethers.getSigners();
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  await (await stable.mint(trader.address, 10n ** 15n)).wait();
  await (await stable.connect(trader).approve(market.swapRouter, MaxUint256)).wait();
  return trader;
}

describe("devnet market", function () {
  it("deploys real Uniswap V3 pools at the specified prices, with BTC-like 8-decimal and 6-decimal tokens", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    expect(market.tokens).to.have.length(10);
    expect(bySymbol(market, "BTC").decimals).to.equal(8);
    expect(market.tokens.some((t) => t.decimals === 6)).to.equal(true);
    const [deployer] = await ethers.getSigners();
    const factory = new Contract(market.factory, uniswapArtifacts.factory.abi, deployer);
    for (const token of market.tokens) {
      expect(await factory.getPool(token.address, market.stablecoin.address, token.fee)).to.equal(token.pool);
      const price = await poolPrice(deployer, market, token);
      expect(Math.abs(price / token.priceUsd - 1)).to.be.lessThan(1e-4);
      const pool = new Contract(token.pool, uniswapArtifacts.pool.abi, deployer);
      const slot0 = await pool.slot0();
      expect(slot0.observationCardinalityNext).to.equal(32n);
    }
  });

  it("a SwapRouter swap moves the pool price and QuoterV2's quote equals the executed amount", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const trader = await fundedTrader(market);
    const eth = bySymbol(market, "ETH");
    const amountIn = 250_000n * 10n ** 6n;
    const quoter = new Contract(market.quoterV2, uniswapArtifacts.quoterV2.abi, trader);
    const params = { tokenIn: market.stablecoin.address, tokenOut: eth.address, amountIn, fee: eth.fee, sqrtPriceLimitX96: 0 };
    const [quotedOut] = await quoter.quoteExactInputSingle.staticCall(params);
    const priceBefore = await poolPrice(trader, market, eth);

    const token = TestToken__factory.connect(eth.address, trader);
    const balanceBefore = await token.balanceOf(trader.address);
    const router = new Contract(market.swapRouter, uniswapArtifacts.swapRouter.abi, trader);
    await (
      await router.exactInputSingle({ ...params, recipient: trader.address, deadline: MaxUint256, amountOutMinimum: 0 })
    ).wait();
    const received = (await token.balanceOf(trader.address)) - balanceBefore;

    expect(received).to.equal(quotedOut);
    expect(await poolPrice(trader, market, eth)).to.be.greaterThan(priceBefore);
  });

  for (const [label, amountUsd, expectCross] of [
    ["within one tick range", 1_000n, false],
    ["crossing initialized ticks", 60_000_000n, true],
  ] as const) {
    it(`the v3-sdk predicts an exact-input swap's amountOut to the wei from on-chain state (${label})`, async function () {
      const market = await networkHelpers.loadFixture(marketFixture);
      const trader = await fundedTrader(market);
      const btc = bySymbol(market, "BTC");
      const state = await readPoolState({ runner: trader, pool: btc.pool });
      const amountIn = amountUsd * 10n ** 6n;
      const predicted = await simulateExactInput({ state, chainId: market.chainId, tokenIn: market.stablecoin.address, amountIn });

      const token = TestToken__factory.connect(btc.address, trader);
      const before = await token.balanceOf(trader.address);
      const router = new Contract(market.swapRouter, uniswapArtifacts.swapRouter.abi, trader);
      const params = { tokenIn: market.stablecoin.address, tokenOut: btc.address, fee: btc.fee, recipient: trader.address, deadline: MaxUint256, amountIn, amountOutMinimum: 0, sqrtPriceLimitX96: 0 };
      await (await router.exactInputSingle(params)).wait();
      const executed = (await token.balanceOf(trader.address)) - before;

      expect(predicted.amountOut).to.equal(executed);
      const after = await readPoolState({ runner: trader, pool: btc.pool });
      expect(after.sqrtPriceX96).to.equal(predicted.sqrtPriceX96After);
      // Did the swap cross an initialized tick? Then the active liquidity changed.
      const crossed = state.ticks.some((t) => (t.index > state.tick && t.index <= after.tick) || (t.index <= state.tick && t.index > after.tick));
      expect(crossed).to.equal(expectCross);
      expect(after.liquidity !== state.liquidity).to.equal(expectCross);
    });
  }

  it("a read of only the tick-bitmap words near the price simulates exactly, and says so when a swap reaches beyond them", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const [deployer] = await ethers.getSigners();
    const btc = bySymbol(market, "BTC");
    const full = await readPoolState({ runner: deployer, pool: btc.pool });
    const near = await readPoolState({ runner: deployer, pool: btc.pool, wordRadius: 2 });
    expect(near.maxWord - near.minWord).to.equal(4);
    for (const amountIn of [1_000n * 10n ** 6n, 60_000_000n * 10n ** 6n]) {
      const args = { chainId: market.chainId, tokenIn: market.stablecoin.address, amountIn };
      expect((await simulateExactInput({ state: near, ...args })).amountOut).to.equal((await simulateExactInput({ state: full, ...args })).amountOut);
    }
    const one = await readPoolState({ runner: deployer, pool: btc.pool, wordRadius: 0 });
    const huge = simulateExactInput({ state: one, chainId: market.chainId, tokenIn: market.stablecoin.address, amountIn: 900_000_000n * 10n ** 6n });
    expect(await huge.catch((e: unknown) => e)).to.be.instanceOf(TickWindowExceededError);
  });

  it("moving a market lands the pool within 1 bp of the target and the feed agrees", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const [deployer] = await ethers.getSigners();
    const targets = new Map<string, number>();
    market.tokens.forEach((t, i) => targets.set(t.address, t.priceUsd * (i % 2 === 0 ? 1.37 : 0.61)));
    await moveMarket({ signer: deployer, market, pricesUsd: targets });
    for (const token of market.tokens) {
      const target = targets.get(token.address)!;
      const price = await poolPrice(deployer, market, token);
      expect(Math.abs(price / target - 1), token.symbol).to.be.lessThan(1e-4);
      const [, answer] = await TestPriceFeed__factory.connect(token.feed, deployer).latestRoundData();
      expect(Math.abs(Number(answer) / 1e8 / target - 1), token.symbol).to.be.lessThan(1e-4);
    }
  });

  it("a stablecoin depeg moves its feed and reprices every pool in stablecoin terms", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const [deployer] = await ethers.getSigners();
    const btc = bySymbol(market, "BTC");
    await moveMarket({ signer: deployer, market, pricesUsd: new Map([[btc.address, 60_000]]), stablecoinUsd: 0.95 });
    const [, answer] = await TestPriceFeed__factory.connect(market.stablecoin.feed, deployer).latestRoundData();
    expect(answer).to.equal(95_000_000n);
    expect(Math.abs((await poolPrice(deployer, market, btc)) / (60_000 / 0.95) - 1)).to.be.lessThan(1e-4);
  });
});
