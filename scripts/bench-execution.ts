/**
 * `npm run bench:execution`: what routing buys. On the realistic devnet (`--liquidity realistic`, 100
 * constituents, Hardhat's in-process chain), the same $10M rebalance from cash into market-cap weights (tiered
 * caps 25 % / 15 %, 2 % cash) and back to cash, executed three ways from the same chain snapshot:
 * - direct-only (today's policy): each token's most liquid allowlisted stablecoin pool through the original
 *   SwapRouter adapter; a token without one is skipped and its value counted as unfilled;
 * - routed: keeper/core/routing over every allowlisted venue (direct, via WETH, V2 and V3, each fee tier),
 *   split where it pays after gas, one vault trade per leg through the SwapRouter02 adapter.
 * - routed, unsplit: the same router with one slice, each order whole on its best route (what splitting buys).
 * Both halve an order whose legs miss the vault's oracle floor (up to 4 times), as the planner does. Costs are
 * the vault's own oracle values (TradeExecuted valueIn - valueOut) over the value traded. The buys and the sells
 * each start from pools at the oracle prices (the sells from the chain before the buys, the vault given what they
 * bought, the cash they spent withdrawn, so it sells at its post-buy NAV), as arbitrage leaves the market between
 * two rebalances. Writes bench/execution.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { MaxUint256 } from "ethers";
import { network } from "hardhat";
import { deployMarket } from "../devnet/deployMarket.js";
import { deployVault } from "../devnet/deployVault.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { IndexVault__factory, OracleRouter__factory, TestToken__factory } from "../types/ethers-contracts/index.js";
import { resolveVenues } from "../keeper/chain/resolveVenues.js";
import { readVenueStates } from "../keeper/chain/readVenueStates.js";
import { readTradeFloors } from "../keeper/chain/readTradeFloors.js";
import { resolvePools } from "../keeper/chain/resolvePools.js";
import { routeOrders, type RoutableOrder, type RoutedOrder } from "../keeper/core/routing/routeOrders.js";
import { encodeRoute } from "../keeper/core/routing/encodeRoute.js";
import { enumerateRoutes } from "../keeper/core/routing/enumerateRoutes.js";
import { routesDepthNearPrice } from "../keeper/core/routing/routesDepthNearPrice.js";
import { valueDown } from "../keeper/core/vault/navLib.js";
import { legGasUnits } from "../keeper/core/routing/legGasUnits.js";
import { planRebalance } from "../keeper/core/index.js";
import { readVault } from "../keeper/chain/readVault.js";
import type { Route, Venue } from "../keeper/core/routing/types.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";
import { checkSellBackNav, readPostBuyHoldings, restorePostBuyHoldings, SELL_BACK_NAV_TOLERANCE_PPM } from "./sellBackStart.js";

exitOnUncaughtError();

const CAPITAL_USDC = 10_000_000n * 10n ** 6n;
const GAS_PRICE_GWEI = 10n;
const ETH_USD = 3_000n;
const SLICES = 8;
/** Trades per transaction: 45 two-hop trades stay under the 15M gas budget. */
const TRADES_PER_TX = 45;

const { ethers } = await network.create();
const [deployer, keeper, guardian, feeRecipient, depositor] = await ethers.getSigners();
console.log("deploying the realistic market (100 tokens) and the vault ...");
const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 100 }), liquidity: "realistic" });
const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
const vault = IndexVault__factory.connect(deployment.vault, keeper);
const oracle = OracleRouter__factory.connect(deployment.oracle, keeper);
const stable = market.stablecoin.address;
const tokens = market.tokens.map((t) => t.address);
await (await TestToken__factory.connect(stable, deployer).mint(depositor.address, CAPITAL_USDC)).wait();
await (await TestToken__factory.connect(stable, depositor).approve(deployment.vault, CAPITAL_USDC)).wait();
await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(CAPITAL_USDC, depositor.address)).wait();

