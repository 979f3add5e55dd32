// In-memory venues for the routing's unit tests (no chain): V2 pairs (v2-sdk) and V3 pools (v3-sdk over the
// keeper's own tick window, as readVenueStates builds them), and the constant-product and single-range V3 swap
// formulas written out independently, so that expected amounts are derived without the code under test.
import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { Pair } from "@uniswap/v2-sdk";
import { Pool, TICK_SPACINGS, TickMath, type FeeAmount } from "@uniswap/v3-sdk";
import { WindowTickDataProvider } from "../../../../keeper/chain/windowTickDataProvider.js";
import type { Route, Venue, VenueState } from "../../../../keeper/core/routing/types.js";

/**
 * Addresses in ascending order: USDC < WETH < TKA < TKB, so token0 of every pair is the first in that order. They
 * hold letters, so that the SDKs' checksummed spelling differs from the lower case the keeper keys venues by.
 */
export const USDC = new Token(1, "0x1aaa00000000000000000000000000000000000a", 6, "USDC");
export const WETH = new Token(1, "0x2bbb00000000000000000000000000000000000b", 18, "WETH");
export const TKA = new Token(1, "0x3ccc00000000000000000000000000000000000c", 18, "TKA");
export const TKB = new Token(1, "0x4ddd00000000000000000000000000000000000d", 18, "TKB");

export interface TestVenue {
  venue: Venue;
  state: VenueState;
}

/** A V2 pair holding `reserveA` of a and `reserveB` of b (raw), at a made-up address. */
export function v2(address: string, a: Token, reserveA: bigint, b: Token, reserveB: bigint): TestVenue {
  const sdk = new Pair(CurrencyAmount.fromRawAmount(a, reserveA.toString()), CurrencyAmount.fromRawAmount(b, reserveB.toString()));
  return { venue: { protocol: "v2", address, token0: sdk.token0.address, token1: sdk.token1.address, fee: 3000 }, state: { protocol: "v2", pair: sdk } };
}

export const Q96 = 1n << 96n;

export interface V3Spec {
  address: string;
  /** token0 < token1 by address. */
  token0: Token;
  token1: Token;
  fee: FeeAmount;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  /** The one position's range: liquidity is `liquidity` inside it, 0 outside. */
  tickLower: number;
  tickUpper: number;
  /** The tick-bitmap words read (default the current one +-3, as readVenueStates' wordRadius 3). */
  minWord?: number;
  maxWord?: number;
}

/** A V3 pool with one position, read over tick-bitmap words minWord..maxWord (crossing beyond them throws). */
export function v3(spec: V3Spec): TestVenue {
  const tick = tickOf(spec.sqrtPriceX96);
  const word = Math.floor(tick / TICK_SPACINGS[spec.fee]) >> 8;
  const ticks = [
    { index: spec.tickLower, liquidityGross: spec.liquidity, liquidityNet: spec.liquidity },
    { index: spec.tickUpper, liquidityGross: spec.liquidity, liquidityNet: -spec.liquidity },
  ];
  const pool = new Pool(
    spec.token0,
    spec.token1,
    spec.fee,
    spec.sqrtPriceX96.toString(),
    spec.liquidity.toString(),
    tick,
    new WindowTickDataProvider(ticks, spec.minWord ?? word - 3, spec.maxWord ?? word + 3),
  );
  return { venue: { protocol: "v3", address: spec.address, token0: spec.token0.address, token1: spec.token1.address, fee: spec.fee }, state: { protocol: "v3", pool } };
}

/** The tick whose range holds a sqrt price (TickMath's sqrt of each tick is exact; the logarithm only starts the search). */
function tickOf(sqrtPriceX96: bigint): number {
  const at = (t: number) => BigInt(TickMath.getSqrtRatioAtTick(t).toString());
  let tick = Math.floor((2 * Math.log(Number(sqrtPriceX96) / 2 ** 96)) / Math.log(1.0001));
  while (at(tick + 1) <= sqrtPriceX96) tick++;
  while (at(tick) > sqrtPriceX96) tick--;
  return tick;
}

export const statesOf = (...venues: TestVenue[]) => new Map(venues.map((v) => [v.venue.address.toLowerCase(), v.state]));

/** A route over `venues`, hop by hop, starting from tokenIn. */
export function routeOf(tokenIn: Token, ...hops: [TestVenue, Token][]): Route {
  let from = tokenIn.address;
  return {
    hops: hops.map(([v, to]) => {
      const hop = { venue: v.venue, tokenIn: from, tokenOut: to.address };
      from = to.address;
      return hop;
    }),
  };
}

/** Uniswap V2's exact-input output: 0.3 % fee, floor. */
export const v2Out = (reserveIn: bigint, reserveOut: bigint, amountIn: bigint) => (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n);

/** Uniswap V2's exact-output input: ceil-ish as the pair contract (floor + 1). */
export const v2In = (reserveIn: bigint, reserveOut: bigint, amountOut: bigint) => (reserveIn * amountOut * 1000n) / ((reserveOut - amountOut) * 997n) + 1n;

const divUp = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * A V3 exact-input swap that stays inside one initialized range and one tick-bitmap word (one swap step, as
 * the pool contract computes it): the fee off the input first, the new sqrt price rounded against the trader,
 * the output rounded down.
 */
export function v3ExactIn(sqrtPX96: bigint, liquidity: bigint, fee: number, amountIn: bigint, zeroForOne: boolean): { amountOut: bigint; sqrtAfterX96: bigint } {
  const lessFee = (amountIn * (1_000_000n - BigInt(fee))) / 1_000_000n;
  if (zeroForOne) {
    const n1 = liquidity << 96n;
    const sqrtAfterX96 = divUp(n1 * sqrtPX96, n1 + lessFee * sqrtPX96);
    return { amountOut: (liquidity * (sqrtPX96 - sqrtAfterX96)) / Q96, sqrtAfterX96 };
  }
  const sqrtAfterX96 = sqrtPX96 + (lessFee << 96n) / liquidity;
  return { amountOut: (((liquidity << 96n) * (sqrtAfterX96 - sqrtPX96)) / sqrtAfterX96) / sqrtPX96, sqrtAfterX96 };
}

/** token0 a V3 range pays or takes between two sqrt prices (lo < hi). */
export const amount0Delta = (lo: bigint, hi: bigint, liquidity: bigint, roundUp: boolean) =>
  roundUp ? divUp(divUp((liquidity << 96n) * (hi - lo), hi), lo) : ((liquidity << 96n) * (hi - lo)) / hi / lo;
/** token1 a V3 range pays or takes between two sqrt prices (lo < hi). */
export const amount1Delta = (lo: bigint, hi: bigint, liquidity: bigint, roundUp: boolean) => (roundUp ? divUp(liquidity * (hi - lo), Q96) : (liquidity * (hi - lo)) / Q96);
/** The fee a V3 step charges on `amountIn` that reached its target price. */
export const v3Fee = (amountIn: bigint, fee: number) => divUp(amountIn * BigInt(fee), 1_000_000n - BigInt(fee));

/** floor(sqrt(n)) by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) [x, y] = [y, (y + n / y) / 2n];
  return x;
}

/** The Q64.96 sqrt of amount1 / amount0, floored (Uniswap's encodeSqrtRatioX96). */
export const sqrtRatioX96 = (amount1: bigint, amount0: bigint) => isqrt((amount1 << 192n) / amount0);
