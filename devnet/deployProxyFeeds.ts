import { ZeroAddress, type Signer } from "ethers";
import { EACAggregatorProxy__factory, OcrTestAggregator__factory, TestPriceFeed__factory } from "../types/ethers-contracts/index.js";
import type { Market } from "./deployMarket.js";

export interface ProxyFeeds {
  /** `market` with every feed replaced by its Chainlink proxy: what a reader (the oracle router) is given. */
  market: Market;
  /** The OCR-layout aggregator behind each proxy, by proxy address: where answers are pushed. */
  aggregatorOf: ReadonlyMap<string, string>;
}

/**
 * Puts a mainnet-shaped feed beside each of the market's one-slot feeds: an OcrTestAggregator carrying the same
 * answer, behind Chainlink's own EACAggregatorProxy (no access controller, as on mainnet's public USD feeds),
 * with the proxy on the aggregator's access list. Readers then pay what a mainnet read costs: two contract
 * calls and five cold slots per price. The market's own feeds and mover are untouched.
 */
export async function deployProxyFeeds(deployer: Signer, market: Market): Promise<ProxyFeeds> {
  const owner = await deployer.getAddress();
  const aggregatorOf = new Map<string, string>();
  const proxyFor = async (feedAddress: string): Promise<string> => {
    const feed = TestPriceFeed__factory.connect(feedAddress, deployer);
    const [, answer] = await feed.latestRoundData();
    const aggregator = await new OcrTestAggregator__factory(deployer).deploy(await feed.decimals(), await feed.description(), answer, owner);
    const aggregatorAddress = await aggregator.getAddress();
    const proxy = await new EACAggregatorProxy__factory(deployer).deploy(aggregatorAddress, ZeroAddress);
    const proxyAddress = await proxy.getAddress();
    await (await aggregator.addAccess(proxyAddress)).wait();
    aggregatorOf.set(proxyAddress, aggregatorAddress);
    return proxyAddress;
  };
  const stablecoin = { ...market.stablecoin, feed: await proxyFor(market.stablecoin.feed) };
  const tokens = [];
  for (const t of market.tokens) tokens.push({ ...t, feed: await proxyFor(t.feed) });
  return { market: { ...market, stablecoin, tokens }, aggregatorOf };
}
