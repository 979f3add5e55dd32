import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { ethers, networkHelpers, realisticVaultFixture } from "../../fixtures.js";
import { resolveVenues } from "../../../keeper/chain/resolveVenues.js";
import { readVenueStates } from "../../../keeper/chain/readVenueStates.js";
import { readTradeFloors } from "../../../keeper/chain/readTradeFloors.js";
import { routeOrders, type RoutableOrder, type RoutedOrder } from "../../../keeper/core/routing/routeOrders.js";
import { encodeRoute } from "../../../keeper/core/routing/encodeRoute.js";
import { TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { contractsOf, dayStartEpoch, USDC } from "../../helpers/vault.js";
import type { VaultFixture } from "../../fixtures.js";
import type { Route } from "../../../keeper/core/routing/types.js";

/** A route's kind, as the test names it: protocols hop by hop. */
const kindOf = (route: Route) => route.hops.map((h) => `${h.venue.protocol}-${h.venue.fee}`).join(">");

/** Routes `orders` on the chain's current state with the keeper's code. */
async function route(f: VaultFixture, orders: RoutableOrder[], excluded: readonly string[] = []): Promise<RoutedOrder[]> {
  const weth = f.market.weth9;
  const allowlisted = await resolveVenues({
    runner: ethers.provider,
    vault: f.deployment.vault,
    factoryV3: f.market.factory,
    factoryV2: f.market.factoryV2,
    tokens: f.market.tokens.map((t) => t.address),
    quotes: [f.market.stablecoin.address, weth],
  });
  const venues = allowlisted.filter((v) => !excluded.includes(v.address));
  const floor = await readTradeFloors({ runner: ethers.provider, vault: f.deployment.vault, tokens: [f.market.stablecoin.address, ...f.market.tokens.map((t) => t.address)] });
  const states = await readVenueStates({ runner: ethers.provider, chainId: f.market.chainId, venues, blockTag: await ethers.provider.getBlockNumber() });
  // A flat gas cost per extra leg: $20 in stablecoin terms, 0 for token outputs (the test is about exactness).
  const { routed } = await routeOrders({
    orders,
    venues,
    connectors: [weth],
    states,
    slices: 8,
    extraLegCostOut: (_, tokenOut) => (tokenOut === f.market.stablecoin.address ? 20n * USDC : 0n),
    floorOut: (order, amountIn) => floor(order.tokenIn, order.tokenOut, amountIn),
  });
  return routed;
}

/** Executes every leg as one vault trade in one batch and returns each TradeExecuted amountOut, in order. */
async function execute(f: VaultFixture, routed: RoutedOrder[]): Promise<bigint[]> {
  const { vault } = contractsOf(f);
  const trades = [];
  for (const r of routed) {
    for (const leg of r.legs) {
      trades.push({
        adapter: f.deployment.swapRouter02Adapter,
        tokenIn: r.order.tokenIn,
        tokenOut: r.order.tokenOut,
        amountIn: leg.amountIn,
        minAmountOut: await vault.oracleMinAmountOut(r.order.tokenIn, r.order.tokenOut, leg.amountIn),
        data: encodeRoute(leg.route),
      });
    }
  }
  const receipt = await (await vault.executeTrades(trades, MaxUint256, await vault.batchSequence())).wait();
  return receipt!.logs
    .map((log) => vault.interface.parseLog(log))
    .filter((e) => e?.name === "TradeExecuted")
    .map((e) => e!.args.amountOut as bigint);
}

describe("keeper routing: routes, splits and exact predictions on the realistic devnet", function () {
  it("buys every constituent from cash and sells it all back, every leg filling exactly as predicted, on every route kind", async function () {
    const f = await networkHelpers.loadFixture(realisticVaultFixture);
    const { vault } = contractsOf(f);
    await (await vault.connect(f.depositors[0]).deposit(9_000_000n * USDC, f.depositors[0].address)).wait();
    const stable = f.market.stablecoin.address;
    // $400k of each, $20k of the thin one, and $2M of the smaller two-tier token (TK006), where the 0.3 % pool's
    // impact outgrows the 1 % tier's extra fee: that order splits. The V3 pools' bands make them far deeper than
    // the V2 pairs (30 % of the value, all full range), so V2 routes are forced below by leaving the V3 pool out:
    // $100k more of the first V2-share token. Targets are those sizes (the vault checks positions against them).
    const v2Token = f.market.tokens.find((t) => t.layout === "v2-share")!;
    const size = (symbol: string, layout: string) => (layout === "thin" ? 20_000n : symbol === "TK006" ? 2_000_000n : 400_000n);
    const nav = 9_000_000n;
    const weights = f.market.tokens.map((t) => Number(((size(t.symbol, t.layout) + (t === v2Token ? 100_000n : 0n)) * 10_000n) / nav) + 1);
    await (await vault.commitTargets(await dayStartEpoch(1), 0, [stable, ...f.market.tokens.map((t) => t.address)], [10_000 - weights.reduce((x, y) => x + y, 0), ...weights], ethers.id("sizes"))).wait();
    const buys: RoutableOrder[] = f.market.tokens.map((t) => ({ tokenIn: stable, tokenOut: t.address, amountIn: size(t.symbol, t.layout) * USDC }));
    const routedBuys = await route(f, buys);
    expect(routedBuys.map((r) => r.filledIn)).to.deep.equal(buys.map((b) => b.amountIn));
    const predictedBuys = routedBuys.flatMap((r) => r.legs.map((l) => l.amountOut));
    expect(await execute(f, routedBuys)).to.deep.equal(predictedBuys);
    const v2Buy = await route(f, [{ tokenIn: stable, tokenOut: v2Token.address, amountIn: 100_000n * USDC }], [v2Token.pool]);
    expect(await execute(f, v2Buy)).to.deep.equal(v2Buy[0].legs.map((l) => l.amountOut));

    // Back to cash: a bear epoch (all stablecoin), so that every sell moves toward the targets; the V2-share token
    // first what was bought through its V2 pair, sold back through it, then everything over every route.
    await (await vault.commitTargets(await dayStartEpoch(), 1, [stable], [10_000], ethers.id("bear"))).wait();
    const v2Bought = v2Buy[0].legs.reduce((sum, l) => sum + l.amountOut, 0n);
    const v2Sell = await route(f, [{ tokenIn: v2Token.address, tokenOut: stable, amountIn: v2Bought }], [v2Token.pool]);
    expect(v2Sell[0].filledIn).to.equal(v2Bought);
    expect(await execute(f, v2Sell)).to.deep.equal(v2Sell[0].legs.map((l) => l.amountOut));
    const rest = f.market.tokens;
    const held = await Promise.all(rest.map((t) => TestToken__factory.connect(t.address, ethers.provider).balanceOf(f.deployment.vault)));
    const sells: RoutableOrder[] = rest.map((t, i) => ({ tokenIn: t.address, tokenOut: stable, amountIn: held[i] }));
    const routedSells = await route(f, sells);
    expect(routedSells.map((r) => r.filledIn)).to.deep.equal(held);
    const predictedSells = routedSells.flatMap((r) => r.legs.map((l) => l.amountOut));
    expect(await execute(f, routedSells)).to.deep.equal(predictedSells);
    for (const t of f.market.tokens) expect(await TestToken__factory.connect(t.address, ethers.provider).balanceOf(f.deployment.vault)).to.equal(0n);
    expect(await TestToken__factory.connect(f.market.weth9, ethers.provider).balanceOf(f.deployment.vault)).to.equal(0n);

    const kinds = new Set([...routedBuys, ...routedSells, ...v2Buy, ...v2Sell].flatMap((r) => r.legs.map((l) => kindOf(l.route))));
    // Direct V3 (two tiers), V3 via WETH, V3 into WETH then a V2 pair (and back), each seen at least once.
    for (const kind of ["v3-3000", "v3-10000", "v3-500>v3-3000", "v3-500>v2-3000", "v2-3000>v3-500"]) expect([...kinds], kind).to.include(kind);
    expect(
      [...routedBuys, ...routedSells].some((r) => r.legs.length > 1),
      "some order is split across routes",
    ).to.equal(true);
  });
});
