import { encodeSqrtRatioX96, nearestUsableTick, TickMath } from "@uniswap/v3-sdk";

/** A pool of `token` against the stablecoin, as far as its price is concerned. */
export interface PoolSide {
  /** Whether the constituent token is the pool's token0 (its address sorts below the stablecoin's). */
  tokenIsToken0: boolean;
  tokenDecimals: number;
  stableDecimals: number;
}

const PRICE_SCALE = 10n ** 12n;

/** The exact sqrtPriceX96 at which one whole token costs `price` whole stablecoins. */
export function sqrtPriceX96ForPrice(side: PoolSide, price: number): bigint {
  if (!(price > 0) || !Number.isFinite(price)) throw new RangeError(`price must be positive and finite, got ${price}`);
  const scaled = BigInt(Math.round(price * 1e12));
  const stableRaw = scaled * 10n ** BigInt(side.stableDecimals);
  const tokenRaw = PRICE_SCALE * 10n ** BigInt(side.tokenDecimals);
  // Uniswap's price is token1 per token0 in raw units.
  const ratio = side.tokenIsToken0 ? encodeSqrtRatioX96(stableRaw.toString(), tokenRaw.toString()) : encodeSqrtRatioX96(tokenRaw.toString(), stableRaw.toString());
  return BigInt(ratio.toString());
}

/** The price of one whole token in whole stablecoins at `sqrtPriceX96` (a float: for display and checks). */
export function priceForSqrtPriceX96(side: PoolSide, sqrtPriceX96: bigint): number {
  const sqrt = Number(sqrtPriceX96) / 2 ** 96;
  const raw = sqrt * sqrt;
  const decimalsShift = 10 ** (side.tokenDecimals - side.stableDecimals);
  return side.tokenIsToken0 ? raw * decimalsShift : decimalsShift / raw;
}

/** The tick a sqrt price falls in, in floating point: good enough to centre liquidity bands on. */
export function approximateTickAtSqrtPrice(sqrtPriceX96: bigint): number {
  return Math.floor((2 * Math.log(Number(sqrtPriceX96) / 2 ** 96)) / Math.log(1.0001));
}

/** Usable ticks `bandFraction` either side of `tick` (for a symmetric band of liquidity). */
export function bandTicks(tick: number, bandFraction: number, tickSpacing: number): [number, number] {
  const delta = Math.round(Math.log(1 + bandFraction) / Math.log(1.0001));
  let lower = nearestUsableTick(tick - delta, tickSpacing);
  let upper = nearestUsableTick(tick + delta, tickSpacing);
  if (lower >= tick) lower -= tickSpacing;
  if (upper <= tick) upper += tickSpacing;
  return [lower, upper];
}

export function fullRangeTicks(tickSpacing: number): [number, number] {
  return [nearestUsableTick(TickMath.MIN_TICK, tickSpacing), nearestUsableTick(TickMath.MAX_TICK, tickSpacing)];
}

/**
 * Raw amounts of token0 and token1 to supply for a position in [tickLower, tickUpper] worth `valueToken1Raw`
 * (in raw token1 units) at `sqrtPriceX96`, with a small margin: the position manager takes the limiting side.
 */
export function amountsForValue(sqrtPriceX96: bigint, tickLower: number, tickUpper: number, valueToken1Raw: number): [bigint, bigint] {
  const s = Number(sqrtPriceX96) / 2 ** 96;
  const sa = Math.sqrt(1.0001 ** tickLower);
  const sb = Math.sqrt(1.0001 ** tickUpper);
  // Value of a unit of liquidity in token1: amount0 * price + amount1 = L * (2s - s^2/sb - sa).
  const liquidity = valueToken1Raw / (2 * s - (s * s) / sb - sa);
  const amount0 = liquidity * (1 / s - 1 / sb) * 1.001;
  const amount1 = liquidity * (s - sa) * 1.001;
  return [BigInt(Math.ceil(amount0)), BigInt(Math.ceil(amount1))];
}

/** A decimal amount to raw units (the fraction beyond 15 digits is dropped), for inventories and answers. */
export function toRaw(amount: number, decimals: number): bigint {
  if (!(amount >= 0) || !Number.isFinite(amount)) throw new RangeError(`amount must be finite and non-negative, got ${amount}`);
  const whole = Math.floor(amount);
  const fractionDigits = Math.min(decimals, 15);
  const fraction = BigInt(Math.round((amount - whole) * 10 ** fractionDigits)) * 10n ** BigInt(decimals - fractionDigits);
  return BigInt(whole) * 10n ** BigInt(decimals) + fraction;
}
