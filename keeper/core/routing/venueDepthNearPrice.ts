import { CurrencyAmount, type Token } from "@uniswap/sdk-core";
import { InsufficientInputAmountError } from "@uniswap/v2-sdk";
import { encodeSqrtRatioX96 } from "@uniswap/v3-sdk";
import type { VenueState } from "./types.js";

export interface VenueDepthNearPriceParameters {
  /** The venue's state at the block read (readVenueStates): a V3 pool over the ticks read, or a V2 pair. */
  state: VenueState;
  /** The side the buy and sell values are counted in (the stablecoin, or WETH for a token's WETH venue). */
  quoteToken: string;
  /**
   * The reference price (the oracles') as a ratio of raw amounts: `quoteRaw` of the quote token for `baseRaw` of
   * the venue's other token (the base's oracle unit price over the quote's, say).
   */
  quoteRaw: bigint;
  baseRaw: bigint;
  /** How far the trade may take the venue's price from the reference price: 200 for "within 2 %". */
  bandBps: number;
}

export interface VenueDepthNearPriceReturnType {
  /** Buying the base until the venue's price is the reference x (1 + band): quote paid (fees included), base received. */
  buyQuoteIn: bigint;
  buyBaseOut: bigint;
  /** Selling the base until the venue's price is the reference x (1 - band): base paid, quote received (after fees). */
  sellBaseIn: bigint;
  sellQuoteOut: bigint;
}

// An amount no pool holds: the swap stops at the price limit instead.
const UNBOUNDED = (1n << 120n).toString();
const raw = (amount: { quotient: { toString(): string } }) => BigInt(amount.quotient.toString());

/**
 * What one venue trades within `bandBps` of a reference price, each way. A V3 pool: the v3-sdk's port of the
 * pool's swap, run with the band's edge as the price limit over every initialized tick it crosses (a tick outside
 * the words read throws TickWindowExceededError: read wider). A V2 pair: the reserves at which its price x/y is at
 * the edge with x·y unchanged, the quote (buy) or base (sell) that takes it there, and what the pair pays for that
 * (v2-sdk, 0.3 % fee): the fee stays in the reserves, so the pair's price ends just inside the band. A venue already
 * past an edge trades nothing towards it.
 */
export async function venueDepthNearPrice({ state, quoteToken, quoteRaw, baseRaw, bandBps }: VenueDepthNearPriceParameters): Promise<VenueDepthNearPriceReturnType> {
  if (!(quoteRaw > 0n && baseRaw > 0n)) throw new RangeError(`venueDepthNearPrice: the reference price must be positive (quote ${quoteRaw}, base ${baseRaw})`);
  if (!(Number.isInteger(bandBps) && bandBps > 0 && bandBps < 10_000)) throw new RangeError(`venueDepthNearPrice: bandBps ${bandBps} is not an integer in (0, 10000)`);
  const [token0, token1] = state.protocol === "v3" ? [state.pool.token0, state.pool.token1] : [state.pair.token0, state.pair.token1];
  const quoteIs0 = token0.address.toLowerCase() === quoteToken.toLowerCase();
  if (!quoteIs0 && token1.address.toLowerCase() !== quoteToken.toLowerCase()) throw new RangeError(`venueDepthNearPrice: venue ${token0.address}/${token1.address} does not hold ${quoteToken}`);
  const [quote, base] = quoteIs0 ? [token0, token1] : [token1, token0];
  const up = BigInt(10_000 + bandBps);
  const down = BigInt(10_000 - bandBps);
  const none: VenueDepthNearPriceReturnType = { buyQuoteIn: 0n, buyBaseOut: 0n, sellBaseIn: 0n, sellQuoteOut: 0n };
  if (state.protocol === "v2") return pairDepth(state.pair, quote, base, quoteRaw * up, baseRaw * 10_000n, quoteRaw * down, none);

  const pool = state.pool;
  // The pool's price is token1 per token0 (raw): the base's price up is that ratio up when the quote is token1.
  const edge = (bps: bigint) =>
    quoteIs0 ? encodeSqrtRatioX96((baseRaw * 10_000n).toString(), (quoteRaw * bps).toString()) : encodeSqrtRatioX96((quoteRaw * bps).toString(), (baseRaw * 10_000n).toString());
  const upEdge = edge(up);
  const downEdge = edge(down);
  const current = BigInt(pool.sqrtRatioX96.toString());
  // Buying the base raises its price: sqrt price up when the quote is token1, down when it is token0.
  const buyMovesUp = !quoteIs0;
  const reachable = (limit: bigint, moveUp: boolean) => (moveUp ? limit > current : limit < current);
  const result = { ...none };
  if (reachable(BigInt(upEdge.toString()), buyMovesUp)) {
    result.buyQuoteIn = raw((await pool.getInputAmount(CurrencyAmount.fromRawAmount(base, UNBOUNDED), upEdge))[0]);
    result.buyBaseOut = raw((await pool.getOutputAmount(CurrencyAmount.fromRawAmount(quote, UNBOUNDED), upEdge))[0]);
  }
  if (reachable(BigInt(downEdge.toString()), !buyMovesUp)) {
    result.sellQuoteOut = raw((await pool.getOutputAmount(CurrencyAmount.fromRawAmount(base, UNBOUNDED), downEdge))[0]);
    result.sellBaseIn = raw((await pool.getInputAmount(CurrencyAmount.fromRawAmount(quote, UNBOUNDED), downEdge))[0]);
  }
  return result;
}

/** floor(sqrt(num / den)), through the v3-sdk's sqrt-ratio encoding (floor(sqrt(num x 2^192 / den))). */
const sqrtOfRatio = (num: bigint, den: bigint) => BigInt(encodeSqrtRatioX96(num.toString(), den.toString()).toString()) >> 96n;

/** The V2 pair's part of venueDepthNearPrice; the edges are (upNum / refDen) and (downNum / refDen) quote per base. */
function pairDepth(
  pair: Extract<VenueState, { protocol: "v2" }>["pair"],
  quote: Token,
  base: Token,
  upNum: bigint,
  refDen: bigint,
  downNum: bigint,
  none: VenueDepthNearPriceReturnType,
): VenueDepthNearPriceReturnType {
  const x = raw(pair.reserveOf(base));
  const y = raw(pair.reserveOf(quote));
  const out = (input: Token, amount: bigint) => {
    try {
      return raw(pair.getOutputAmount(CurrencyAmount.fromRawAmount(input, amount.toString()))[0]);
    } catch (error) {
      if (error instanceof InsufficientInputAmountError) return 0n;
      throw error;
    }
  };
  const result = { ...none };
  // Price y / x at the edge with x·y = k: y' = sqrt(k · edge), x' = sqrt(k / edge).
  const yUp = sqrtOfRatio(x * y * upNum, refDen);
  if (yUp > y) {
    result.buyQuoteIn = yUp - y;
    result.buyBaseOut = out(quote, result.buyQuoteIn);
  }
  const xDown = sqrtOfRatio(x * y * refDen, downNum);
  if (xDown > x) {
    result.sellBaseIn = xDown - x;
    result.sellQuoteOut = out(base, result.sellBaseIn);
  }
  return result;
}