// Market-cap weights with tiered caps (25 % the largest, 15 % the others), 98 % invested.
const caps = market.tokens.map((t) => t.marketCapUsd);
let weights = caps.map((c) => c / caps.reduce((a, b) => a + b, 0));
for (let round = 0; round < 20; round++) {
  const limits = weights.map((_, i) => (i === 0 ? 0.25 : 0.15));
  const excess = weights.reduce((sum, w, i) => sum + Math.max(0, w - limits[i]), 0);
  if (excess === 0) break;
  const free = weights.reduce((sum, w, i) => sum + (w < limits[i] ? w : 0), 0);
  weights = weights.map((w, i) => (w >= limits[i] ? limits[i] : w + (excess * w) / free));
}
const weightsBps = weights.map((w) => Math.floor(w * 9_800));
const cashBps = 10_000 - weightsBps.reduce((a, b) => a + b, 0);
const now = (await ethers.provider.getBlock("latest"))!.timestamp;
await (await vault.commitTargets(BigInt(Math.floor(now / 86_400) - 1) * 86_400n, 0, [stable, ...tokens], [cashBps, ...weightsBps], ethers.id("bench:execution"))).wait();

const unitPrices = new Map<string, bigint>();
// WETH too: the depths below count routes through it.
for (const t of [stable, market.weth9, ...tokens]) unitPrices.set(t.toLowerCase(), await oracle.unitPriceUsd36(t));
const stablePrice = unitPrices.get(stable.toLowerCase())!;
const valueOf = (token: string, amount: bigint) => valueDown(amount, unitPrices.get(token.toLowerCase())!, stablePrice);
/** A leg's extra gas in raw units of tokenOut at 10 gwei and $3,000 per ETH. */
const extraLegCostOut = (route: Route, tokenOut: string) => {
  const usd36 = legGasUnits(route) * GAS_PRICE_GWEI * 10n ** 9n * ETH_USD * 10n ** 18n;
  return usd36 / unitPrices.get(tokenOut.toLowerCase())!;
};

/** A route's pool fees compounded over its hops, in millionths of the value sent in. */
const feePpm = (route: Route) => 1_000_000n - route.hops.reduce((keep, h) => (keep * BigInt(1_000_000 - h.venue.fee)) / 1_000_000n, 1_000_000n);

interface LayoutSums {
  costAsset: bigint;
  tradedAsset: bigint;
  feeAsset: bigint;
  cheapestFeeAsset: bigint;
  ordersAsset: bigint;
}
const NO_SUMS: LayoutSums = { costAsset: 0n, tradedAsset: 0n, feeAsset: 0n, cheapestFeeAsset: 0n, ordersAsset: 0n };
/** Adds `sums` to `layout`'s entry of `byLayout`. */
const addSums = (byLayout: Map<string, LayoutSums>, layout: string, sums: Partial<LayoutSums>) => {
  const part = { ...(byLayout.get(layout) ?? NO_SUMS) };
  for (const key of Object.keys(sums) as (keyof LayoutSums)[]) part[key] += sums[key] ?? 0n;
  byLayout.set(layout, part);
};

interface PolicyResult {
  costAsset: bigint;
  tradedAsset: bigint;
  modeledOutValue: bigint;
  realizedOutValue: bigint;
  unfilledAsset: bigint;
  txs: number;
  gas: bigint;
  /** CPU of routing (enumerate, quote, split) per phase: buys from cash, then sells back to cash. */
  routeCpuMs: number[];
  /** Cost and traded value on tokens that have a direct pool, for the like-for-like ratio. */
  directTokensCostAsset: bigint;
  directTokensTradedAsset: bigint;
  /** The pool fees in those costs: each leg's value in x (1 - the product of (1 - fee) over its hops). */
  feeAsset: bigint;
  directTokensFeeAsset: bigint;
  /** On the same tokens: each order's value x the lowest fee of any route open to it, and the orders' value. */
  cheapestFeeAsset: bigint;
  ordersAsset: bigint;
  legs: number;
  /** Per layout of the token traded (direct, two-tiers, ...): the same sums as above, over all its orders. */
  byLayout: Map<string, LayoutSums>;
  /** The vault's NAV after the buys, the NAV the sell-back starts from (equal, see sellBackStart.ts), the cash withdrawn. */
  navPostBuy: bigint;
  navSellBackStart: bigint;
  spentCashWithdrawn: bigint;
  /** Per phase (buys, sells): the NAV the phase's first batch checked against, and the loss budget's ring after its last (BatchExecuted, 1e-10 of NAV). */
  firstBatchNav: bigint[];
  lossBudgetUsed: bigint[];
}

