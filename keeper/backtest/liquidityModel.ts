import type { Dataset, PoolModel } from "./types.js";
import type { PointInTimeView } from "./pointInTimeView.js";
import { DEPTH_PRICE_MOVE_PCT } from "../chain/poolDepthAsset.js";

/**
 * The devnet's pool layout (devnet/deployMarket.ts and devnet/tokenSpecs.ts), which is what the model is
 * calibrated against: liquidity worth 0.2 % of the market cap, at least $4M and at most $400M, 70 % full range,
 * 20 % within +-10 % and 10 % within +-3 %; fee tier 0.05 % for the two largest assets, 0.3 % down to rank 30,
 * 1 % below, ranked among the day's investable assets on the day the pool is minted.
 */
export const DEVNET_LIQUIDITY = Object.freeze({
  liquidityShareOfMarketCap: 2e-3,
  minLiquidityUsd: 4e6,
  maxLiquidityUsd: 400e6,
  layout: [
    { band: null, share: 0.7 },
    { band: 0.1, share: 0.2 },
    { band: 0.03, share: 0.1 },
  ] as const,
  feeTiers: [
    { maxRank: 2, feePips: 500 },
    { maxRank: 30, feePips: 3000 },
    { maxRank: Infinity, feePips: 10_000 },
  ] as const,
});

/**
 * The keeper's depth (keeper/chain/poolDepthAsset.ts): the stablecoin that moves the pool's price by
 * DEPTH_PRICE_MOVE_PCT, L x sqrtP x (sqrt(1.02) - 1) of the stablecoin side, i.e. 0.995 % of the virtual reserve.
 */
const DEPTH_PER_RESERVE = Math.sqrt(Number(DEPTH_PRICE_MOVE_PCT) / 100) - 1;

export interface LiquidityModel {
  readonly mode: "devnet" | "recentred";
  pool(asset: number): PoolModel;
  /** Virtual stablecoin reserve L x sqrtP (USD) of the liquidity active at today's price. */
  reserveUsd(asset: number): number;
  /** The depth the keeper would read from the pool today, in stablecoin raw units (6 decimals). */
  depthAsset(asset: number): bigint;
}

/**
 * One Uniswap V3 pool per asset against the stablecoin. A position of value V over [Pc/(1+b), Pc(1+b)] has
 * liquidity L = V / (2 sqrtPc (1 - 1/sqrt(1+b))) (full range: V / (2 sqrtPc)), and while the price P is inside
 * its range it contributes L x sqrtP to the virtual reserve; a trade then fills on the constant product of
 * that reserve (the exact V3 swap while the price stays inside the narrowest active band).
 * - "devnet": the pool is minted once, on the run's first day (the view's day when the model is created, as the
 *   devnet deploys its market when the season starts) or at the asset's listing if that is later, and never
 *   re-centred: bands drop out as the price wanders, exactly as on the devnet, where nobody re-centres.
 * - "recentred": liquidity follows today's market cap with every band centred on today's price, as active
 *   LPs on a real chain keep it.
 */
export function createLiquidityModel(dataset: Dataset, view: PointInTimeView, mode: "devnet" | "recentred"): LiquidityModel {
  const riskyIndices = dataset.assets.flatMap((a, i) => (a.isStablecoin || a.derivativeOf !== undefined ? [] : [i]));
  const minted = new Map<number, PoolModel>();
  // The warm-up days before the run are history, not the pools' life: a pool centred there would be off-centre
  // (its bands out of range) on the day the devnet mints it at the market's price.
  const startDay = view.day;
  const reserveCache = new Map<number, number>();
  let reserveDay = -1;

  const liquidityUsd = (marketCapUsd: number): number =>
    Math.min(DEVNET_LIQUIDITY.maxLiquidityUsd, Math.max(DEVNET_LIQUIDITY.minLiquidityUsd, marketCapUsd * DEVNET_LIQUIDITY.liquidityShareOfMarketCap));
  const feeFor = (asset: number, day: number): number => {
    const caps = dataset.marketCapUsd[day]!;
    const cap = caps[asset]!;
    let rank = 1;
    for (const i of riskyIndices) if (i !== asset && caps[i]! > cap) rank++;
    return DEVNET_LIQUIDITY.feeTiers.find((t) => rank <= t.maxRank)!.feePips;
  };
  const layout = (marketCapUsd: number): PoolModel["positions"] =>
    DEVNET_LIQUIDITY.layout.map(({ band, share }) => ({ band, valueUsd: liquidityUsd(marketCapUsd) * share }));

  const pool = (asset: number): PoolModel => {
    let model = minted.get(asset);
    if (model !== undefined) return model;
    // Minted on the run's first day, or listed later on its first observed day, at that day's price and market cap.
    let first = startDay;
    while (first < view.day && Number.isNaN(dataset.priceUsd[first]![asset]!)) first++;
    const priceUsd = view.priceUsd(asset, first);
    const capUsd = view.marketCapUsd(asset, first);
    model = { feePips: feeFor(asset, first), positions: layout(capUsd > 0 ? capUsd : 0), centrePriceUsd: mode === "devnet" ? priceUsd : null };
    minted.set(asset, model);
    return model;
  };

  const reserveUsd = (asset: number): number => {
    if (reserveDay !== view.day) {
      reserveCache.clear();
      reserveDay = view.day;
    }
    let reserve = reserveCache.get(asset);
    if (reserve !== undefined) return reserve;
    const model = pool(asset);
    const price = view.priceUsd(asset);
    const positions = mode === "devnet" ? model.positions : layout(view.marketCapUsd(asset));
    const centre = model.centrePriceUsd ?? price;
    reserve = 0;
    for (const { band, valueUsd } of positions) {
      if (band !== null && (price < centre / (1 + band) || price > centre * (1 + band))) continue;
      const perSqrtCentre = band === null ? 2 : 2 * (1 - 1 / Math.sqrt(1 + band));
      reserve += (valueUsd / perSqrtCentre) * Math.sqrt(price / centre);
    }
    reserveCache.set(asset, reserve);
    return reserve;
  };

  return {
    mode,
    pool,
    reserveUsd,
    depthAsset: (asset) => BigInt(Math.max(1, Math.floor(reserveUsd(asset) * DEPTH_PER_RESERVE * 1e6))),
  };
}
