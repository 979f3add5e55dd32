import { expect } from "chai";
import { readFileSync } from "node:fs";
import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pair } from "@uniswap/v2-sdk";
import { splitOrder } from "../../../keeper/core/routing/splitOrder.js";
import type { Route, Venue, VenueState } from "../../../keeper/core/routing/types.js";
import { gasModelFromBench } from "../../../keeper/backtest/gasModel.js";
import { createLiquidityModel, MODEL_WETH } from "../../../keeper/backtest/liquidityModel.js";
import { realisticTokenLayout } from "../../../keeper/backtest/devnetLiquidityLayout.js";
import { createPointInTimeView } from "../../../keeper/backtest/pointInTimeView.js";
import { runBacktest } from "../../../keeper/backtest/runBacktest.js";
import { syntheticDataset } from "../../../keeper/backtest/syntheticDataset.js";
import type { Dataset, ExecutionModel } from "../../../keeper/backtest/types.js";
import { DEFAULT_KEEPER_SETTINGS } from "../../../keeper/run/defaultKeeperSettings.js";
import { backtestSyntheticAssets } from "../../../devnet/backtestSyntheticAssets.js";
import { expectNear } from "../../helpers/expectNear.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS } from "../../../season/runSeason.js";

const STABLE = "0x00000000000000000000000000000000000000ff";
const address = (asset: number) => `0x${(asset + 1).toString(16).padStart(40, "0")}`;
const gas = gasModelFromBench({ bench: JSON.parse(readFileSync(new URL("../../../bench/gas.json", import.meta.url), "utf8")), gasPriceGwei: 10, nativeUsd: 3000 });

function market(tokens: number, days: number, seed = 3): Dataset {
  const specs = backtestSyntheticAssets(tokens, seed);
  return syntheticDataset({ seed, assets: specs.assets, days, phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, registry: specs.registry, decimals: specs.decimals });
}

/** The dataset's risky assets, largest first on `day`: rank r is index r - 1. */
function byRank(dataset: Dataset, day: number): number[] {
  const caps = dataset.marketCapUsd[day]!;
  return dataset.assets.flatMap((a, i) => (a.isStablecoin || a.derivativeOf !== undefined ? [] : [i])).sort((a, b) => caps[b]! - caps[a]!);
}