const allVenues = await resolveVenues({ runner: ethers.provider, vault: deployment.vault, factoryV3: market.factory, factoryV2: market.factoryV2, tokens, quotes: [stable, market.weth9] });
const directPools = await resolvePools({ runner: ethers.provider, factory: market.factory, vault: deployment.vault, stablecoin: stable, tokens });
const directVenues: Venue[] = allVenues.filter((v) => [...directPools.values()].some((p) => p.pool.toLowerCase() === v.address.toLowerCase()));
const hasDirect = (token: string) => directPools.has(token.toLowerCase());
const layoutOf = new Map(market.tokens.map((t) => [t.address.toLowerCase(), t.layout]));

// The market as laid out: each token's depth within 2 % of its oracle price over every allowlisted route (the
// keeper's depth screen), and WETH/USDC's, in USD. Read here, computed after the runs: computing them first would
// warm the swap math up for the routing whose CPU time is measured (101 ms instead of ~170).
const marketStates = await readVenueStates({ runner: ethers.provider, chainId: market.chainId, venues: allVenues, blockTag: await ethers.provider.getBlockNumber() });
const depthUsd = async (token: string, connectors: string[]) => {
  const routes = enumerateRoutes({ tokenIn: stable, tokenOut: token, venues: allVenues, connectors });
  const { depthAsset } = await routesDepthNearPrice({ token, stablecoin: stable, routes, states: marketStates, unitPrices, bandBps: 200 });
  return Math.round(Number(depthAsset) / 1e6);
};

async function runPolicy(name: string, venues: Venue[], connectors: string[], adapter: string, slices = SLICES): Promise<PolicyResult> {
  const result: PolicyResult = { costAsset: 0n, tradedAsset: 0n, modeledOutValue: 0n, realizedOutValue: 0n, unfilledAsset: 0n, txs: 0, gas: 0n, routeCpuMs: [], directTokensCostAsset: 0n, directTokensTradedAsset: 0n, feeAsset: 0n, directTokensFeeAsset: 0n, cheapestFeeAsset: 0n, ordersAsset: 0n, legs: 0, byLayout: new Map(), navPostBuy: 0n, navSellBackStart: 0n, spentCashWithdrawn: 0n, firstBatchNav: [], lossBudgetUsed: [] };
  const floor = await readTradeFloors({ runner: ethers.provider, vault: deployment.vault, tokens: [stable, ...tokens] });
  const phase = async (orders: RoutableOrder[]) => {
    const states = await readVenueStates({ runner: ethers.provider, chainId: market.chainId, venues, blockTag: await ethers.provider.getBlockNumber() });
    const state = await readVault({ runner: ethers.provider, vault: deployment.vault });
    // CPU, not wall time: the machine is shared. The planner runs on the same state first (plan + routing, as the
    // keeper does per round); its output is not used, the orders being the benchmark's fixed ones.
    const cpu = process.cpuUsage();
    planRebalance({ holdings: state.holdings, prices: state.pricesAsset18, targetsBps: state.targets, stablecoin: state.stablecoin, navAsset: state.navAsset, targetToleranceBps: state.targetToleranceBps, config: { dustAsset: 10n * 10n ** 6n } });
    const { routed } = await routeOrders({ orders, venues, connectors, states, slices, extraLegCostOut, floorOut: (o, a) => floor(o.tokenIn, o.tokenOut, a) });
    const used = process.cpuUsage(cpu);
    result.routeCpuMs.push((used.user + used.system) / 1000);
    for (const r of routed) result.unfilledAsset += valueOf(r.order.tokenIn, r.order.amountIn - r.filledIn);
    for (const o of orders) {
      const token = o.tokenIn === stable ? o.tokenOut : o.tokenIn;
      const fees = enumerateRoutes({ tokenIn: o.tokenIn, tokenOut: o.tokenOut, venues, connectors }).map(feePpm);
      if (fees.length === 0) continue;
      const value = valueOf(o.tokenIn, o.amountIn);
      const cheapest = (value * fees.reduce((a, b) => (b < a ? b : a))) / 1_000_000n;
      addSums(result.byLayout, layoutOf.get(token.toLowerCase())!, { cheapestFeeAsset: cheapest, ordersAsset: value });
      if (!hasDirect(token)) continue;
      result.cheapestFeeAsset += cheapest;
      result.ordersAsset += value;
    }
    await execute(routed, adapter, result, result.routeCpuMs.length - 1);
  };
  const beforeBuys = await ethers.provider.send("evm_snapshot", []);
  console.log(`${name}: buying ...`);
  await phase(market.tokens.map((t, i) => ({ tokenIn: stable, tokenOut: t.address, amountIn: (CAPITAL_USDC * BigInt(weightsBps[i])) / 10_000n })));
  const postBuy = await readPostBuyHoldings({ vault: deployment.vault, stablecoin: stable, tokens, runner: ethers.provider });
  const held = postBuy.held;
  // The sells start from a market at the oracle prices, as arbitrage leaves it between two rebalances: selling
  // into the pools the buys had just pushed up would hand the buys' price impact back and show none at all.
  // The chain goes back to before the buys; the depositor withdraws the cash the buys spent and the vault is
  // given what they bought, so it holds what the buys left it, at the post-buy NAV (checked: throws otherwise).
  await ethers.provider.send("evm_revert", [beforeBuys]);
  const restored = await restorePostBuyHoldings({ vault: deployment.vault, stablecoin: stable, tokens, postBuy, shareholder: depositor, minter: deployer });
  result.navPostBuy = postBuy.nav;
  result.navSellBackStart = restored.nav;
  result.spentCashWithdrawn = restored.withdrawn;
  console.log(`${name}: sell-back starts at NAV $${Number(restored.nav) / 1e6} (post-buy $${Number(postBuy.nav) / 1e6}; $${Number(restored.withdrawn) / 1e6} spent cash withdrawn)`);
  console.log(`${name}: selling back to cash ...`);
  // Back to cash: a bear epoch (all stablecoin) the day after the buys', so every sell moves toward the targets.
  await (await vault.commitTargets(BigInt(Math.floor(now / 86_400)) * 86_400n, 1, [stable], [10_000], ethers.id("bench:execution:cash"))).wait();
  await phase(tokens.map((t, i) => ({ tokenIn: t, tokenOut: stable, amountIn: held[i] })).filter((o) => o.amountIn > 0n));
  // And the NAV the vault's own checks used for the first sell batch (its loss budget's denominator) is it too.
  checkSellBackNav(postBuy.nav, result.firstBatchNav[1]);
  return result;
}

