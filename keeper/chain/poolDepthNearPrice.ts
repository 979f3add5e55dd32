import { CurrencyAmount } from "@uniswap/sdk-core";
import { encodeSqrtRatioX96 } from "@uniswap/v3-sdk";
import type { PoolState } from "./readPoolState.js";
import { toSdkPool } from "./simulateSwap.js";

export interface PoolDepthNearPriceParameters {
  /** The pool's head and the initialized ticks around it, read at one block (readPoolState). */
  state: PoolState;
  /** The side the depth is counted in (the vault's stablecoin). */
  quoteToken: string;
  /**
   * The reference price (the oracle's) as a ratio of raw amounts: `quoteRaw` of the quote token for `baseRaw` of
   * the pool's other token (pricesAsset18 for 10^(18 + decimals) of the token, say).
   */
  quoteRaw: bigint;
  baseRaw: bigint;
  /** How far the trade may take the pool's price from the reference price: 200 for "within 2 %". */
  bandBps: number;
}

export interface PoolDepthNearPriceReturnType {
  /** Quote token (raw, fees included) the pool takes for the other token until its price is reference x (1 + band). */
  buyQuoteRaw: bigint;
  /** Quote token (raw, after fees) the pool gives for the other token until its price is reference x (1 - band). */
  sellQuoteRaw: bigint;
}

// An amount no pool holds: the swap stops at the price limit instead.
const UNBOUNDED = (1n << 120n).toString();

/**
 * What a Uniswap V3 pool trades within `bandBps` of a reference price, each way: the v3-sdk's port of the pool's
 * swap, run from its state with the band's edge as the price limit, over every initialized tick it crosses (a
 * tick outside the words read throws TickWindowExceededError: read wider). A pool already past an edge trades
 * nothing towards it. Pure: the caller picks the block the state is read at.
 */
export async function poolDepthNearPrice({ state, quoteToken, quoteRaw, baseRaw, bandBps }: PoolDepthNearPriceParameters): Promise<PoolDepthNearPriceReturnType> {
  if (!(quoteRaw > 0n && baseRaw > 0n)) throw new RangeError(`poolDepthNearPrice: the reference price must be positive (quote ${quoteRaw}, base ${baseRaw})`);
  if (!(Number.isInteger(bandBps) && bandBps > 0 && bandBps < 10_000)) throw new RangeError(`poolDepthNearPrice: bandBps ${bandBps} is not an integer in (0, 10000)`);
  const quoteIs0 = state.token0.toLowerCase() === quoteToken.toLowerCase();
  if (!quoteIs0 && state.token1.toLowerCase() !== quoteToken.toLowerCase()) throw new RangeError(`poolDepthNearPrice: pool ${state.address} does not hold ${quoteToken}`);
  const pool = toSdkPool(state, 1);
  const base = quoteIs0 ? pool.token1 : pool.token0;
  // The pool's price is token1 per token0 (raw): the base's price up is that ratio up when the quote is token1.
  const edge = (bps: bigint) =>
    quoteIs0 ? encodeSqrtRatioX96((baseRaw * 10_000n).toString(), (quoteRaw * bps).toString()) : encodeSqrtRatioX96((quoteRaw * bps).toString(), (baseRaw * 10_000n).toString());
  const upEdge = edge(10_000n + BigInt(bandBps));
  const downEdge = edge(10_000n - BigInt(bandBps));
  const current = BigInt(pool.sqrtRatioX96.toString());
  // Buying the base raises its price: sqrt price up when the quote is token1, down when it is token0.
  const buyMovesUp = !quoteIs0;
  const reachable = (limit: bigint, up: boolean) => (up ? limit > current : limit < current);
  let buyQuoteRaw = 0n;
  if (reachable(BigInt(upEdge.toString()), buyMovesUp)) {
    const [paid] = await pool.getInputAmount(CurrencyAmount.fromRawAmount(base, UNBOUNDED), upEdge);
    buyQuoteRaw = BigInt(paid.quotient.toString());
  }
  let sellQuoteRaw = 0n;
  if (reachable(BigInt(downEdge.toString()), !buyMovesUp)) {
    const [received] = await pool.getOutputAmount(CurrencyAmount.fromRawAmount(base, UNBOUNDED), downEdge);
    sellQuoteRaw = BigInt(received.quotient.toString());
  }
  return { buyQuoteRaw, sellQuoteRaw };
}
