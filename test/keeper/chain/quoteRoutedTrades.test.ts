// The keeper's routed quotes (quoteRoutedTrades: v3-sdk and v2-sdk over the venues' states) against Uniswap's own
// MixedRouteQuoterV1 (deployed from @uniswap/swap-router-contracts' artifact on the realistic devnet), on the very
// path each quoted trade carries: a mixed V2/V3 route through a token's V2 pair and WETH/USDC, each way, and a
// V3 route via WETH for a token listed only against WETH. They must agree to the unit.
import { expect } from "chai";
import { Contract } from "ethers";
import { quoteRoutedTrades } from "../../../keeper/chain/quoteRoutedTrades.js";
import { resolveVenues } from "../../../keeper/chain/resolveVenues.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { V2_HOP_FEE } from "../../../keeper/core/routing/encodeRoute.js";
import { ethers, networkHelpers, realisticVaultFixture } from "../../fixtures.js";
import { USDC } from "../../helpers/vault.js";

describe("keeper/chain #quoteRoutedTrades against MixedRouteQuoterV1 (realistic devnet)", function () {
  it("quotes a mixed V2/V3 route each way and a V3 route via WETH exactly as MixedRouteQuoterV1 does on the same path", async function () {
    const f = await networkHelpers.loadFixture(realisticVaultFixture);
    const { market } = f;
    const stable = market.stablecoin.address;
    const weth = market.weth9;
    const venues = await resolveVenues({ runner: ethers.provider, vault: f.deployment.vault, factoryV3: market.factory, factoryV2: market.factoryV2, tokens: market.tokens.map((t) => t.address), quotes: [stable, weth] });
    const mixed = new Contract(market.mixedRouteQuoter, uniswapArtifacts.mixedRouteQuoterV1.abi, ethers.provider);
    const v2Token = market.tokens.find((t) => t.layout === "v2-share")!;
    const wethOnly = market.tokens.find((t) => t.layout === "weth-only")!;
    // Without the V2-share token's direct stablecoin pool, its only route is the mixed one through its V2 pair.
    const withoutDirect = venues.filter((v) => v.address.toLowerCase() !== v2Token.pool.toLowerCase());
    const tokenAmount = (t: typeof v2Token, usd: number) => BigInt(Math.round((usd / t.priceUsd) * 10 ** t.decimals));
    const cases = [
      { name: "mixed route, token -> V2 pair -> WETH -> V3 -> USDC", venues: withoutDirect, trade: { tokenIn: v2Token.address, tokenOut: stable, amountIn: tokenAmount(v2Token, 20_000) }, fees: [V2_HOP_FEE, market.weth!.fee] },
      { name: "mixed route, USDC -> V3 -> WETH -> V2 pair -> token", venues: withoutDirect, trade: { tokenIn: stable, tokenOut: v2Token.address, amountIn: 20_000n * USDC }, fees: [market.weth!.fee, V2_HOP_FEE] },
      { name: "WETH route, USDC -> V3 -> WETH -> V3 -> WETH-only token", venues, trade: { tokenIn: stable, tokenOut: wethOnly.address, amountIn: 50_000n * USDC }, fees: [market.weth!.fee, wethOnly.fee] },
    ];
    for (const c of cases) {
      const { quoted, rejected } = await quoteRoutedTrades({ runner: ethers.provider, chainId: market.chainId, vault: f.deployment.vault, venues: c.venues, connectors: [weth], trades: [c.trade], slippageBps: 50, legCostOut: () => 0n });
      expect(rejected, c.name).to.deep.equal([]);
      expect(quoted, c.name).to.have.length(1);
      const [q] = quoted;
      // The path is the route the test names: tokenIn, fee (0x800000 for a V2 hop), WETH, fee, tokenOut.
      const expectedPath = ethers.solidityPacked(["address", "uint24", "address", "uint24", "address"], [c.trade.tokenIn, c.fees[0], weth, c.fees[1], c.trade.tokenOut]);
      expect(q!.path, c.name).to.equal(expectedPath.toLowerCase());
      expect(q!.amountIn, c.name).to.equal(c.trade.amountIn);
      const [amountOut] = await mixed.quoteExactInput.staticCall(q!.path, q!.amountIn);
      expect(q!.quotedOut, c.name).to.equal(amountOut);
      expect(q!.quotedOut > 0n, c.name).to.equal(true);
    }
  });
});
