import { Contract, type Signer } from "ethers";
import { MarketMover__factory } from "../types/ethers-contracts/index.js";
import { uniswapArtifacts } from "../keeper/chain/uniswapArtifacts.js";
import { priceForSqrtPriceX96, sqrtPriceX96ForPrice, type PoolSide } from "./poolMath.js";
import { toRaw, type Market, type MarketToken } from "./deployMarket.js";

export interface MoveMarketParameters {
  signer: Signer;
  market: Market;
  /** Target USD price per token address (any subset of the market's tokens). */
  pricesUsd: ReadonlyMap<string, number>;
  /** The stablecoin's USD price (default 1; lower models a depeg); pools then trade at token / stablecoin. */
  stablecoinUsd?: number;
  /** Moves per transaction. */
  batchSize?: number;
}

export interface MoveMarketReturnType {
  transactions: string[];
  gasUsed: bigint;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * Moves each named token's market to its target USD price the way an arbitrageur would: a swap through the
 * real SwapRouter that stops exactly at the target sqrt price, and the feed update, in one transaction
 * (MarketMover). The stablecoin's own feed is updated too.
 */
export async function moveMarket({ signer, market, pricesUsd, stablecoinUsd, batchSize = 50 }: MoveMarketParameters): Promise<MoveMarketReturnType> {
  // The mover arbitrages one stablecoin pool per token; the realistic layout's other venues would lag behind.
  if (market.liquidity === "realistic") throw new Error("moveMarket: the realistic liquidity layout has several venues per token; moving prices needs the default layout");
  const mover = MarketMover__factory.connect(market.mover, signer);
  const stableUsd = stablecoinUsd ?? 1;
  const byAddress = new Map(market.tokens.map((t) => [t.address.toLowerCase(), t]));
  const moves: Parameters<typeof mover.moveMany>[0] = [];
  // The stablecoin's feed is refreshed on every move, as a live USDC/USD feed keeps beating.
  {
    moves.push({ tokenIn: ZERO_ADDRESS, tokenOut: ZERO_ADDRESS, fee: 0, sqrtPriceLimitX96: 0, feed: market.stablecoin.feed, answer: toRaw(stableUsd, market.feedDecimals) });
  }
  const entries = [...pricesUsd].map(([address, priceUsd]) => {
    const token = byAddress.get(address.toLowerCase());
    if (token === undefined) throw new Error(`moveMarket: ${address} is not a token of this market`);
    return { token, priceUsd };
  });
  // Every pool's price at once: a provider that batches sends them as one request, not one round trip each.
  const slot0s = await Promise.all(entries.map(({ token }) => new Contract(token.pool, uniswapArtifacts.pool.abi, signer).slot0() as Promise<[bigint]>));
  for (const [i, { token, priceUsd }] of entries.entries()) {
    const [current] = slot0s[i]!;
    const target = sqrtPriceX96ForPrice(poolSide(market, token), priceUsd / stableUsd);
    const answer = toRaw(priceUsd, market.feedDecimals);
    if (target === current) {
      moves.push({ tokenIn: ZERO_ADDRESS, tokenOut: ZERO_ADDRESS, fee: 0, sqrtPriceLimitX96: 0, feed: token.feed, answer });
      continue;
    }
    // A higher sqrt price makes token0 dearer: get there by paying token1 in, and the reverse.
    const [token0, token1] = token.tokenIsToken0 ? [token.address, market.stablecoin.address] : [market.stablecoin.address, token.address];
    const [tokenIn, tokenOut] = target > current ? [token1, token0] : [token0, token1];
    moves.push({ tokenIn, tokenOut, fee: token.fee, sqrtPriceLimitX96: target, feed: token.feed, answer });
  }
  const transactions: string[] = [];
  let gasUsed = 0n;
  for (let i = 0; i < moves.length; i += batchSize) {
    const receipt = await (await mover.moveMany(moves.slice(i, i + batchSize))).wait();
    if (receipt === null) throw new Error("moveMarket: no receipt");
    transactions.push(receipt.hash);
    gasUsed += receipt.gasUsed;
  }
  return { transactions, gasUsed };
}

export function poolSide(market: Market, token: MarketToken): PoolSide {
  return { tokenIsToken0: token.tokenIsToken0, tokenDecimals: token.decimals, stableDecimals: market.stablecoin.decimals };
}

/** The pool's current price of one whole token in whole stablecoins. */
export async function poolPrice(signer: Signer, market: Market, token: MarketToken): Promise<number> {
  const pool = new Contract(token.pool, uniswapArtifacts.pool.abi, signer);
  const [sqrtPriceX96] = (await pool.slot0()) as [bigint];
  return priceForSqrtPriceX96(poolSide(market, token), sqrtPriceX96);
}
