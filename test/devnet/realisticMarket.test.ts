import { expect } from "chai";
import { Contract, MaxUint256, solidityPacked } from "ethers";
import { ethers, networkHelpers, realisticVaultFixture } from "../fixtures.js";
import { realisticTokenLayout, type TokenLayout } from "../../devnet/deployMarket.js";
import { moveMarket } from "../../devnet/moveMarket.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { readPoolHead } from "../../keeper/chain/readPoolState.js";
import { poolDepthAsset } from "../../keeper/chain/poolDepthAsset.js";
import { TestToken__factory } from "../../types/ethers-contracts/index.js";
import { commitEqualTargets, contractsOf, USDC } from "../helpers/vault.js";

const V2_HOP = 0x800000;
const erc20 = (address: string) => TestToken__factory.connect(address, ethers.provider);

/** USD held by a pool or pair in the stablecoin, WETH and `token` (at the seeding prices). */
async function poolValueUsd(pool: string, token: { address: string; decimals: number; priceUsd: number }, stable: string, weth: string, wethUsd: number): Promise<number> {
  const tokenUsd = (Number(await erc20(token.address).balanceOf(pool)) / 10 ** token.decimals) * token.priceUsd;
  const stableUsd = Number(await erc20(stable).balanceOf(pool)) / 1e6;
  const wethValue = (Number(await erc20(weth).balanceOf(pool)) / 1e18) * wethUsd;
  return tokenUsd + stableUsd + wethValue;
}

