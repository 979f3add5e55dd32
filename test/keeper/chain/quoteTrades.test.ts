import { expect } from "chai";
import { ethers, networkHelpers, vaultFixture } from "../../fixtures.js";
import { quoteTrades } from "../../../keeper/chain/quoteTrades.js";
import { readPoolState } from "../../../keeper/chain/readPoolState.js";
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
});
