// The investability screen on on-chain depth, on the devnet's real Uniswap V3 pools: a pool made thin before the
// data cut-off screens its token out of the committed targets, a pool made thin after it does not (the depth is
// read at the first block at or after the cut-off), and the audit re-derives the targets from the snapshot.
import { expect } from "chai";
import { Contract } from "ethers";
import { encodeSqrtRatioX96 } from "@uniswap/v3-sdk";
import { computeTargets, DEFAULT_MIN_ONCHAIN_DEPTH_USD, nextWeeklyRebalance, type SnapshotV2 } from "../../../keeper/core/index.js";
import { runAudit } from "../../../keeper/audit/index.js";
import { poolDepthNearPrice } from "../../../keeper/chain/poolDepthNearPrice.js";
import { readPoolState } from "../../../keeper/chain/readPoolState.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { createKeeperJobs } from "../../../keeper/run/createKeeperJobs.js";
import { devnetProviderId } from "../../../devnet/marketTokenList.js";
import type { Market } from "../../../devnet/deployMarket.js";
import { ethers } from "../../fixtures.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

/** Takes all but 1/1000 of the deployer's liquidity out of `token`'s stablecoin pool: the pool stays, thin. */
async function thinPool(market: Market, token: string): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const npm = new Contract(market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
  const owned = Number(await npm.balanceOf(deployer.address));
  for (let i = 0; i < owned; i++) {
    const id: bigint = await npm.tokenOfOwnerByIndex(deployer.address, i);
    const position = await npm.positions(id);
    const pair = [position.token0.toLowerCase(), position.token1.toLowerCase()];
    if (!pair.includes(token.toLowerCase()) || !pair.includes(market.stablecoin.address.toLowerCase()) || position.liquidity === 0n) continue;
    const take = position.liquidity - position.liquidity / 1000n;
    await (await npm.decreaseLiquidity({ tokenId: id, liquidity: take, amount0Min: 0, amount1Min: 0, deadline: 2n ** 64n })).wait();
  }
}

describe("keeper depth screen on the devnet's pools", function () {
  it("screens out a token whose pool is thin at the data cut-off, not one thinned after it, and the audit re-derives the targets", async function () {
    const { ctx, advanceDay, market, deployment } = await setUpKeeperOnDevnet();
    // Ranks 3 and 4 of the market: both would be constituents.
    const [thinBefore, thinAfter] = [market.tokens[2]!, market.tokens[3]!];
    const monday = nextWeeklyRebalance(await chainNow());
    const cutoffS = monday.getTime() / 1000 - 86_400;
    await thinPool(market, thinBefore.address);
    while ((await chainNow()).getTime() / 1000 < cutoffS) await advanceDay();
    await thinPool(market, thinAfter.address);
    while ((await chainNow()).getTime() < monday.getTime()) await advanceDay();

    const result = await createKeeperJobs(ctx).weekly(await chainNow());
    expect(result.commit).to.equal("sent");
    const snapshot = result.targets!.snapshot as SnapshotV2;
    expect(snapshot.methodology).to.include({ minOnChainDepthUsd: DEFAULT_MIN_ONCHAIN_DEPTH_USD, depthBandBps: 200 });
    const block = (await ethers.provider.getBlock(snapshot.depthRead!.block))!;
    const before = (await ethers.provider.getBlock(snapshot.depthRead!.block - 1))!;
    expect(block.timestamp).to.be.at.least(cutoffS);
    expect(before.timestamp).to.be.below(cutoffS);
    expect(snapshot.depthRead).to.deep.equal({ block: block.number, blockHash: block.hash, timestamp: block.timestamp });

    const asset = (symbol: string) => snapshot.universe.find((a) => a.id === devnetProviderId(symbol))!;
    expect(asset(thinBefore.symbol).onChainDepthUsd).to.be.below(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
    expect(asset(thinAfter.symbol).onChainDepthUsd).to.be.above(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
    // Every registered token was read; ids without a token on the vault (off-chain) have no depth.
    for (const id of snapshot.registry) expect(snapshot.universe.find((a) => a.id === id)?.onChainDepthUsd, id).to.be.a("number");
    expect(snapshot.universe.filter((a) => !snapshot.registry.includes(a.id)).every((a) => a.onChainDepthUsd === undefined)).to.equal(true);

    const derived = computeTargets(snapshot);
    expect(derived.excluded).to.deep.include({ id: devnetProviderId(thinBefore.symbol), symbol: asset(thinBefore.symbol).symbol, reason: "depth" });
    expect(derived.weightsBps.has(devnetProviderId(thinBefore.symbol))).to.equal(false);
    expect(derived.weightsBps.get(devnetProviderId(thinAfter.symbol))).to.be.above(0);
    const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect(state.targets.find((t) => t.token.address === thinBefore.address)?.weightBps ?? 0).to.equal(0);
    // Without the screen the same snapshot would hold it: the depth alone decided.
    expect(computeTargets({ ...snapshot, methodology: { ...snapshot.methodology, minOnChainDepthUsd: 0 } }).weightsBps.get(devnetProviderId(thinBefore.symbol))).to.be.above(0);

    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: ctx.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: ctx.settings.snapshotDir, tokenList: ctx.tokenList });
    expect(report.violations).to.deep.equal([]);
    expect(ok).to.equal(true);
    expect(report.epochs.map((e) => [e.epoch, e.verdict])).to.deep.equal([[String(monday.getTime() / 1000), "pass"]]);
  });

  it("a pool's depth within 2 % of the oracle price is what the pool itself swaps up to that price (QuoterV2)", async function () {
    const { ctx, market } = await setUpKeeperOnDevnet();
    const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    const factory = new Contract(market.factory, uniswapArtifacts.factory.abi, ethers.provider);
    const quoter = new Contract(market.quoterV2, uniswapArtifacts.quoterV2.abi, ethers.provider);
    for (const token of [market.tokens[0]!, market.tokens[5]!]) {
      const pool: string = await factory.getPool(token.address, market.stablecoin.address, token.fee);
      const price = state.pricesAsset18.get(token.address)!;
      const baseRaw = 10n ** BigInt(18 + token.decimals);
      const poolState = await readPoolState({ runner: ethers.provider, pool, blockTag: state.blockNumber, wordRadius: 2 });
      const depth = await poolDepthNearPrice({ state: poolState, quoteToken: market.stablecoin.address, quoteRaw: price, baseRaw, bandBps: 200 });
      // The token's price 2 % under the oracle's, as the pool's sqrt price (token1 per token0, raw).
      const stableIs0 = poolState.token0.toLowerCase() === market.stablecoin.address.toLowerCase();
      const edge = stableIs0 ? encodeSqrtRatioX96((baseRaw * 10_000n).toString(), (price * 9_800n).toString()) : encodeSqrtRatioX96((price * 9_800n).toString(), (baseRaw * 10_000n).toString());
      const [amountOut] = await quoter.quoteExactInputSingle.staticCall(
        { tokenIn: token.address, tokenOut: market.stablecoin.address, amountIn: 1n << 120n, fee: token.fee, sqrtPriceLimitX96: edge.toString() },
        { blockTag: state.blockNumber },
      );
      expect(depth.sellQuoteRaw, token.symbol).to.equal(amountOut);
      expect(depth.buyQuoteRaw, token.symbol).to.be.above(0n);
    }
  });
});
