import { solidityPacked, type Signer } from "ethers";
import { TestPriceFeed__factory } from "../../types/ethers-contracts/index.js";
import type { Market, MarketToken } from "../../devnet/deployMarket.js";

/** The token of `market` with this symbol. */
export function tokenBySymbol(market: Market, symbol: string): MarketToken {
  const token = market.tokens.find((t) => t.symbol === symbol);
  if (token === undefined) throw new Error(`no ${symbol} in the market`);
  return token;
}

/** The adapter's data for a single-hop trade: a packed Uniswap V3 path. */
export function singleHopPath(tokenIn: string, fee: number, tokenOut: string): string {
  return solidityPacked(["address", "uint24", "address"], [tokenIn, fee, tokenOut]);
}

/**
 * Re-pushes every feed's latest answer stamped now, as a live Chainlink feed would after a heartbeat, so
 * that waiting out a timelock delay does not leave the oracles stale. `owner` must own the feeds.
 */
export async function refreshFeeds(owner: Signer, market: Market): Promise<void> {
  for (const feedAddress of [market.stablecoin.feed, ...market.tokens.map((t) => t.feed)]) {
    const feed = TestPriceFeed__factory.connect(feedAddress, owner);
    const [, answer] = await feed.latestRoundData();
    await (await feed.setAnswer(answer)).wait();
  }
}