describe("backtest liquidity model: routes, splits and the depth screen", function () {
  this.timeout(60_000);
  const dataset = market(20, 120);
  const day = SEASON_WARM_UP_DAYS;
  const ranked = byRank(dataset, day);
  const model = (venues: "direct" | "realistic") => createLiquidityModel(dataset, createPointInTimeView(dataset, day), "devnet", venues, address, STABLE);
  const legCost = () => 0;
  const today = (m: ReturnType<typeof model>) => (key: string) => m.reserves(key);

  it("gives each asset the routes the keeper would enumerate on the devnet's realistic layout", () => {
    const m = model("realistic");
    const shapes = (asset: number) => m.routes(asset, "buy").map((r) => r.hops.map((h) => `${h.venue.protocol}:${h.tokenOut === MODEL_WETH ? "weth" : "token"}`).join(">"));
    // Below the two largest (0.05 %), so the devnet's tiers are 0.3 % and 1 %.
    const at = (layout: string) => ranked.find((_, rank) => rank >= 2 && realisticTokenLayout(rank) === layout)!;
    expect(shapes(at("direct"))).to.deep.equal(["v3:token"]);
    expect(shapes(at("two-tiers"))).to.deep.equal(["v3:token", "v3:token"]);
    expect(m.routes(at("two-tiers"), "buy").map((r) => r.hops[0]!.venue.fee)).to.have.members([3000, 10000]);
    expect(shapes(at("v2-share"))).to.deep.equal(["v3:token", "v3:weth>v2:token"]);
    expect(shapes(at("weth-only"))).to.deep.equal(["v3:weth>v3:token"]);
    expect(shapes(at("thin"))).to.deep.equal(["v3:weth>v3:token"]);
    expect(m.routes(at("thin"), "sell")[0]!.hops.map((h) => h.tokenOut)).to.deep.equal([MODEL_WETH, STABLE]);
    // The direct layout (the default devnet, the season) has one stablecoin pool per asset.
    for (const asset of ranked) expect(model("direct").routes(asset, "buy").map((r) => r.hops.length)).to.deep.equal([1]);
  });

  it("splits a large order across fee tiers when that returns more, and keeps a small one on one route after gas", () => {
    const m = model("realistic");
    const asset = ranked.find((_, rank) => rank >= 2 && realisticTokenLayout(rank) === "two-tiers")!;
    const routes = m.routes(asset, "buy");
    // A fifth of the 0.3 % pool's virtual reserve: its marginal price ends far more than the 0.7 % fee gap above the 1 % pool's.
    const size = 0.2 * m.reserves(routes[0]!.hops[0]!.venue.address).r0;
    const large = m.split(routes, size, today(m), legCost);
    expect(large.legs).to.have.length(2);
    const alone = Math.max(...routes.map((r) => m.split([r], size, today(m), legCost).legs[0]!.valueOutUsd));
    const split = large.legs.reduce((sum, leg) => sum + leg.valueOutUsd, 0);
    expect(split).to.be.greaterThan(alone);
    const small = m.split(routes, 1_000, today(m), () => 5);
    expect(small.legs).to.have.length(1);
    // The lower fee tier takes it: a 1,000 USD order moves neither pool enough to matter.
    expect(small.legs[0]!.route.hops[0]!.venue.fee).to.equal(Math.min(...routes.map((r) => r.hops[0]!.venue.fee)));
  });

  it("charges the WETH/stablecoin pool that two orders share for both: the second fills on what the first left", () => {
    const m = model("realistic");
    const [a, b] = ranked.filter((_, rank) => realisticTokenLayout(rank) === "weth-only");
    const first = m.split(m.routes(a!, "buy"), 5_000_000, today(m), legCost);
    const moved = (key: string) => first.moved.get(key) ?? m.reserves(key);
    expect(first.moved.has("weth-stablecoin")).to.equal(true);
    const fresh = m.split(m.routes(b!, "buy"), 1_000_000, today(m), legCost).legs[0]!;
    const after = m.split(m.routes(b!, "buy"), 1_000_000, moved, legCost).legs[0]!;
    expect(after.valueOutUsd).to.be.lessThan(fresh.valueOutUsd);
    // Two hops pay two fee tiers: the WETH pool's 0.05 % and the token's own.
    const fees = fresh.route.hops.map((h) => h.venue.fee / 1e6);
    expectNear(fresh.feeUsd, 1_000_000 * fees[0]! + 1_000_000 * (1 - fees[0]!) * fees[1]!, 200);
  });

  it("splits and fills as the keeper's own splitOrder does on the official SDK's pools of the same reserves", async () => {
    // Two V2 pairs of one token against the stablecoin ($10M and $4M a side, the token at $2): the model's venues
    // are constant-product reserves, which v2-sdk's Pair is exactly, so the two greedy splits must agree.
    const [tokenAddress, stableAddress] = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"];
    const token = new Token(1, tokenAddress, 18);
    const stable = new Token(1, stableAddress, 6);
    const sidesUsd = [10e6, 4e6];
    const venues: Venue[] = sidesUsd.map((_, k) => ({ protocol: "v2", address: `0x${String(k + 3).repeat(40)}`, token0: tokenAddress, token1: stableAddress, fee: 3000 }));
    const routes: Route[] = venues.map((venue) => ({ hops: [{ venue, tokenIn: stableAddress, tokenOut: tokenAddress }] }));
    const sdkStates = new Map<string, VenueState>(
      venues.map((v, k) => [v.address.toLowerCase(), { protocol: "v2", pair: new Pair(CurrencyAmount.fromRawAmount(token, BigInt(sidesUsd[k]! / 2) * 10n ** 18n + ""), CurrencyAmount.fromRawAmount(stable, BigInt(sidesUsd[k]!) * 10n ** 6n + "")) }]),
    );
    const keeper = await splitOrder({ routes, amountIn: 3_000_000n * 10n ** 6n, states: sdkStates, slices: 8, extraLegCostOut: () => 0n });
    const m = model("direct");
    const modelled = m.split(routes, 3_000_000, (key) => ({ r0: sidesUsd[venues.findIndex((v) => v.address === key)]!, r1: sidesUsd[venues.findIndex((v) => v.address === key)]! }), legCost);
    expect(modelled.legs.map((l) => l.route)).to.deep.equal(keeper.legs.map((l) => l.route));
    modelled.legs.forEach((leg, i) => {
      expectNear(leg.valueInUsd, Number(keeper.legs[i]!.amountIn) / 1e6, 1e-6);
      // The keeper's output in tokens at $2 each, the model's in USD: equal but for integer rounding.
      expectNear(leg.valueOutUsd, (Number(keeper.legs[i]!.amountOut) / 1e18) * 2, 1e-3);
    });
    expect(modelled.legs).to.have.length(2);
  });

  it("measures depth within the band as V3 does: an in-range pool's is its virtual reserve x (sqrt(1.02) - 1), the fee on top for buys", () => {
    const m = model("direct");
    const asset = ranked[5]!;
    const [route] = m.routes(asset, "buy");
    const fee = route!.hops[0]!.venue.fee / 1e6;
    // On its mint day the pool is centred on the price: every band is in range over +-2 % (the narrowest is +-3 %).
    const reserve = m.reserves(route!.hops[0]!.venue.address).r0;
    const buy = (reserve * (Math.sqrt(1.02) - 1)) / (1 - fee);
    const sell = reserve * (1 - Math.sqrt(0.98));
    expectNear(m.depthWithinBandUsd(asset, day, 200), Math.min(buy, sell), 1e-6 * reserve);
    // More routes, more depth: the realistic layout's two fee tiers hold the same liquidity, each within the band.
    const twoTiers = ranked.find((_, rank) => realisticTokenLayout(rank) === "two-tiers")!;
    expectNear(model("realistic").depthWithinBandUsd(twoTiers, day, 200), m.depthWithinBandUsd(twoTiers, day, 200), 0.02 * m.depthWithinBandUsd(twoTiers, day, 200));
  });

  it("runs the keeper's depth screen at the keeper's default, on the model's depth, and it bites where the pools are thin", () => {
    const execution: ExecutionModel = { liquidity: "devnet", gas, managementFeeBps: 150, executionLagDays: 0 };
    const run = (minOnChainDepthUsd?: number) =>
      runBacktest({ dataset, fromDay: day, toDay: dataset.dates.length - 1, frequencies: ["weekly"], regimes: [false], methodology: { constituentCount: 10, minOnChainDepthUsd }, execution, capitalUsd: 1_000_000 });
    const keeperDefault = run();
    expect(keeperDefault.methodology.minOnChainDepthUsd).to.equal(DEFAULT_KEEPER_SETTINGS.methodology.minOnChainDepthUsd);
    // A floor above the smallest pools' depth screens them out of the index on some days; 0 turns the screen off.
    const high = run(60_000);
    expect(high.depthScreened.length).to.be.greaterThan(0);
    expect(run(0).depthScreened).to.deep.equal([]);
    const excluded = new Set(high.depthScreened.map((d) => d.id));
    expect(high.portfolios[0]!.series).to.not.deep.equal(run(0).portfolios[0]!.series);
    expect([...excluded].every((id) => dataset.registry.has(id))).to.equal(true);
  });
});
