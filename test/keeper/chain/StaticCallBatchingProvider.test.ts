import { expect } from "chai";
import { FetchRequest, isError, Network } from "ethers";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../../keeper/chain/createJsonRpcProvider.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { StaticCallBatchingProvider } from "../../../keeper/chain/StaticCallBatchingProvider.js";
import { deployMarket } from "../../../devnet/deployMarket.js";
import { deployVault } from "../../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../../devnet/tokenSpecs.js";
import { DEVNET_ACCOUNTS } from "../../../devnet/accounts.js";
import { IndexVault__factory, OracleRouter__factory, TestPriceFeed__factory } from "../../../types/ethers-contracts/index.js";

describe("StaticCallBatchingProvider against a JSON-RPC node", function () {
  let server: Awaited<ReturnType<typeof network.createServer>>;
  let rpcUrl: string;
  let vault: string;
  let market: Awaited<ReturnType<typeof deployMarket>>;
  let deployedAtBlock: number;

  before(async function () {
    server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    const provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
    const deployer = await provider.getSigner(0);
    market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 8 }) });
    const deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
    vault = deployment.vault;
    deployedAtBlock = deployment.deployedAtBlock;
    provider.destroy();
  });

  after(async function () {
    await server.close();
  });

  /** The batching provider, and the JSON-RPC bodies it actually sent. */
  function batching() {
    const request = new FetchRequest(rpcUrl);
    const sent: unknown[] = [];
    const send = FetchRequest.createGetUrlFunc();
    request.getUrlFunc = (req, signal) => {
      sent.push(JSON.parse(new TextDecoder().decode(req.body!)));
      return send(req, signal);
    };
    // One JSON-RPC batch for everything issued together, as the app's provider does (ethers' default is 100).
    const provider = new StaticCallBatchingProvider(request, Network.from(31337), { staticNetwork: true, batchMaxCount: 1000 });
    const ethCalls = () => sent.flatMap((body) => (Array.isArray(body) ? body : [body])).filter((p: { method: string }) => p.method === "eth_call").length;
    return { provider, ethCalls, requests: () => sent.length };
  }

  it("reads the vault exactly as separate eth_calls do, in a handful of eth_calls instead of one per read", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    const expected = await readVault({ runner: plain, vault, blockTag });
    const actual = await readVault({ runner: provider, vault, blockTag });
    expect(actual).to.deep.equal(expected);
    // The block with asset/registered/oracle, then metadata (at latest: it never changes), balances, prices and
    // weights: two round trips, where each token alone needs five reads.
    expect(requests()).to.equal(2);
    expect(ethCalls()).to.be.at.most(3);
    expect(actual.holdings).to.have.length(9);
    plain.destroy();
    provider.destroy();
  });

  it("splits a fold whose creation code would pass EIP-3860's limit (48 kB), in the same request, none refused", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    // 400 reads of 160 encoded bytes each (64 kB): over the limit. Each read answers as a plain eth_call does.
    const feeds = market.tokens.slice(0, 8).map((t) => t.feed);
    const expected = await Promise.all(feeds.map((feed) => TestPriceFeed__factory.connect(feed, plain).latestRoundData({ blockTag })));
    const actual = await Promise.all(Array.from({ length: 400 }, (_, i) => TestPriceFeed__factory.connect(feeds[i % 8]!, provider).latestRoundData({ blockTag })));
    expect(actual.map((r) => [...r])).to.deep.equal(Array.from({ length: 400 }, (_, i) => [...expected[i % 8]!]));
    // One request (a refused fold would be sent again), holding more than one eth_call.
    expect(requests()).to.equal(1);
    expect(ethCalls()).to.be.within(2, 3);
    plain.destroy();
    provider.destroy();
  });

  it("rejects a read that reverts with its own decoded error, while the other reads of its batch resolve", async function () {
    const { provider } = batching();
    const feed = TestPriceFeed__factory.connect(market.tokens[0]!.feed, provider);
    const [missing, latest, decimals] = await Promise.allSettled([feed.getRoundData(999_999), feed.latestRoundData(), feed.decimals()]);
    expect(missing.status).to.equal("rejected");
    const error = (missing as PromiseRejectedResult).reason;
    expect(isError(error, "CALL_EXCEPTION"), String(error)).to.equal(true);
    expect(feed.interface.parseError(error.data)?.name).to.equal("TestPriceFeedNoRound");
    expect(feed.interface.parseError(error.data)?.args[0]).to.equal(999_999n);
    expect(latest.status).to.equal("fulfilled");
    expect(decimals).to.deep.equal({ status: "fulfilled", value: BigInt(market.feedDecimals) });
    provider.destroy();
  });

  it("reads at a past block, and a contract that did not exist yet answers as with a plain eth_call", async function () {
    const { provider } = batching();
    const oracle = OracleRouter__factory.connect(await IndexVault__factory.connect(vault, provider).oracle(), provider);
    // deployVault's block is the chain's head before it deploys anything: the oracle has no code there.
    const before = deployedAtBlock;
    expect(await oracle.owner()).to.match(/^0x/);
    const [source, name] = await Promise.allSettled([oracle.sourceOf(market.tokens[0]!.address, { blockTag: before }), oracle.owner({ blockTag: before })]);
    for (const outcome of [source, name]) {
      expect(outcome.status).to.equal("rejected");
      expect(isError((outcome as PromiseRejectedResult).reason, "BAD_DATA")).to.equal(true);
    }
    provider.destroy();
  });
});
