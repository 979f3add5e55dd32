import { expect } from "chai";
import { Contract, FetchRequest, FunctionFragment, Interface, isError, Network } from "ethers";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../../keeper/chain/createJsonRpcProvider.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { StaticCallBatchingProvider } from "../../../keeper/chain/StaticCallBatchingProvider.js";
import { uniswapArtifacts } from "../../../keeper/chain/uniswapArtifacts.js";
import { deployMarket } from "../../../devnet/deployMarket.js";
import { deployVault } from "../../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../../devnet/tokenSpecs.js";
import { DEVNET_ACCOUNTS } from "../../../devnet/accounts.js";
import { IERC20Metadata__factory, IndexVault__factory, OracleRouter__factory, TestPriceFeed__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { priceAsset18, regimeFromCode } from "../../../keeper/core/index.js";
import type { ContractRunner } from "ethers";
import type { VaultState } from "../../../keeper/chain/readVault.js";
import type { VaultFixture } from "../../fixtures.js";
import { buyTrade, commitEqualTargets } from "../../helpers/vault.js";

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
    // A vault in use, so that every field readVault decodes holds a value of its own (balances, weights, epoch,
    // NAV, a paused flag set): a deposit, a committed epoch, one keeper batch buying each constituent, deposits paused.
    const [keeper, guardian, depositor] = await Promise.all([DEVNET_ACCOUNTS.keeper.address, DEVNET_ACCOUNTS.guardian.address, (await provider.getSigner(5)).address].map((a) => provider.getSigner(a)));
    const inUse = { market, deployment, keeper, guardian, depositors: [depositor] } as unknown as VaultFixture;
    const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
    await (await stable.mint(depositor!.address, 1_000_000n * 10n ** 6n)).wait();
    await (await stable.connect(depositor!).approve(vault, 1_000_000n * 10n ** 6n)).wait();
    await (await IndexVault__factory.connect(vault, depositor!).deposit(1_000_000n * 10n ** 6n, depositor!.address)).wait();
    const today = BigInt((await provider.getBlock("latest"))!.timestamp) / 86_400n;
    await commitEqualTargets(inUse, (today - 1n) * 86_400n);
    const keeperVault = IndexVault__factory.connect(vault, keeper!);
    const trades = await Promise.all(market.tokens.map((t) => buyTrade(inUse, t, 60_000n * 10n ** 6n)));
    await (await keeperVault.executeTrades(trades, 2n ** 256n - 1n, await keeperVault.batchSequence())).wait();
    await (await IndexVault__factory.connect(vault, guardian!).pauseDeposits()).wait();
    provider.destroy();
  });

  after(async function () {
    await server.close();
  });

  /** The batching provider, and the JSON-RPC bodies it actually sent. */
  function batching(unfolded: readonly string[] = []) {
    const request = new FetchRequest(rpcUrl);
    const sent: unknown[] = [];
    const send = FetchRequest.createGetUrlFunc();
    request.getUrlFunc = (req, signal) => {
      sent.push(JSON.parse(new TextDecoder().decode(req.body!)));
      return send(req, signal);
    };
    // One JSON-RPC batch for everything issued together, as the app's provider does (ethers' default is 100).
    const provider = new StaticCallBatchingProvider(request, Network.from(31337), { staticNetwork: true, batchMaxCount: 1000 }, { unfolded });
    const ethCalls = () => sent.flatMap((body) => (Array.isArray(body) ? body : [body])).filter((p: { method: string }) => p.method === "eth_call").length;
    return { provider, ethCalls, requests: () => sent.length };
  }

  /**
   * What readVault returns, read with the typechain Contracts' own calls (ethers' AbiCoder, none of readViews or
   * abiWord), and derived as readVault documents it: the reference its fast decoding is held to.
   */
  async function referenceVaultState(runner: ContractRunner, blockTag: number): Promise<VaultState> {
    const at = { blockTag };
    const v = IndexVault__factory.connect(vault, runner);
    const [asset, registered, oracleAddress] = await Promise.all([v.asset(at), v.registeredAssets(at), v.oracle(at)]);
    const addresses = [asset, ...registered];
    const tokens = await Promise.all(
      addresses.map(async (address) => {
        const t = IERC20Metadata__factory.connect(address, runner);
        const [decimals, symbol, balance, weightBps] = await Promise.all([t.decimals(at), t.symbol(at), t.balanceOf(vault, at), v.targetWeightBps(address, at)]);
        return { token: { address, decimals: Number(decimals), symbol }, balance, weightBps: Number(weightBps) };
      }),
    );
    const unitPrices = await OracleRouter__factory.connect(oracleAddress, runner).tryUnitPricesUsd36(addresses, at);
    const [navAsset, totalSupply, epoch, regime, snapshotHash, maxSlippageBps, targetToleranceBps, lossBudgetAvailable, depositsPaused, rebalancesPaused, batchSequence] = await Promise.all([
      v.totalAssets(at),
      v.totalSupply(at),
      v.currentEpoch(at),
      v.currentRegime(at),
      v.currentSnapshotHash(at),
      v.maxSlippageBps(at),
      v.targetToleranceBps(at),
      v.lossBudgetAvailable(at),
      v.depositsPaused(at),
      v.rebalancesPaused(at),
      v.batchSequence(at),
    ]);
    const block = (await runner.provider!.getBlock(blockTag))!;
    const all = tokens.map((t) => t.token);
    return {
      address: vault,
      blockNumber: block.number,
      timestamp: block.timestamp,
      stablecoin: all[0]!,
      assets: all.slice(1),
      holdings: tokens.map(({ token, balance }) => ({ token, balance })),
      pricesAsset18: new Map(all.map((t, i) => [t.address, priceAsset18(unitPrices[i]!, unitPrices[0]!, t.decimals)])),
      unpriced: all.slice(1).filter((_, i) => unitPrices[i + 1] === 0n),
      navAsset,
      totalSupply,
      epoch,
      regime: regimeFromCode(regime),
      snapshotHash,
      targets: epoch === 0n ? [] : tokens.map(({ token, weightBps }) => ({ token, weightBps })),
      maxSlippageBps: Number(maxSlippageBps),
      targetToleranceBps: Number(targetToleranceBps),
      lossBudgetAvailable,
      depositsPaused,
      rebalancesPaused,
      batchSequence,
    };
  }

  /**
   * A value as exact text (bigints marked, Maps as entries), compared as strings: hardhat-ethers-chai-matchers' deep
   * equality takes an address in any letter case as equal (a lost checksum would pass), and a failed assertion on
   * bigints cannot cross from mocha's worker to its reporter.
   */
  const exact = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Map ? [...v] : v));

  it("readVault answers, field by field, what the vault's typechain Contract calls answer, through either provider", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider } = batching();
    const blockTag = await plain.getBlockNumber();
    const reference = await referenceVaultState(plain, blockTag);
    // The reference holds values that tell a decoding apart: nine tokens of two decimals, balances, weights and an
    // epoch set, a regime, a hash, one paused flag set and one not.
    expect(reference.holdings).to.have.length(9);
    expect(new Set(reference.holdings.map((h) => h.token.decimals)).size).to.be.greaterThan(1);
    expect(reference.holdings.every((h) => h.balance > 0n)).to.equal(true);
    expect(reference.targets.every((t) => t.weightBps > 0)).to.equal(true);
    expect(reference.epoch > 0n && reference.navAsset > 0n && reference.batchSequence > 0n).to.equal(true);
    expect([reference.depositsPaused, reference.rebalancesPaused]).to.deep.equal([true, false]);
    for (const runner of [plain, provider]) {
      const actual = await readVault({ runner, vault, blockTag });
      expect(Object.keys(actual).sort()).to.deep.equal(Object.keys(reference).sort());
      for (const field of Object.keys(reference) as (keyof VaultState)[]) expect(exact(actual[field]), `${field} through ${runner === plain ? "separate eth_calls" : "the batching provider"}`).to.equal(exact(reference[field]));
    }
    plain.destroy();
    provider.destroy();
  });

  it("reads the vault exactly as separate eth_calls do, in a handful of eth_calls instead of one per read", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    const expected = await readVault({ runner: plain, vault, blockTag });
    const actual = await readVault({ runner: provider, vault, blockTag });
    expect(actual).to.deep.equal(expected);
    // Two round trips, where each token alone needs five reads: asset/registered/oracle (the block read beside them,
    // in its own request), then metadata, balances, prices and weights, each round's reads folded (readCalls).
    expect(requests()).to.equal(3);
    expect(ethCalls()).to.equal(2);
    expect(actual.holdings).to.have.length(9);
    plain.destroy();
    provider.destroy();
  });

  it("splits a batch into folds of at most 64 reads (answers under EIP-170's 24 kB), in the same request, none refused", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    // 400 reads answering 160 bytes each (64 kB of answers, 64 kB of creation code). Each answers as a plain eth_call does.
    const feeds = market.tokens.slice(0, 8).map((t) => t.feed);
    const expected = await Promise.all(feeds.map((feed) => TestPriceFeed__factory.connect(feed, plain).latestRoundData({ blockTag })));
    const actual = await Promise.all(Array.from({ length: 400 }, (_, i) => TestPriceFeed__factory.connect(feeds[i % 8]!, provider).latestRoundData({ blockTag })));
    expect(actual.map((r) => [...r])).to.deep.equal(Array.from({ length: 400 }, (_, i) => [...expected[i % 8]!]));
    // One request (a refused fold would be sent again), holding ceil(400 / 64) folds.
    expect(requests()).to.equal(1);
    expect(ethCalls()).to.equal(7);
    plain.destroy();
    provider.destroy();
  });

  it("sends a fold whose answers pass EIP-170's 24 kB again in halves, each read answering as a plain eth_call does", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    // 64 reads of the 8 registered assets: 448 bytes of answer each, 28 kB in all.
    const expected = await IndexVault__factory.connect(vault, plain).registeredAssets({ blockTag });
    const actual = await Promise.all(Array.from({ length: 64 }, () => IndexVault__factory.connect(vault, provider).registeredAssets({ blockTag })));
    expect(actual.map((r) => [...r])).to.deep.equal(Array.from({ length: 64 }, () => [...expected]));
    // The fold, refused; then its two halves in a second request.
    expect(requests()).to.equal(2);
    expect(ethCalls()).to.equal(3);
    plain.destroy();
    provider.destroy();
  });

  it("readCalls: reads encoded calls in one request, a revert as an outcome with its data, each as a plain eth_call answers", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const { provider, ethCalls, requests } = batching();
    const blockTag = await plain.getBlockNumber();
    const feed = TestPriceFeed__factory.connect(market.tokens[0]!.feed, plain);
    const calls = [
      { to: await feed.getAddress(), data: feed.interface.encodeFunctionData("latestRoundData") },
      { to: await feed.getAddress(), data: feed.interface.encodeFunctionData("getRoundData", [999_999]) },
      { to: vault, data: IndexVault__factory.createInterface().encodeFunctionData("registeredAssets") },
    ];
    const expected = await Promise.all(calls.map((c) => plain.call({ ...c, blockTag }).then((returnData) => ({ success: true, returnData }), (error: { data: string }) => ({ success: false, returnData: error.data }))));
    const outcomes = await provider.readCalls(calls, blockTag);
    expect(outcomes).to.deep.equal(expected);
    expect(outcomes[1]!.success).to.equal(false);
    expect(feed.interface.parseError(outcomes[1]!.returnData)?.name).to.equal("TestPriceFeedNoRound");
    expect(requests()).to.equal(1);
    expect(ethCalls()).to.equal(1);
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

  it("sends the unfolded selectors' calls (QuoterV2's quotes, which simulate a swap) as plain eth_calls beside the fold", async function () {
    const plain = createJsonRpcProvider({ url: rpcUrl, chainId: 31337 });
    const [token] = market.tokens;
    const params = { tokenIn: market.stablecoin.address, tokenOut: token!.address, amountIn: 10n ** 9n, fee: token!.fee, sqrtPriceLimitX96: 0n };
    const quote = (runner: typeof plain) => new Contract(market.quoterV2, uniswapArtifacts.quoterV2.abi, runner).quoteExactInputSingle.staticCall(params);
    const feed = (runner: typeof plain) => TestPriceFeed__factory.connect(token!.feed, runner).latestRoundData();
    const [expected] = await quote(plain);
    // Folded, the quote's swap runs in a static call and fails: the reason the selectors exist.
    const folded = batching();
    const [foldedQuote] = await Promise.allSettled([quote(folded.provider), feed(folded.provider)]);
    expect(foldedQuote.status).to.equal("rejected");
    const quoter = new Interface(uniswapArtifacts.quoterV2.abi);
    const selectors = quoter.fragments.filter((f) => f instanceof FunctionFragment).map((f) => f.selector);
    const { provider, ethCalls, requests } = batching(selectors);
    const [[amountOut], round, decimals] = await Promise.all([quote(provider), feed(provider), TestPriceFeed__factory.connect(token!.feed, provider).decimals()]);
    expect(amountOut).to.equal(expected);
    expect(round[1]).to.be.greaterThan(0n);
    expect(decimals).to.equal(BigInt(market.feedDecimals));
    // One request: the quote alone, the two feed reads folded into one.
    expect(requests()).to.equal(1);
    expect(ethCalls()).to.equal(2);
    plain.destroy();
    folded.provider.destroy();
    provider.destroy();
  });
});
