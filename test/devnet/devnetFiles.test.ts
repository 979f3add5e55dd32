import { expect } from "chai";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import dotenv from "dotenv";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";
import { contextFromConfig } from "../../keeper/cli/contextFromConfig.js";
import { loadConfig } from "../../keeper/config.js";
import { silentLogger } from "../../keeper/log.js";
import { settleQueue } from "../../keeper/run/settleQueue.js";
import { DEVNET_ACCOUNTS } from "../../devnet/accounts.js";
import { deployMarket } from "../../devnet/deployMarket.js";
import { deployVault } from "../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../devnet/tokenSpecs.js";
import { writeDevnetFiles } from "../../devnet/writeDevnetFiles.js";
import { IndexQueue__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { refreshFeeds } from "../helpers/market.js";
import { networkHelpers, vaultFixture } from "../fixtures.js";

const USDC = 10n ** 6n;

describe("npm run devnet's files", function () {
  it("name the deployment's queue to the keeper (KEEPER_QUEUE) and to the app (vault.queue)", async function () {
    const { market, deployment } = await networkHelpers.loadFixture(vaultFixture);
    const files = await writeDevnetFiles({ out: path.join(await mkdtemp(path.join(tmpdir(), "devnet-files-")), "devnet.json"), rpcUrl: "http://127.0.0.1:8545", market, vault: deployment, constituents: 8 });
    const config = loadConfig(dotenv.parse(await readFile(files.envFile, "utf8")));
    expect(config.KEEPER_QUEUE).to.equal(deployment.queue);
    expect([config.KEEPER_VAULT, config.KEEPER_ADAPTER, config.KEEPER_TOKEN_LIST, config.KEEPER_DATA_FILE]).to.deep.equal([deployment.vault, deployment.adapter, files.tokenListFile, files.devnetFile]);
    expect(JSON.parse(await readFile(files.devnetFile, "utf8")).vault.queue).to.equal(deployment.queue);
  });

  it("@deep configure the keeper to settle the deployment's queue: a window past its cut-off settles with nothing but the env file", async function () {
    const server = await network.createServer("default", "127.0.0.1", 0);
    try {
      const { address, port } = await server.listen();
      const rpcUrl = `http://${address}:${port}`;
      const provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
      const deployer = await provider.getSigner(0);
      const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 2 }) });
      const deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
      const files = await writeDevnetFiles({ out: path.join(await mkdtemp(path.join(tmpdir(), "devnet-files-")), "devnet.json"), rpcUrl, market, vault: deployment, constituents: 2 });
      const env = dotenv.parse(await readFile(files.envFile, "utf8"));
      expect(env.KEEPER_QUEUE).to.equal(deployment.queue);
      expect(JSON.parse(await readFile(files.devnetFile, "utf8")).vault.queue, "devnet.json's vault.queue, which the app reads").to.equal(deployment.queue);

      // A queued deposit, then past the window's cut-off with a feed round after it (forward pricing).
      const depositor = await provider.getSigner(DEVNET_ACCOUNTS.depositor.address);
      const queue = IndexQueue__factory.connect(deployment.queue, depositor);
      await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, 1_000n * USDC)).wait();
      await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(deployment.queue, 1_000n * USDC)).wait();
      await (await queue.requestDeposit(1_000n * USDC, depositor.address, depositor.address)).wait();
      const window = await queue.depositWindowOf(depositor.address);
      const latest = (await provider.getBlock("latest"))!.timestamp;
      await provider.send("evm_increaseTime", [Number(await queue.cutOffOf(window)) - latest + 60]);
      await refreshFeeds(deployer, market);

      // The keeper as `keeper run --env-file devnet.env` builds it: its daily queue job settles the window.
      const ctx = await contextFromConfig(loadConfig(env), silentLogger, { needsSigner: true });
      expect(ctx.queue).to.equal(deployment.queue);
      const [settled] = await settleQueue(ctx);
      expect(settled).to.include({ window, outcome: "settled", depositAssets: 1_000n * USDC });
      expect(await queue.maxDeposit(depositor.address)).to.equal(1_000n * USDC);
      expect(await queue.maxMint(depositor.address)).to.equal(settled.depositShares).and.be.greaterThan(0n);
    } finally {
      await server.close();
    }
  });
});
