import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers, marketFixture, networkHelpers } from "../fixtures.js";
import { deployProxyFeeds } from "../../devnet/deployProxyFeeds.js";
import { EACAggregatorProxy__factory, OcrTestAggregator__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";

async function proxyFeedsFixture() {
  const market = await marketFixture();
  const [deployer] = await ethers.getSigners();
  return { market, proxied: await deployProxyFeeds(deployer, market) };
}

describe("devnet proxy feeds (Chainlink's EACAggregatorProxy over an OCR-layout aggregator)", function () {
  it("prices every token through the proxy exactly as through its one-slot feed", async function () {
    const { market, proxied } = await networkHelpers.loadFixture(proxyFeedsFixture);
    const [deployer] = await ethers.getSigners();
    const direct = await new OracleRouter__factory(deployer).deploy(deployer.address, ZeroAddress);
    const viaProxy = await new OracleRouter__factory(deployer).deploy(deployer.address, ZeroAddress);
    const source = (feed: string) => ({ kind: 1, feed, heartbeatSeconds: 86_400, minAnswer: 1n, maxAnswer: 10n ** 20n, pool: ZeroAddress, twapWindowSeconds: 0, maxDeviationBps: 0 });
    for (const [i, t] of market.tokens.entries()) {
      await (await direct.setSource(t.address, source(t.feed))).wait();
      await (await viaProxy.setSource(t.address, source(proxied.market.tokens[i].feed))).wait();
      expect(await viaProxy.unitPriceUsd36(t.address)).to.equal(await direct.unitPriceUsd36(t.address));
    }
  });

  it("reads the aggregator's newest answer through the proxy, with the phase in the round id", async function () {
    const { proxied } = await networkHelpers.loadFixture(proxyFeedsFixture);
    const [deployer] = await ethers.getSigners();
    const proxyAddress = proxied.market.tokens[0].feed;
    const aggregator = OcrTestAggregator__factory.connect(proxied.aggregatorOf.get(proxyAddress)!, deployer);
    await (await aggregator.setAnswer(123_456_789n)).wait();
    const proxy = EACAggregatorProxy__factory.connect(proxyAddress, deployer);
    const [roundId, answer] = await proxy.latestRoundData();
    expect(answer).to.equal(123_456_789n);
    expect(roundId).to.equal((1n << 64n) | 2n);
  });

  it("refuses a contract reader that is not on the aggregator's access list, as mainnet's aggregators do", async function () {
    const { proxied } = await networkHelpers.loadFixture(proxyFeedsFixture);
    const [deployer] = await ethers.getSigners();
    const router = await new OracleRouter__factory(deployer).deploy(deployer.address, ZeroAddress);
    const token = proxied.market.tokens[0];
    const aggregator = proxied.aggregatorOf.get(token.feed)!;
    const source = { kind: 1, feed: aggregator, heartbeatSeconds: 86_400, minAnswer: 1n, maxAnswer: 10n ** 20n, pool: ZeroAddress, twapWindowSeconds: 0, maxDeviationBps: 0 };
    await expect(router.setSource(token.address, source)).to.be.revertedWithCustomError(router, "OracleRouterFeedReverted").withArgs(token.address, aggregator);
  });
});
