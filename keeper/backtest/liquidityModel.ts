import { DEPTH_PRICE_MOVE_PCT } from "../chain/poolDepthAsset.js";
import { enumerateRoutes } from "../core/routing/enumerateRoutes.js";
import { DEFAULT_SPLIT_SLICES } from "../core/routing/splitOrder.js";
import type { Route, Venue } from "../core/routing/types.js";
import { devnetFeeTier, devnetLiquidityUsd, realisticTokenLayout, V3_LIQUIDITY_LAYOUT, venuePlan, WETH_USDC_FEE, WETH_USDC_LIQUIDITY_USD } from "./devnetLiquidityLayout.js";
import type { PointInTimeView } from "./pointInTimeView.js";
import type { Dataset, VenueLayout } from "./types.js";


/**
 * The planner's depth, as keeper/chain/poolDepthAsset.ts measures a pool: the stablecoin that moves its price by
 * DEPTH_PRICE_MOVE_PCT, L x sqrtP x (sqrt(1.02) - 1) of the stablecoin side, i.e. 0.995 % of the virtual reserve.
 * The model sums it over the asset's routes; the live keeper sizes chunks on its deepest direct stablecoin pool, so
 * on `--venues realistic` the model's chunks can be larger than the keeper's.
 */
const DEPTH_PER_RESERVE = Math.sqrt(Number(DEPTH_PRICE_MOVE_PCT) / 100) - 1;

/** The routing token of the realistic layout, and the model's stablecoin: only map keys, as no chain runs. */
export const MODEL_WETH = "0x00000000000000000000000000000000000000fe";

/**
 * A venue's virtual reserves at the oracle prices, in USD: r0 of its token0 (the asset, or WETH), r1 of its token1
 * (the stablecoin, or WETH). Arbitrage leaves both equal to L x sqrtP each morning; a trade moves them along
 * r0 x r1 = const (the exact V3 swap while the price stays inside the narrowest active band; a V2 pair's own rule).
 */
export interface VenueReserves {
  readonly r0: number;
  readonly r1: number;
}

/** One leg of a modelled order: a vault trade over `route`. Values at the oracle prices, USD. */
export interface ModelLeg {
  readonly route: Route;
  readonly valueInUsd: number;
  readonly valueOutUsd: number;
  /** The fee tiers' share of the input, hop by hop. */
  readonly feeUsd: number;
}

export interface ModelSplit {
  readonly legs: readonly ModelLeg[];
  /** The venues the legs moved, with their reserves after every leg (over the states the split started from). */
  readonly moved: ReadonlyMap<string, VenueReserves>;
}

export interface LiquidityModel {
  readonly mode: "devnet" | "recentred";
  readonly venues: VenueLayout;
  /** Every route the keeper would consider for buying (stablecoin to asset) or selling the asset: enumerateRoutes over its modelled venues. */
  routes(asset: number, side: "buy" | "sell"): readonly Route[];
  /** A venue's reserves this morning (arbitrage has restored it to the oracle price). */
  reserves(venueKey: string): VenueReserves;
  /** The planner's depth in stablecoin raw units (6 decimals): each route's reserve x DEPTH_PER_RESERVE, summed. */
  depthAsset(asset: number): bigint;
  /**
   * The depth screen's input (issue 13's onChainDepthUsd) on `day`'s close: the stablecoin the asset's routes trade
   * while its price stays within `bandBps` of the oracle's, buys (fees included) and sells each summed over the
   * routes, then the smaller side.
   */
  depthWithinBandUsd(asset: number, day: number, bandBps: number): number;
  /**
   * An exact-input order of `valueInUsd` split across `routes` as the keeper's splitOrder does, on the reserves
   * `states` gives (this morning's, moved by the rebalance's earlier legs); `extraLegCostUsd` is what opening one
   * more route costs in gas.
   */
  split(routes: readonly Route[], valueInUsd: number, states: (venueKey: string) => VenueReserves, extraLegCostUsd: (route: Route) => number): ModelSplit;
}


/** A venue's liquidity: the value (USD) of each position and the half-width of its band (null: full range; a V2 pair is one such). */
type Positions = readonly { readonly band: number | null; readonly valueUsd: number }[];

interface ModelVenue {
  readonly venue: Venue;
  /** The asset whose price moves the venue; null for WETH/stablecoin, whose price the model holds (no data has WETH). */
  readonly asset: number | null;
  /** Share of the asset's liquidity in this venue (recentred mode scales today's liquidity by it). */
  readonly share: number;
  readonly protocol: "v3" | "v2";
  readonly positions: Positions;
  /** USD price of token0 the bands are centred on; null: re-centred daily. */
  readonly centrePriceUsd: number | null;
  readonly fee: number;
}

