import { expect } from "chai";
import { ethers, marketFixture, networkHelpers } from "../fixtures.js";
import { JsonRpcProvider, makeError, Network, type ContractRunner, type JsonRpcError, type TransactionRequest, type TypedDataDomain } from "ethers";
import { DaiStylePermitToken__factory, IERC20Permit__factory, TestStablecoin__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { matchPermitDomain, readPermitDomain, signPermit } from "../../app/src/permit.js";

/** Mainnet USDC (FiatTokenV2_2): its DOMAIN_SEPARATOR() on chain 1, as the contract returns it. */
const USDC_MAINNET = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const USDC_MAINNET_SEPARATOR = "0x06c37168a7db5138defc7866392bb87a741f9b3d104deb5094588ce041cae335";

/** A domain as JSON can carry it: mocha's parallel workers cannot send a failed assertion holding a bigint. */
const plain = (domain: TypedDataDomain | null) => (domain === null ? null : { ...domain, chainId: String(domain.chainId) });

describe("app permit detection (EIP-2612 domain from DOMAIN_SEPARATOR)", function () {
  it("finds mainnet USDC's domain (version 2, no eip712Domain) from its separator, and nothing for another name", function () {
    const found = matchPermitDomain({ separator: USDC_MAINNET_SEPARATOR, name: "USD Coin", chainId: 1n, token: USDC_MAINNET.toLowerCase(), eip5267: null });
    expect(found).to.deep.equal({ name: "USD Coin", version: "2", chainId: 1n, verifyingContract: USDC_MAINNET });
    expect(matchPermitDomain({ separator: USDC_MAINNET_SEPARATOR, name: "USDC", chainId: 1n, token: USDC_MAINNET, eip5267: null })).to.equal(null);
    expect(matchPermitDomain({ separator: USDC_MAINNET_SEPARATOR, name: "USD Coin", chainId: 8453n, token: USDC_MAINNET, eip5267: null })).to.equal(null);
  });

  it("reads the devnet stablecoin's domain, whose permit signed with it the token accepts; a plain ERC-20 has none", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const [deployer, owner, spender] = await ethers.getSigners();
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const domain = await readPermitDomain(market.stablecoin.address, ethers.provider, chainId);
    expect(domain).to.deep.include({ name: market.stablecoin.name, version: "1", chainId });

    const stable = TestStablecoin__factory.connect(market.stablecoin.address, deployer);
    const message = { owner: owner!.address, spender: spender!.address, value: 123n, nonce: await stable.nonces(owner!.address), deadline: BigInt(await networkHelpers.time.latest()) + 600n };
    const { v, r, s } = await signPermit(owner!, domain!, message);
    await (await stable.permit(message.owner, message.spender, message.value, message.deadline, v, r, s)).wait();
    expect(await stable.allowance(owner!.address, spender!.address)).to.equal(123n);

    const plain = await new TestToken__factory(deployer).deploy("Plain USD", "PUSD", 6, deployer.address);
    expect(await readPermitDomain(await plain.getAddress(), ethers.provider, chainId)).to.equal(null);
    // A token without code answers nothing: no permit either.
    expect(await readPermitDomain(spender!.address, ethers.provider, chainId)).to.equal(null);
  });

  it("finds no permit for a DAI-style token, whose domain matches but whose permit is not EIP-2612's (the vault's call would revert)", async function () {
    const [deployer] = await ethers.getSigners();
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const dai = await new DaiStylePermitToken__factory(deployer).deploy("Dai Stablecoin");
    const token = await dai.getAddress();
    // Everything the domain check reads says "permit": only the missing EIP-2612 function tells it apart.
    expect(await dai.nonces(deployer!.address)).to.equal(0n);
    expect(matchPermitDomain({ separator: await dai.DOMAIN_SEPARATOR(), name: "Dai Stablecoin", chainId, token, eip5267: null })).to.deep.include({ version: "1" });
    expect(plain(await readPermitDomain(token, ethers.provider, chainId))).to.equal(null);
  });

  it("throws, rather than saying no permit, when a read does not reach the chain; the next read finds the permit", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const separatorSelector = IERC20Permit__factory.createInterface().getFunction("DOMAIN_SEPARATOR").selector;
    // The real chain, except that the RPC times out on DOMAIN_SEPARATOR(), as a node under load does.
    const flaky: ContractRunner = {
      provider: ethers.provider,
      call: (tx: TransactionRequest) =>
        String(tx.data).startsWith(separatorSelector) ? Promise.reject(makeError("request timeout", "TIMEOUT", { operation: "call" })) : ethers.provider.call(tx),
    };
    const outcome = await readPermitDomain(market.stablecoin.address, flaky, chainId).then(
      (domain) => ({ domain: plain(domain) }),
      (e: unknown) => ({ thrown: (e as { code?: unknown }).code }),
    );
    expect(outcome).to.deep.equal({ thrown: "TIMEOUT" });
    expect(plain(await readPermitDomain(market.stablecoin.address, ethers.provider, chainId))).to.deep.include({ name: market.stablecoin.name, version: "1" });
  });

  it("takes a node's own error on a read (ethers calls it CALL_EXCEPTION too) for 'not known yet', and a node's revert without data for 'no permit'", async function () {
    const market = await networkHelpers.loadFixture(marketFixture);
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const separatorSelector = IERC20Permit__factory.createInterface().getFunction("DOMAIN_SEPARATOR").selector;
    // The error ethers' JsonRpcProvider (the app's read side) makes of a node's error answer to eth_call: a
    // CALL_EXCEPTION with no revert data whatever the node said, with the node's error in `info`.
    const rpc = new JsonRpcProvider("http://127.0.0.1:1", Network.from(chainId), { staticNetwork: true });
    const nodeAnswers = (error: JsonRpcError["error"]): ContractRunner => ({
      provider: ethers.provider,
      call: (tx: TransactionRequest) =>
        String(tx.data).startsWith(separatorSelector)
          ? Promise.reject(rpc.getRpcError({ method: "eth_call", params: [{ to: tx.to, data: tx.data }, "latest"], id: 1, jsonrpc: "2.0" }, { id: 1, error }))
          : ethers.provider.call(tx),
    });
    const outcome = (runner: ContractRunner) =>
      readPermitDomain(market.stablecoin.address, runner, chainId).then(
        (domain) => ({ domain: plain(domain) }),
        (e: unknown) => ({ thrown: (e as { info?: { error?: { message?: string } } }).info?.error?.message }),
      );
    try {
      // A load-balanced RPC's lagging node, a gateway's timeout: the chain was not read.
      expect(await outcome(nodeAnswers({ code: -32000, message: "header not found" }))).to.deep.equal({ thrown: "header not found" });
      expect(await outcome(nodeAnswers({ code: -32603, message: "request timed out" }))).to.deep.equal({ thrown: "request timed out" });
      // geth's answer to a revert without data (a function missing on a contract without fallback): the token answered.
      expect(await outcome(nodeAnswers({ code: -32000, message: "execution reverted" }))).to.deep.equal({ domain: null });
      expect(await outcome(nodeAnswers({ code: 3, message: "execution reverted", data: "0x" }))).to.deep.equal({ domain: null });
    } finally {
      rpc.destroy();
    }
  });
});
