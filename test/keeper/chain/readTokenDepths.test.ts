// On-chain depth on the devnet's real Uniswap V3 pools: each pool's depth within 2 % of the oracle price is what
// the pool itself swaps up to that price (QuoterV2), a pool made thin reads thin from that block on, and the reads
// are at the block asked for. The keeper's whole path (snapshot, commit, audit) is test/keeper/e2e/depthScreen.test.ts.
import { expect } from "chai";
import { Contract } from "ethers";
import { encodeSqrtRatioX96 } from "@uniswap/v3-sdk";
import { DEFAULT_MIN_ONCHAIN_DEPTH_USD } from "../../../keeper/core/index.js";
import { firstBlockAtOrAfter } from "../../../keeper/chain/firstBlockAtOrAfter.js";
import { venueDepthNearPrice } from "../../../keeper/core/routing/venueDepthNearPrice.js";
import { readVenueStates } from "../../../keeper/chain/readVenueStates.js";
import { readTokenDepths } from "../../../keeper/chain/readTokenDepths.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { ethers, networkHelpers, vaultFixture } from "../../fixtures.js";
import { thinPool } from "../../helpers/thinPool.js";

describe("keeper/chain #readTokenDepths / #venueDepthNearPrice on the devnet's pools", function () {
  it("measures what the pool itself swaps up to 2 % under and over the oracle price (QuoterV2)", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const state = await readVault({ runner: ethers.provider, vault: deployment.vault });
    const quoter = new Contract(market.quoterV2, uniswapArtifacts.quoterV2.abi, ethers.provider);
    // The 8-decimal BTC-like token (stablecoin token0 or token1 either way) and a 1 % pool further down.
    for (const token of [market.tokens[0]!, market.tokens[8]!]) {
      const price = state.pricesAsset18.get(token.address)!;
      const baseRaw = 10n ** BigInt(18 + token.decimals);
      const [stable0, stable1] = [market.stablecoin.address, token.address].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      const venue = { protocol: "v3" as const, address: token.pool, token0: stable0!, token1: stable1!, fee: token.fee };
      const states = await readVenueStates({ runner: ethers.provider, chainId: market.chainId, venues: [venue], blockTag: state.blockNumber, wordRadius: 2 });
      const depth = await venueDepthNearPrice({ state: states.get(token.pool.toLowerCase())!, quoteToken: market.stablecoin.address, quoteRaw: price, baseRaw, bandBps: 200 });
      // The band's edges as the pool's sqrt price (token1 per token0, raw), restated here from the definition.
      const stableIs0 = !token.tokenIsToken0;
      const edge = (bps: bigint) =>
        stableIs0 ? encodeSqrtRatioX96((baseRaw * 10_000n).toString(), (price * bps).toString()) : encodeSqrtRatioX96((price * bps).toString(), (baseRaw * 10_000n).toString());
      const at = { blockTag: state.blockNumber };
      const [sold] = await quoter.quoteExactInputSingle.staticCall({ tokenIn: token.address, tokenOut: market.stablecoin.address, amountIn: 1n << 120n, fee: token.fee, sqrtPriceLimitX96: edge(9_800n).toString() }, at);
      expect(depth.sellQuoteOut, `${token.symbol} sell`).to.equal(sold);
      const [paid] = await quoter.quoteExactOutputSingle.staticCall({ tokenIn: market.stablecoin.address, tokenOut: token.address, amount: 1n << 120n, fee: token.fee, sqrtPriceLimitX96: edge(10_200n).toString() }, at);
      expect(depth.buyQuoteIn, `${token.symbol} buy`).to.equal(paid);
    }
  });

  it("reads each token's depth at the block asked for: a pool thinned later still reads deep before it", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const before = await readVault({ runner: ethers.provider, vault: deployment.vault });
    const thin = market.tokens[2]!;
    await thinPool(market, thin.address);
    const after = await readVault({ runner: ethers.provider, vault: deployment.vault });
    const read = (state: typeof before) =>
      readTokenDepths({
        runner: ethers.provider,
        chainId: market.chainId,
        factoryV3: market.factory,
        vault: deployment.vault,
        stablecoin: market.stablecoin.address,
        connectors: [],
        tokens: state.assets.map((t) => t.address),
        blockTag: state.blockNumber,
        bandBps: 200,
      });
    const [then, now] = await Promise.all([read(before), read(after)]);
    const usd = (raw: bigint) => Number(raw) / 1e6;
    for (const token of market.tokens) {
      const key = token.address.toLowerCase();
      expect(then.get(key)!.pools, token.symbol).to.deep.equal([token.pool]);
      expect(usd(then.get(key)!.depthAsset), token.symbol).to.be.above(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
      if (token === thin) expect(usd(now.get(key)!.depthAsset)).to.be.below(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
      else expect(now.get(key)!.depthAsset, token.symbol).to.equal(then.get(key)!.depthAsset);
    }
  });

  it("finds the first block at or after a time, never before the block it starts from", async function () {
    const { deployment } = await networkHelpers.loadFixture(vaultFixture);
    const latest = await ethers.provider.getBlockNumber();
    const time = async (n: number) => (await ethers.provider.getBlock(n))!.timestamp;
    const target = await time(latest - 3);
    const found = await firstBlockAtOrAfter(ethers.provider, target, deployment.deployedAtBlock);
    expect(await time(found)).to.be.at.least(target);
    expect(await time(found - 1)).to.be.below(target);
    expect(await firstBlockAtOrAfter(ethers.provider, 0, deployment.deployedAtBlock)).to.equal(deployment.deployedAtBlock);
    expect(await firstBlockAtOrAfter(ethers.provider, (await time(latest)) + 86_400)).to.equal(latest);
  });
});