/**
 * Each asset's venues, minted as the devnet mints them, and the routes over them.
 * - Venues (`venues`): "direct" is the default devnet and the season, one V3 pool against the stablecoin; "realistic"
 *   is `npm run devnet -- --liquidity realistic` (the execution benchmark's market): by rank, in tenths, a direct
 *   pool, two V3 fee tiers (60/40), a V3 stablecoin pool with a V2 pair against WETH holding 30 %, only a WETH pool,
 *   or a thin 1 % WETH pool of at most $2M; WETH/stablecoin a $300M 0.05 % pool at a price held constant.
 * - Every V3 position of value V over [Pc/(1+b), Pc(1+b)] has liquidity L = V / (2 sqrtPc (1 - 1/sqrt(1+b)))
 *   (full range: V / (2 sqrtPc)); while the price P is inside its range it adds L x sqrtP to the venue's virtual
 *   reserves. A V2 pair is a full-range position. "devnet" mints each venue once, on the run's first day (the view's
 *   day when the model is created, as the devnet deploys its market when the season starts) or at the asset's
 *   listing if later, and never re-centres it: bands drop out as the price wanders, as on the devnet. "recentred":
 *   liquidity follows today's market cap with every band centred on today's price, as active LPs keep it.
 * - Routes: the keeper's own enumerateRoutes (keeper/core/routing) over the asset's venues with WETH as the
 *   connector: each pool and pair direct, and each two-hop route through WETH.
 * - Fills: the keeper's splitOrder greedy (slices to the route whose next slice returns the most after an unopened
 *   route's gas), on these constant-product reserves in floating point. The keeper's splitOrder itself runs the
 *   v3-sdk's tick maths in JSBI, asynchronously, on pool states read from a chain: a few hundred microseconds a quote,
 *   which over the benchmark's 150,000 trades would alone take longer than the 20 s budget of the whole backtest, and
 *   there are no ticks to read here, only the model's bands. The maths is the same: a hop pays its fee tier on its
 *   input and the rest fills on the reserves the earlier slices and legs left.
 */