async function execute(routed: RoutedOrder[], adapter: string, result: PolicyResult, phaseIndex: number): Promise<void> {
  const trades = routed.flatMap((r) =>
    r.legs.map((leg) => ({
      trade: { adapter, tokenIn: r.order.tokenIn, tokenOut: r.order.tokenOut, amountIn: leg.amountIn, minAmountOut: 0n, data: encodeRoute(leg.route) },
      predicted: leg.amountOut,
      feePpm: feePpm(leg.route),
      token: r.order.tokenIn === stable ? r.order.tokenOut : r.order.tokenIn,
    })),
  );
  for (const t of trades) t.trade.minAmountOut = await vault.oracleMinAmountOut(t.trade.tokenIn, t.trade.tokenOut, t.trade.amountIn);
  for (let start = 0; start < trades.length; start += TRADES_PER_TX) {
    const chunk = trades.slice(start, start + TRADES_PER_TX);
    const receipt = (await (await vault.executeTrades(chunk.map((c) => c.trade), MaxUint256, await vault.batchSequence(), { gasLimit: 16_000_000 })).wait())!;
    result.txs += 1;
    result.gas += receipt.gasUsed;
    const parsed = receipt.logs.map((log) => vault.interface.parseLog(log));
    const batch = parsed.find((e) => e?.name === "BatchExecuted")!;
    result.firstBatchNav[phaseIndex] ??= batch.args.navAssets as bigint;
    result.lossBudgetUsed[phaseIndex] = batch.args.lossBudgetUsed as bigint;
    const events = parsed.filter((e) => e?.name === "TradeExecuted");
    events.forEach((e, i) => {
      const valueIn = e!.args.valueIn as bigint;
      const valueOut = e!.args.valueOut as bigint;
      result.costAsset += valueIn - valueOut;
      result.tradedAsset += valueIn;
      result.realizedOutValue += valueOut;
      result.modeledOutValue += valueOf(chunk[i].trade.tokenOut, chunk[i].predicted);
      result.legs += 1;
      const fee = (valueIn * chunk[i].feePpm) / 1_000_000n;
      addSums(result.byLayout, layoutOf.get(chunk[i].token.toLowerCase())!, { costAsset: valueIn - valueOut, tradedAsset: valueIn, feeAsset: fee });
      result.feeAsset += fee;
      if (hasDirect(chunk[i].token)) {
        result.directTokensCostAsset += valueIn - valueOut;
        result.directTokensTradedAsset += valueIn;
        result.directTokensFeeAsset += fee;
      }
    });
  }
}

