import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { readFile } from "node:fs/promises";
import { connection, ethers, marketFixture, networkHelpers } from "../fixtures.js";
import { buildIndexVaultSystem, ROLE } from "../../deploy/modules/indexVaultSystem.js";
import { devnetParameters } from "../../deploy/devnetParameters.js";
import { computeV2PairAddress, computeV3PoolAddress, NetworkParametersError, parseNetworkParameters } from "../../deploy/networkParameters.js";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, SwapRouter02Adapter__factory, TimelockController__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";

async function ignitionFixture() {
  const market = await marketFixture();
  const [deployer, keeper, guardian, feeRecipient] = await ethers.getSigners();
  const parameters = devnetParameters({ market, proposer: deployer.address, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const { system } = buildIndexVaultSystem(parameters);
  const deployed = await connection.ignition.deploy(system);
  const addresses = {
    timelock: await deployed.timelock.getAddress(),
    oracle: await deployed.oracle.getAddress(),
    vault: await deployed.vault.getAddress(),
    adapter: await deployed.adapter.getAddress(),
    swapRouter02Adapter: await deployed.swapRouter02Adapter!.getAddress(),
    queue: await deployed.queue.getAddress(),
  };
  return { market, parameters, addresses, deployer, keeper, guardian, feeRecipient };
}

describe("deploy/ Ignition modules", function () {
  it("hands the vault and the oracle to the timelock and leaves the deployer with no role", async function () {
    const { addresses, deployer } = await networkHelpers.loadFixture(ignitionFixture);
    const vault = IndexVault__factory.connect(addresses.vault, deployer);
    const timelock = TimelockController__factory.connect(addresses.timelock, deployer);
    expect(await vault.hasRole(ROLE.defaultAdmin, addresses.timelock)).to.equal(true);
    expect(await vault.hasRole(ROLE.defaultAdmin, deployer.address)).to.equal(false);
    const oracle = OracleRouter__factory.connect(addresses.oracle, deployer);
    expect(await oracle.owner()).to.equal(addresses.timelock);
    // Owned by the timelock from its construction, so no two-step acceptance is pending, and the deployer's
    // configuration right is gone.
    expect(await oracle.pendingOwner()).to.equal(ZeroAddress);
    expect(await oracle.configurator()).to.equal(ZeroAddress);
    expect(await timelock.hasRole(ROLE.defaultAdmin, deployer.address)).to.equal(false);
    // The timelock administers itself only (OpenZeppelin grants it its own admin role in the constructor).
    expect(await timelock.hasRole(ROLE.defaultAdmin, addresses.timelock)).to.equal(true);
    expect(await timelock.getMinDelay()).to.equal(48n * 3600n);
    // The only admin: every RoleGranted of DEFAULT_ADMIN_ROLE whose holder still has it is the timelock.
    const grants = await vault.queryFilter(vault.filters.RoleGranted(ROLE.defaultAdmin));
    const holders = new Set(grants.map((g) => g.args.account));
    const current = [...holders].filter((h) => h !== undefined);
    const stillAdmin = await Promise.all(current.map((h) => vault.hasRole(ROLE.defaultAdmin, h)));
    expect(current.filter((_, i) => stillAdmin[i])).to.deep.equal([addresses.timelock]);
    await expect(vault.setMaxSlippage(1)).to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount");
  });

  it("appoints the keeper and the guardian; only the proposers, never the guardian, cancel a queued admin change", async function () {
    const { addresses, deployer, keeper, guardian } = await networkHelpers.loadFixture(ignitionFixture);
    const vault = IndexVault__factory.connect(addresses.vault, deployer);
    const timelock = TimelockController__factory.connect(addresses.timelock, deployer);
    expect(await vault.hasRole(ROLE.keeper, keeper.address)).to.equal(true);
    expect(await vault.hasRole(ROLE.guardian, guardian.address)).to.equal(true);
    // A guardian that could cancel would veto its own removal and every unpause (the review did, three times).
    expect(await timelock.hasRole(ROLE.canceller, guardian.address)).to.equal(false);
    expect(await timelock.hasRole(ROLE.canceller, deployer.address)).to.equal(true);
    expect(await timelock.hasRole(ROLE.proposer, deployer.address)).to.equal(true);

    const data = vault.interface.encodeFunctionData("setMaxSlippage", [300]);
    const salt = ethers.id("ignition test");
    await (await timelock.schedule(addresses.vault, 0, data, ethers.ZeroHash, salt, 48 * 3600)).wait();
    const operation = await timelock.hashOperation(addresses.vault, 0, data, ethers.ZeroHash, salt);
    expect(await timelock.isOperationPending(operation)).to.equal(true);
    await expect(timelock.connect(guardian).cancel(operation)).to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount");
    await (await timelock.cancel(operation)).wait();
    expect(await timelock.isOperation(operation)).to.equal(false);
    await expect(timelock.connect(keeper).cancel(operation)).to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount");
  });

  it("prices every token and the stablecoin, registers them, and allowlists their pools and the adapter", async function () {
    const { addresses, market, parameters, deployer } = await networkHelpers.loadFixture(ignitionFixture);
    const vault = IndexVault__factory.connect(addresses.vault, deployer);
    const oracle = OracleRouter__factory.connect(addresses.oracle, deployer);
    const prices = await oracle.unitPricesUsd36([market.stablecoin.address, ...market.tokens.map((t) => t.address)]);
    expect(prices.every((p) => p > 0n)).to.equal(true);
    expect(await vault.registeredAssets()).to.deep.equal(market.tokens.map((t) => t.address));
    for (const t of market.tokens) expect(await vault.isPoolAllowed(t.pool), t.symbol).to.equal(true);
    expect(await vault.isAdapterAllowed(addresses.adapter)).to.equal(true);
    const adapter = UniswapV3Adapter__factory.connect(addresses.adapter, deployer);
    expect(await adapter.factory()).to.equal(market.factory);
    expect(await adapter.vault()).to.equal(addresses.vault);
    // The SwapRouter02 path too: its adapter, on the devnet's router (and through it the V2 and V3 factories).
    expect(await vault.isAdapterAllowed(addresses.swapRouter02Adapter)).to.equal(true);
    const router02Adapter = SwapRouter02Adapter__factory.connect(addresses.swapRouter02Adapter, deployer);
    expect([await router02Adapter.vault(), await router02Adapter.router(), await router02Adapter.factoryV3(), await router02Adapter.factoryV2()]).to.deep.equal([addresses.vault, market.swapRouter02, market.factory, market.factoryV2]);
    expect(await vault.maxSlippageBps()).to.equal(parameters.vault.maxSlippageBps);
    expect(await vault.lossBudgetBps()).to.equal(parameters.vault.lossBudgetBps);
    expect(await vault.managementFeeBps()).to.equal(parameters.vault.managementFeeBps);
  });
});

describe("deploy/ Ignition modules: the IndexQueue", function () {
  it("deploys the ERC-7540 queue on the vault, settled by the keeper and administered by the timelock alone", async function () {
    const { addresses, parameters, deployer, keeper, guardian } = await networkHelpers.loadFixture(ignitionFixture);
    const queue = IndexQueue__factory.connect(addresses.queue, deployer);
    expect([await queue.share(), await queue.asset()]).to.deep.equal([addresses.vault, parameters.stablecoin.address]);
    expect([await queue.firstWindowStart(), await queue.windowSeconds(), await queue.graceSeconds()]).to.deep.equal([BigInt(parameters.queue.firstWindowStart), 86_400n, 21_600n]);
    // Windows close at 22:00 UTC, before the keeper's 00:00 run.
    expect(new Date(parameters.queue.firstWindowStart * 1000).toISOString().slice(11)).to.equal("22:00:00.000Z");
    expect(await queue.hasRole(ROLE.settler, keeper.address)).to.equal(true);
    expect(await queue.hasRole(ROLE.defaultAdmin, addresses.timelock)).to.equal(true);
    for (const who of [deployer, guardian]) {
      expect(await queue.hasRole(ROLE.defaultAdmin, who.address), who.address).to.equal(false);
      expect(await queue.hasRole(ROLE.settler, who.address), who.address).to.equal(false);
    }
    // Only the timelock appoints settlers.
    await expect(queue.grantRole(ROLE.settler, deployer.address)).to.be.revertedWithCustomError(queue, "AccessControlUnauthorizedAccount");
  });
});

describe("deploy/parameters", function () {
  it("accepts the mainnet example, whose pools are the factory's CREATE2 addresses", async function () {
    const p = parseNetworkParameters(JSON.parse(await readFile("deploy/parameters/mainnet.json", "utf8")));
    expect(p.chainId).to.equal(1);
    expect(p.example).to.equal(true);
    expect(p.timelock.delaySeconds).to.equal(172_800);
    // USDC/WETH 0.05%, the best-known pool address on mainnet.
    expect(computeV3PoolAddress(p.uniswapV3.factory, p.stablecoin.address, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 500)).to.equal("0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640");
  });

  it("accepts Base and Sepolia with SwapRouter02, V2 pairs and pools against WETH re-derived from their factories", async function () {
    for (const [file, chainId] of [["base", 8453], ["sepolia", 11155111]] as const) {
      const p = parseNetworkParameters(JSON.parse(await readFile(`deploy/parameters/${file}.json`, "utf8")), file);
      expect(p.chainId).to.equal(chainId);
      const weth = p.swapRouter02!.weth;
      const v2 = p.tokens.flatMap((t) => t.pools.map((pool) => ({ t, pool }))).filter(({ pool }) => pool.protocol === "v2");
      expect(v2, file).to.have.length(1);
      expect(v2[0].pool.address).to.equal(computeV2PairAddress(p.swapRouter02!.factoryV2, weth, p.stablecoin.address));
      expect(p.tokens.some((t) => t.pools.some((pool) => pool.pairedWith === weth)), file).to.equal(true);
    }
  });

  it("on a chain Uniswap publishes, refuses a router, V2 factory or pair that is not Uniswap's, naming the field", async function () {
    const json = JSON.parse(await readFile("deploy/parameters/base.json", "utf8"));
    // Arbitrum's SwapRouter02 (a valid checksum, the wrong chain) and the V1 router's address as V2 factory.
    json.swapRouter02.router = "0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45";
    json.swapRouter02.factoryV2 = "0xE592427A0AEce92De3Edee1F18E0157C05861564";
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /swapRouter02\.router: 0x68b3[\s\S]*not Uniswap's published 0x2626[\s\S]*swapRouter02\.factoryV2/);
    const pairs = JSON.parse(await readFile("deploy/parameters/base.json", "utf8"));
    pairs.tokens[0].pools[2].address = pairs.tokens[0].pools[0].address;
    pairs.tokens[1].pools[1].pairedWith = "0x1111111111111111111111111111111111111111";
    expect(() => parseNetworkParameters(pairs)).to.throw(NetworkParametersError, /tokens\[WETH\]\.pools\[v2 fee 3000\]: 0xd0b5[\s\S]*not the V2 factory's pair[\s\S]*tokens\[cbBTC\]\.pools\[v3 fee 500\]: pairedWith 0x1111/);
    delete pairs.swapRouter02;
    expect(() => parseNetworkParameters(pairs)).to.throw(NetworkParametersError, /a V2 pair needs swapRouter02/);
  });

  it("gives every network a queue of daily windows closing at 22:00 UTC, and rejects bad windows naming the field", async function () {
    for (const file of ["mainnet", "sepolia", "base"]) {
      const p = parseNetworkParameters(JSON.parse(await readFile(`deploy/parameters/${file}.json`, "utf8")), file);
      expect([p.queue.windowSeconds, p.queue.graceSeconds], file).to.deep.equal([86_400, 21_600]);
      expect(p.queue.firstWindowStart % 86_400, file).to.equal(22 * 3_600);
    }
    const json = JSON.parse(await readFile("deploy/parameters/mainnet.json", "utf8"));
    json.queue.firstWindowStart = "2027-02-30T22:00:00Z";
    json.queue.windowSeconds = 7 * 3_600;
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /queue\.firstWindowStart: not a calendar instant: 2027-02-30T22:00:00Z[\s\S]*queue\.windowSeconds: must divide a day/);
    json.queue.firstWindowStart = "2027-01-03 22:00";
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /queue\.firstWindowStart: must be an ISO 8601 UTC instant/);
    json.queue = { firstWindowStart: "2027-01-03T22:00:00Z", windowSeconds: 3_600, graceSeconds: 7_200 };
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /queue\.graceSeconds: 7200 is longer than a window \(3600 s\)/);
    delete json.queue;
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /queue: Required/);
  });

  it("rejects a bad checksum, a wrong pool and a short timelock, naming each field", async function () {
    const json = JSON.parse(await readFile("deploy/parameters/mainnet.json", "utf8"));
    json.uniswapV3.quoterV2 = "0x61fFE014bA17989E743c5F6cB21bF9697530b21e";
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /uniswapV3\.quoterV2: bad EIP-55 checksum/);
    json.uniswapV3.quoterV2 = "0x61fFE014bA17989E743c5F6cB21bF9697530B21e";
    json.tokens[1].pools[0].address = "0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8";
    json.timelock.delaySeconds = 3600;
    expect(() => parseNetworkParameters(json)).to.throw(NetworkParametersError, /tokens\[WETH\]\.pools\[v3 fee 500\][\s\S]*timelock\.delaySeconds/);
  });
});
