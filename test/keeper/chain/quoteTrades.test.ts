import { expect } from "chai";
import { ethers, networkHelpers, vaultFixture } from "../../fixtures.js";
import { Interface, type ContractRunner } from "ethers";
import { poolDepthAsset } from "../../../keeper/chain/poolDepthAsset.js";
import { quoteTrades } from "../../../keeper/chain/quoteTrades.js";
import { readPoolHead, readPoolState } from "../../../keeper/chain/readPoolState.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { resolvePools } from "../../../keeper/chain/resolvePools.js";
import { simulateExactInput } from "../../../keeper/chain/simulateSwap.js";
import { TickWindowExceededError } from "../../../keeper/chain/windowTickDataProvider.js";

describe("#quoteTrades", function () {
  it("quotes a swap that runs past the nearby tick words by reading the pool in full, to the same wei", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const [deployer] = await ethers.getSigners();
    const btc = market.tokens[0];
    const stable = market.stablecoin.address;
    const pools = await resolvePools({ runner: deployer, factory: market.factory, vault: deployment.vault, stablecoin: stable, tokens: [btc.address] });
    const small = { tokenIn: stable, tokenOut: btc.address, amountIn: 10_000n * 10n ** 6n };
    const huge = { tokenIn: stable, tokenOut: btc.address, amountIn: 900_000_000n * 10n ** 6n };
    const { quoted, rejected } = await quoteTrades({ runner: deployer, chainId: market.chainId, vault: deployment.vault, quoterV2: market.quoterV2, stablecoin: stable, pools, trades: [small, huge], slippageBps: 100 });

    // The small trade is quoted exactly; the huge one (through the moved pool) is too much for the vault's
    // oracle bound even at 1/16, so it is rejected, but only after an exact simulation over the full pool.
    const full = await readPoolState({ runner: deployer, pool: btc.pool });
    const near = await readPoolState({ runner: deployer, pool: btc.pool, wordRadius: 2 });
    const nearOnly = await simulateExactInput({ state: near, chainId: market.chainId, tokenIn: stable, amountIn: huge.amountIn }).catch((e: unknown) => e);
    expect(nearOnly, "the huge swap must need more than the nearby words").to.be.instanceOf(TickWindowExceededError);
    expect(quoted).to.have.length(1);
    expect(quoted[0].quotedOut).to.equal((await simulateExactInput({ state: full, chainId: market.chainId, tokenIn: stable, amountIn: small.amountIn })).amountOut);
    expect(rejected).to.have.length(1);
    expect(rejected[0].reason).to.match(/under the vault's oracle bound/);
  });

  it("cross-checks with QuoterV2 and refuses a trade with no allowlisted pool", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const [deployer] = await ethers.getSigners();
    const stable = market.stablecoin.address;
    const token = market.tokens[1].address;
    const { quoted, rejected } = await quoteTrades({ runner: deployer, chainId: market.chainId, vault: deployment.vault, quoterV2: market.quoterV2, stablecoin: stable, pools: new Map(), trades: [{ tokenIn: stable, tokenOut: token, amountIn: 10n ** 9n }], slippageBps: 100 });
    expect(quoted).to.have.length(0);
    expect(rejected[0].reason).to.equal(`no allowlisted pool for ${token} against the stablecoin`);
  });

  it("quotes from the round's pool heads at their block, reading only the ticks, to the same wei as a fresh read", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const [deployer] = await ethers.getSigners();
    const stable = market.stablecoin.address;
    const btc = market.tokens[0];
    const pools = await resolvePools({ runner: deployer, factory: market.factory, vault: deployment.vault, stablecoin: stable, tokens: [btc.address] });
    const trade = { tokenIn: stable, tokenOut: btc.address, amountIn: 50_000n * 10n ** 6n };
    const head = await readPoolHead({ runner: deployer, pool: btc.pool });
    expect(await readPoolState({ runner: deployer, pool: btc.pool, head, wordRadius: 2 })).to.deep.equal(await readPoolState({ runner: deployer, pool: btc.pool, blockTag: head.blockNumber, wordRadius: 2 }));
    await networkHelpers.mine(3);

    const pool = new Interface(uniswapArtifacts.pool.abi);
    const headReads = new Set([pool.getFunction("slot0")!.selector, pool.getFunction("liquidity")!.selector]);
    const counted = (reads: string[]): ContractRunner =>
      new Proxy(deployer, {
        get(target, prop) {
          if (prop === "call") return (tx: { to: string; data: string }) => (tx.to.toLowerCase() === btc.pool.toLowerCase() && headReads.has(tx.data.slice(0, 10)) && reads.push(tx.data.slice(0, 10)), target.call(tx));
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const quote = (runner: ContractRunner, poolHeads?: Map<string, typeof head>) =>
      quoteTrades({ runner, chainId: market.chainId, vault: deployment.vault, quoterV2: market.quoterV2, stablecoin: stable, pools, trades: [trade], slippageBps: 100, poolHeads });
    const withHeads: string[] = [];
    const fresh: string[] = [];
    const fromHeads = await quote(counted(withHeads), new Map([[btc.pool, head]]));
    const fromChain = await quote(counted(fresh));
    expect(withHeads, "the pool's slot0 and liquidity are not read again").to.deep.equal([]);
    expect(fresh).to.have.length(2);
    expect(fromHeads.quoted[0].quotedOut).to.equal(fromChain.quoted[0].quotedOut);
  });

  it("measures a pool's depth as the stablecoin that moves its price 2 %, as SqrtPriceMath does", async function () {
    const { market } = await networkHelpers.loadFixture(vaultFixture);
    const [deployer] = await ethers.getSigners();
    const stable = market.stablecoin.address;
    for (const token of market.tokens.slice(0, 4)) {
      const state = await readPoolState({ runner: deployer, pool: token.pool, wordRadius: 2 });
      const depth = poolDepthAsset(state, stable);
      // Swapped in (before the pool's fee), the depth moves the price by 2 % when the stablecoin is token1, and
      // by 1.98 % when it is token0 (the depth is measured on the price's way up, a buy pushes it down).
      const amountIn = (depth * 1_000_000n) / BigInt(1_000_000 - state.fee);
      const { sqrtPriceX96After } = await simulateExactInput({ state, chainId: market.chainId, tokenIn: stable, amountIn });
      const ratio = Number(sqrtPriceX96After) / Number(state.sqrtPriceX96);
      const move = Math.max(ratio, 1 / ratio) ** 2;
      expect(move, token.symbol).to.be.within(1.0197, 1.02);
    }
  });
});