// Each policy from the same chain state (a snapshot is used up by reverting to it, so each run takes its own).
const start = await ethers.provider.send("evm_snapshot", []);
const direct = await runPolicy("direct-only", directVenues, [], deployment.adapter);
await ethers.provider.send("evm_revert", [start]);
const again = await ethers.provider.send("evm_snapshot", []);
const routed = await runPolicy("routed", allVenues, [market.weth9], deployment.swapRouter02Adapter);
await ethers.provider.send("evm_revert", [again]);
// The same router with one slice: each order whole on its best route, never split. Against it, what splitting buys.
const unsplit = await runPolicy("routed, unsplit", allVenues, [market.weth9], deployment.swapRouter02Adapter, 1);

const tokenDepthsUsd = await Promise.all(tokens.map((t) => depthUsd(t, [market.weth9])));
const wethDepthUsd = await depthUsd(market.weth9, []);

const bps = (cost: bigint, traded: bigint) => (traded === 0n ? 0 : Math.round(Number((cost * 1_000_000n) / traded)) / 100);
const usd = (asset: bigint) => Math.round(Number(asset) / 1e6);
const cents = (asset: bigint) => Math.round(Number(asset) / 1e4) / 100;
/** Gas in stablecoin raw units at the same 10 gwei and $3,000 per ETH the split decisions use. */
const gasAsset = (gas: bigint) => (gas * GAS_PRICE_GWEI * ETH_USD * 10n ** 6n) / 10n ** 9n;
const results = {
  market: "realistic layout, 100 constituents, $10M from cash into market-cap weights (caps 25 %/15 %) and back to cash",
  cost_bps_direct_only: bps(direct.costAsset, direct.tradedAsset),
  cost_bps_routed: bps(routed.costAsset, routed.tradedAsset),
  cost_bps_routed_unsplit: bps(unsplit.costAsset, unsplit.tradedAsset),
  unfilled_value_routed_unsplit: usd(unsplit.unfilledAsset),
  cost_bps_direct_only_same_tokens: bps(direct.directTokensCostAsset, direct.directTokensTradedAsset),
  cost_bps_routed_same_tokens: bps(routed.directTokensCostAsset, routed.directTokensTradedAsset),
  routed_vs_direct_ratio: Math.round((bps(routed.directTokensCostAsset, routed.directTokensTradedAsset) / bps(direct.directTokensCostAsset, direct.directTokensTradedAsset)) * 1000) / 1000,
  fee_bps_direct_only_same_tokens: bps(direct.directTokensFeeAsset, direct.directTokensTradedAsset),
  fee_bps_routed_same_tokens: bps(routed.directTokensFeeAsset, routed.directTokensTradedAsset),
  impact_bps_direct_only_same_tokens: bps(direct.directTokensCostAsset - direct.directTokensFeeAsset, direct.directTokensTradedAsset),
  impact_bps_routed_same_tokens: bps(routed.directTokensCostAsset - routed.directTokensFeeAsset, routed.directTokensTradedAsset),
  // A lower bound no router reaches: each order over its cheapest-fee route with no price impact (each phase starts
  // from pools at the oracle price, so impact is never negative). The cheapest-fee route is not always deep enough to
  // take the order (a V2 pair's 0.35 % via WETH beside a 1 % V3 pool), which is why routed fees sit above it.
  cheapest_fee_bps_same_tokens: bps(routed.cheapestFeeAsset, routed.ordersAsset),
  ratio_floor: Math.round((bps(routed.cheapestFeeAsset, routed.ordersAsset) / bps(direct.directTokensCostAsset, direct.directTokensTradedAsset)) * 1000) / 1000,
  unfilled_value_direct_only: usd(direct.unfilledAsset),
  unfilled_value_routed: usd(routed.unfilledAsset),
  tokens_without_direct_pool: tokens.filter((t) => !hasDirect(t)).length,
  traded_value_direct_only: usd(direct.tradedAsset),
  traded_value_routed: usd(routed.tradedAsset),
  cost_bps_direct_only_with_gas: bps(direct.costAsset + gasAsset(direct.gas), direct.tradedAsset),
  cost_bps_routed_with_gas: bps(routed.costAsset + gasAsset(routed.gas), routed.tradedAsset),
  realized_minus_modeled_bps: bps(routed.modeledOutValue - routed.realizedOutValue, routed.tradedAsset),
  realized_minus_modeled_bps_direct_only: bps(direct.modeledOutValue - direct.realizedOutValue, direct.tradedAsset),
  txs: routed.txs,
  gas: Number(routed.gas),
  legs: routed.legs,
  txs_direct_only: direct.txs,
  gas_direct_only: Number(direct.gas),
  // CPU time (process.cpuUsage, user + system) of planRebalance and routeOrders for the 100 buys, then the sells.
  plan_route_ms: Math.round(routed.routeCpuMs[0]),
  plan_route_ms_sell_back: Math.round(routed.routeCpuMs[1]),
  slices: SLICES,
  // Each sell-back starts at the vault's post-buy NAV (totalAssets, USD to the cent): the spent cash withdrawn, the
  // tokens bought minted back; checked within sell_back_nav_tolerance_ppm before any sell (scripts/sellBackStart.ts).
  // The NAV the sell-back's first batch checked against (BatchExecuted) is that NAV too. loss_budget_used_bps: the
  // vault's loss budget ring after each phase's last batch, in bps of NAV (the budget: loss_budget_bps over 7 days);
  // the chain is reverted between the phases, so the sell-back's figure counts its own losses only.
  sell_back_nav_tolerance_ppm: Number(SELL_BACK_NAV_TOLERANCE_PPM),
  loss_budget_bps: Number(await vault.lossBudgetBps()),
  sell_back_nav: Object.fromEntries(
    ([["direct_only", direct], ["routed", routed], ["routed_unsplit", unsplit]] as const).map(([key, r]) => [
      key,
      {
        post_buy_usd: cents(r.navPostBuy),
        sell_back_start_usd: cents(r.navSellBackStart),
        sell_back_first_batch_nav_usd: cents(r.firstBatchNav[1]),
        spent_cash_withdrawn_usd: cents(r.spentCashWithdrawn),
        loss_budget_used_bps_buys: Number(r.lossBudgetUsed[0]) / 1e6,
        loss_budget_used_bps_sell_back: Number(r.lossBudgetUsed[1]) / 1e6,
      },
    ]),
  ),
  weth_usdc_depth_2pct_usd: wethDepthUsd,
  // Per layout: the tokens' depths within 2 % over all their routes (least, most), and how many are under $1M.
  depth_2pct_usd_by_layout: Object.fromEntries(
    [...new Set(market.tokens.map((t) => t.layout))].map((layout) => {
      const depths = tokenDepthsUsd.filter((_, i) => market.tokens[i].layout === layout);
      return [layout, { tokens: depths.length, least: Math.min(...depths), most: Math.max(...depths), under_1m: depths.filter((d) => d < 1e6).length }];
    }),
  ),
  // Per layout of the token traded, in bps of the value traded: each policy's cost, the routed pool fees, and the
  // lowest fee a route open to each order charges (the gap between those two is where the router paid more fee
  // than the cheapest route, to avoid that route's price impact).
  cost_bps_by_layout: Object.fromEntries(
    [...new Set(market.tokens.map((t) => t.layout))].map((layout) => {
      const of = (r: PolicyResult) => r.byLayout.get(layout) ?? NO_SUMS;
      const cost = (r: PolicyResult) => bps(of(r).costAsset, of(r).tradedAsset);
      return [
        layout,
        {
          direct_only: cost(direct),
          routed: cost(routed),
          routed_unsplit: cost(unsplit),
          fee_routed: bps(of(routed).feeAsset, of(routed).tradedAsset),
          cheapest_fee: bps(of(routed).cheapestFeeAsset, of(routed).ordersAsset),
          traded_value_routed: usd(of(routed).tradedAsset),
        },
      ];
    }),
  ),
};
await mkdir("bench", { recursive: true });
await writeFile("bench/execution.json", JSON.stringify(results, null, 2) + "\n");
console.table(results);