describe("devnet market: the realistic liquidity layout", function () {
  it("gives 100 constituents 10 direct, 20 two-tier, 20 V2-share, 40 WETH-only and 10 thin layouts", function () {
    const counts = new Map<TokenLayout, number>();
    for (let i = 0; i < 100; i++) counts.set(realisticTokenLayout(i), (counts.get(realisticTokenLayout(i)) ?? 0) + 1);
    expect(Object.fromEntries(counts)).to.deep.equal({ direct: 10, "two-tiers": 20, "v2-share": 20, "weth-only": 40, thin: 10 });
  });

  it("deploys each layout's pools and pairs, a $300M WETH/USDC pool, and allowlists every one of them", async function () {
    const f = await networkHelpers.loadFixture(realisticVaultFixture);
    const { market } = f;
    const { vault } = contractsOf(f);
    const weth = market.weth!;
    const stable = market.stablecoin.address;
    const wethUsdcUsd = await poolValueUsd(weth.pool, { address: market.weth9, decimals: 18, priceUsd: 0 }, stable, market.weth9, weth.priceUsd);
    expect(Math.abs(wethUsdcUsd / 300e6 - 1)).to.be.lessThan(0.01);
    expect(await vault.isPoolAllowed(weth.pool)).to.equal(true);
    expect(await vault.isAdapterAllowed(f.deployment.swapRouter02Adapter)).to.equal(true);
    expect(market.tokens.map((t) => t.layout)).to.deep.equal(["direct", "two-tiers", "v2-share", "weth-only", "weth-only", "two-tiers", "v2-share", "weth-only", "weth-only", "thin"]);
    for (const t of market.tokens) {
      for (const venue of t.venues) expect(await vault.isPoolAllowed(venue.pool), `${t.symbol} ${venue.pool}`).to.equal(true);
      const quotes = t.venues.map((v) => (v.quote === stable ? "usdc" : "weth"));
      const kinds = t.venues.map((v) => v.protocol);
      if (t.layout === "direct") expect([quotes, kinds]).to.deep.equal([["usdc"], ["v3"]]);
      if (t.layout === "two-tiers") {
        expect([quotes, kinds]).to.deep.equal([["usdc", "usdc"], ["v3", "v3"]]);
        expect(t.venues[0].fee).to.not.equal(t.venues[1].fee);
      }
      if (t.layout === "weth-only" || t.layout === "thin") expect([quotes, kinds]).to.deep.equal([["weth"], ["v3"]]);
      if (t.layout === "v2-share") {
        expect([quotes, kinds]).to.deep.equal([["usdc", "weth"], ["v3", "v2"]]);
        const v3Usd = await poolValueUsd(t.venues[0].pool, t, stable, market.weth9, weth.priceUsd);
        const v2Usd = await poolValueUsd(t.venues[1].pool, t, stable, market.weth9, weth.priceUsd);
        expect(Math.abs(v2Usd / (v2Usd + v3Usd) - 0.3)).to.be.lessThan(0.01);
      }
      if (t.layout === "thin") {
        // Depth (value that moves the price 2 %) in WETH raw units, at $3,000 a WETH.
        const depth = poolDepthAsset(await readPoolHead({ runner: ethers.provider, pool: t.pool }), market.weth9);
        expect((Number(depth) / 1e18) * weth.priceUsd).to.be.lessThan(1e6);
      }
    }
  });

  it("a WETH-only constituent is bought through WETH in one vault trade, priced for NAV by its feed, its market pool quoted in WETH", async function () {
    const f = await networkHelpers.loadFixture(realisticVaultFixture);
    const { vault, oracle } = contractsOf(f);
    const t = f.market.tokens.find((x) => x.layout === "weth-only")!;
    await (await vault.connect(f.depositors[0]).deposit(1_000_000n * USDC, f.depositors[0].address)).wait();
    await commitEqualTargets(f);
    const stable = f.market.stablecoin.address;
    const path = solidityPacked(["address", "uint24", "address", "uint24", "address"], [stable, 500, f.market.weth9, t.fee, t.address]);
    const amountIn = 50_000n * USDC;
    const trade = { adapter: f.deployment.swapRouter02Adapter, tokenIn: stable, tokenOut: t.address, amountIn, minAmountOut: await vault.oracleMinAmountOut(stable, t.address, amountIn), data: path };
    const navBefore = await vault.totalAssets();
    await (await vault.executeTrades([trade], MaxUint256, await vault.batchSequence())).wait();
    const held = await erc20(t.address).balanceOf(f.deployment.vault);
    expect(held >= trade.minAmountOut).to.equal(true);
    expect(await erc20(f.market.weth9).balanceOf(f.deployment.vault)).to.equal(0n);
    // NAV moved by the trade's cost only (fees and impact, well under the 2.5 % bound).
    const navAfter = await vault.totalAssets();
    expect(Number(navBefore - navAfter) / Number(amountIn)).to.be.within(0, 0.025);
    // The stale-NAV bound reads the token's WETH pool, priced through WETH's feed.
    expect(await oracle.marketPoolOf(t.address)).to.equal(t.pool);
    const pool = new Contract(t.pool, uniswapArtifacts.pool.abi, ethers.provider);
    expect([await pool.token0(), await pool.token1()]).to.include(f.market.weth9);
    // A V2-share token sells back through its V2 pair into WETH, then WETH/USDC.
    const v2Token = f.market.tokens.find((x) => x.layout === "v2-share")!;
    const buyV2 = { ...trade, tokenOut: v2Token.address, minAmountOut: await vault.oracleMinAmountOut(stable, v2Token.address, amountIn), data: solidityPacked(["address", "uint24", "address", "uint24", "address"], [stable, 500, f.market.weth9, V2_HOP, v2Token.address]) };
    await (await vault.executeTrades([buyV2], MaxUint256, await vault.batchSequence())).wait();
    expect(await erc20(v2Token.address).balanceOf(f.deployment.vault) >= buyV2.minAmountOut).to.equal(true);
  });

  it("moveMarket refuses the realistic layout instead of moving one venue of several", async function () {
    const f = await networkHelpers.loadFixture(realisticVaultFixture);
    const [deployer] = await ethers.getSigners();
    const error = await moveMarket({ signer: deployer, market: f.market, pricesUsd: new Map() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).to.match(/realistic liquidity layout/);
  });
});