export function createLiquidityModel(dataset: Dataset, view: PointInTimeView, mode: "devnet" | "recentred", venues: VenueLayout, tokenAddress: (asset: number) => string, stablecoin: string): LiquidityModel {
  const riskyIndices = dataset.assets.flatMap((a, i) => (a.isStablecoin || a.derivativeOf !== undefined ? [] : [i]));
  // The warm-up days before the run are history, not the pools' life: a pool centred there would be off-centre
  // (its bands out of range) on the day the devnet mints it at the market's price.
  const startDay = view.day;
  const byKey = new Map<string, ModelVenue>();
  const minted = new Map<number, { venues: ModelVenue[]; buy: Route[]; sell: Route[] }>();
  const connectors = venues === "realistic" ? [MODEL_WETH] : [];
  const weth: ModelVenue = {
    venue: { protocol: "v3", address: "weth-stablecoin", token0: MODEL_WETH, token1: stablecoin, fee: WETH_USDC_FEE },
    asset: null,
    share: 1,
    protocol: "v3",
    positions: V3_LIQUIDITY_LAYOUT.map(({ band, share }) => ({ band, valueUsd: WETH_USDC_LIQUIDITY_USD * share })),
    centrePriceUsd: null,
    fee: WETH_USDC_FEE,
  };
  byKey.set(weth.venue.address, weth);

  const liquidityUsd = devnetLiquidityUsd;
  const rankOn = (asset: number, day: number): number => {
    const caps = dataset.marketCapUsd[day]!;
    const cap = caps[asset]!;
    let rank = 1;
    for (const i of riskyIndices) if (i !== asset && caps[i]! > cap) rank++;
    return rank;
  };
  const positionsOf = (protocol: "v3" | "v2", valueUsd: number): Positions =>
    protocol === "v2" ? [{ band: null, valueUsd }] : V3_LIQUIDITY_LAYOUT.map(({ band, share }) => ({ band, valueUsd: valueUsd * share }));

  const mint = (asset: number) => {
    let pools = minted.get(asset);
    if (pools !== undefined) return pools;
    // Minted on the run's first day, or listed later on its first observed day, at that day's price and market cap.
    let first = startDay;
    while (first < view.day && Number.isNaN(dataset.priceUsd[first]![asset]!)) first++;
    const priceUsd = view.priceUsd(asset, first);
    const capUsd = view.marketCapUsd(asset, first);
    const rank = rankOn(asset, first);
    const fee = devnetFeeTier(rank);
    const total = liquidityUsd(capUsd > 0 ? capUsd : 0);
    const token = tokenAddress(asset);
    const plans = venuePlan(venues === "realistic" ? realisticTokenLayout(rank - 1) : "direct", { fee, liquidityUsd: total });
    const assetVenues = plans.map((plan, k): ModelVenue => ({
      venue: { protocol: plan.protocol, address: `pool-${asset}-${k}`, token0: token, token1: plan.quote === "stable" ? stablecoin : MODEL_WETH, fee: plan.fee },
      asset,
      share: plan.liquidityUsd / total,
      protocol: plan.protocol,
      positions: positionsOf(plan.protocol, plan.liquidityUsd),
      centrePriceUsd: mode === "devnet" ? priceUsd : null,
      fee: plan.fee,
    }));
    for (const v of assetVenues) byKey.set(v.venue.address, v);
    const all = [...assetVenues.map((v) => v.venue), ...(venues === "realistic" ? [weth.venue] : [])];
    pools = {
      venues: assetVenues,
      buy: enumerateRoutes({ tokenIn: stablecoin, tokenOut: token, venues: all, connectors }),
      sell: enumerateRoutes({ tokenIn: token, tokenOut: stablecoin, venues: all, connectors }),
    };
    minted.set(asset, pools);
    return pools;
  };

  /** The venue's positions on `day` and its token0 price over their centre (1 when re-centred, and for WETH). */
  const shapeOn = (v: ModelVenue, day: number): { positions: Positions; ratio: number } => {
    if (v.asset === null) return { positions: v.positions, ratio: 1 };
    if (v.centrePriceUsd === null) return { positions: positionsOf(v.protocol, liquidityUsd(view.marketCapUsd(v.asset, day)) * v.share), ratio: 1 };
    return { positions: v.positions, ratio: view.priceUsd(v.asset, day) / v.centrePriceUsd };
  };
  const perSqrtCentre = (band: number | null): number => (band === null ? 2 : 2 * (1 - 1 / Math.sqrt(1 + band)));
  /** L x sqrtP of the positions active at `ratio`, in USD. */
  const reserveAt = ({ positions, ratio }: { positions: Positions; ratio: number }): number => {
    let reserve = 0;
    for (const { band, valueUsd } of positions) {
      if (band !== null && (ratio < 1 / (1 + band) || ratio > 1 + band)) continue;
      reserve += (valueUsd / perSqrtCentre(band)) * Math.sqrt(ratio);
    }
    return reserve;
  };
  /**
   * The quote (USD) a venue trades while its price moves from `ratio` x centre to `ratio` x (1 + move) (move < 0:
   * down), summed over its positions' ranges (V3's amount between two sqrt prices, L x (sqrt(b) - sqrt(a)), with
   * each position clipped to its band): what the keeper's venueDepthNearPrice (keeper/core/routing) gets by running
   * the pool's swap.
   */
  const quoteBetween = ({ positions, ratio }: { positions: Positions; ratio: number }, move: number): number => {
    const [lo, hi] = move > 0 ? [ratio, ratio * (1 + move)] : [ratio * (1 + move), ratio];
    let quote = 0;
    for (const { band, valueUsd } of positions) {
      const a = band === null ? lo : Math.max(lo, 1 / (1 + band));
      const b = band === null ? hi : Math.min(hi, 1 + band);
      if (b > a) quote += (valueUsd / perSqrtCentre(band)) * (Math.sqrt(b) - Math.sqrt(a));
    }
    return quote;
  };
  /** Two hops in a row share the route's price move in proportion to their impact (1 / depth): their depths add as 1/d. */
  const inSeries = (values: readonly number[]): number => (values.length === 1 ? values[0]! : values.some((d) => !(d > 0)) ? 0 : 1 / values.reduce((sum, d) => sum + 1 / d, 0));

  let reservesDay = -1;
  const reservesCache = new Map<string, VenueReserves>();
  const reserves = (key: string): VenueReserves => {
    if (reservesDay !== view.day) {
      reservesCache.clear();
      reservesDay = view.day;
    }
    let state = reservesCache.get(key);
    if (state === undefined) {
      const v = byKey.get(key);
      if (v === undefined) throw new Error(`liquidity model: no venue ${key}`);
      const reserve = reserveAt(shapeOn(v, view.day));
      state = { r0: reserve, r1: reserve };
      reservesCache.set(key, state);
    }
    return state;
  };

  /** One route, hop by hop, on `states` overlaid with its own moves: the venues it leaves moved are in `moved`. */
  const simulate = (route: Route, valueInUsd: number, states: (key: string) => VenueReserves, moved: Map<string, VenueReserves>): { out: number; fee: number } => {
    let value = valueInUsd;
    let fee = 0;
    for (const hop of route.hops) {
      const key = hop.venue.address;
      const state = moved.get(key) ?? states(key);
      const paid = (value * hop.venue.fee) / 1e6;
      const net = value - paid;
      fee += paid;
      if (hop.tokenIn === hop.venue.token0) {
        value = (state.r1 * net) / (state.r0 + net);
        moved.set(key, { r0: state.r0 + net, r1: state.r1 - value });
      } else {
        value = (state.r0 * net) / (state.r1 + net);
        moved.set(key, { r0: state.r0 - value, r1: state.r1 + net });
      }
    }
    return { out: value, fee };
  };

  return {
    mode,
    venues,
    routes: (asset, side) => mint(asset)[side],
    reserves,
    depthAsset(asset) {
      let depth = 0;
      for (const route of mint(asset).buy) depth += inSeries(route.hops.map((h) => reserves(h.venue.address).r0));
      return BigInt(Math.max(1, Math.floor(depth * DEPTH_PER_RESERVE * 1e6)));
    },
    depthWithinBandUsd(asset, day, bandBps) {
      const move = bandBps / 10_000;
      // As the live keeper counts (keeper/core/routing/routesDepthNearPrice.ts): each venue may move its own price to
      // the band's edge; direct venues add up; the token's WETH venues add up and are capped by what the
      // WETH/stablecoin venues (each counted once) can take within their band. Buying raises every hop's token0 price
      // (WETH, then the asset); the pools take the fee on top.
      const bandOf = (venue: Route["hops"][number]["venue"], side: 1 | -1) => {
        const value = quoteBetween(shapeOn(byKey.get(venue.address)!, day), side * move);
        return side === 1 ? value / (1 - venue.fee / 1e6) : value;
      };
      const side = (sign: 1 | -1): number => {
        let direct = 0;
        let tokenLegs = 0;
        const connectors = new Map<string, number>();
        for (const route of mint(asset).buy) {
          const hops = route.hops;
          if (hops.length === 1) direct += bandOf(hops[0]!.venue, sign);
          else {
            tokenLegs += bandOf(hops[hops.length - 1]!.venue, sign);
            connectors.set(hops[0]!.venue.address, bandOf(hops[0]!.venue, sign));
          }
        }
        const capacity = [...connectors.values()].reduce((a, b) => a + b, 0);
        return direct + Math.min(tokenLegs, capacity);
      };
      return Math.min(side(1), side(-1));
    },
    split(routes, valueInUsd, states, extraLegCostUsd) {
      const allocated = routes.map(() => 0);
      if (routes.length === 1) allocated[0] = valueInUsd;
      else {
        const placed = new Map<string, VenueReserves>();
        const placedStates = (key: string) => placed.get(key) ?? states(key);
        const slice = valueInUsd / DEFAULT_SPLIT_SLICES;
        for (let s = 0; s < DEFAULT_SPLIT_SLICES; s++) {
          let best = -1;
          let bestScore = 0;
          let bestMoved: Map<string, VenueReserves> | undefined;
          const anyOpen = allocated.some((a) => a > 0);
          for (let i = 0; i < routes.length; i++) {
            const moved = new Map<string, VenueReserves>();
            const { out } = simulate(routes[i]!, slice, placedStates, moved);
            const score = out - (anyOpen && allocated[i] === 0 ? extraLegCostUsd(routes[i]!) : 0);
            if (best < 0 || score > bestScore) [best, bestScore, bestMoved] = [i, score, moved];
          }
          allocated[best] += slice;
          for (const [key, state] of bestMoved!) placed.set(key, state);
        }
      }
      const legs: ModelLeg[] = [];
      const moved = new Map<string, VenueReserves>();
      for (let i = 0; i < routes.length; i++) {
        if (!(allocated[i]! > 0)) continue;
        const { out, fee } = simulate(routes[i]!, allocated[i]!, states, moved);
        legs.push({ route: routes[i]!, valueInUsd: allocated[i]!, valueOutUsd: out, feeUsd: fee });
      }
      return { legs, moved };
    },
  };
}
