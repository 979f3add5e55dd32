import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { connection, ethers, marketFixture, networkHelpers } from "../fixtures.js";
import { buildIndexVaultSystem, ROLE } from "../../deploy/modules/indexVaultSystem.js";
import { devnetParameters } from "../../deploy/devnetParameters.js";
import { deployVault } from "../../devnet/deployVault.js";
import type { Market } from "../../devnet/deployMarket.js";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, SwapRouter02Adapter__factory, TimelockController__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";

interface Addresses {
  vault: string;
  oracle: string;
  adapter: string;
  swapRouter02Adapter: string;
  timelock: string;
  queue: string;
}

/**
 * Every setting of a deployed stack that either path configures, read from the chain, with the stack's own
 * addresses replaced by their role so that two deployments compare equal when configured alike.
 */
async function readSettings(a: Addresses, market: Market, people: Record<"proposer" | "keeper" | "guardian" | "feeRecipient", string>) {
  const [signer] = await ethers.getSigners();
  const vault = IndexVault__factory.connect(a.vault, signer);
  const oracle = OracleRouter__factory.connect(a.oracle, signer);
  const timelock = TimelockController__factory.connect(a.timelock, signer);
  const adapter = UniswapV3Adapter__factory.connect(a.adapter, signer);
  const router02Adapter = SwapRouter02Adapter__factory.connect(a.swapRouter02Adapter, signer);
  const queue = IndexQueue__factory.connect(a.queue, signer);
  const name = (address: string) => (address === a.timelock ? "timelock" : address === a.vault ? "vault" : address === a.oracle ? "oracle" : address);
  const source = async (token: string) => {
    const s = await oracle.sourceOf(token);
    return { kind: Number(s.kind), feed: s.feed, heartbeatSeconds: Number(s.heartbeatSeconds), minAnswer: s.minAnswer, maxAnswer: s.maxAnswer, pool: s.pool, twapWindowSeconds: Number(s.twapWindowSeconds), maxDeviationBps: Number(s.maxDeviationBps) };
  };
  const roles = async (contract: { hasRole(role: string, account: string): Promise<boolean> }, role: string) => {
    const holders = [];
    for (const [who, address] of Object.entries({ ...people, timelock: a.timelock, anyone: ZeroAddress })) if (await contract.hasRole(role, address)) holders.push(who);
    return holders;
  };
  return {
    timelock: { minDelay: await timelock.getMinDelay(), admin: await roles(timelock, ROLE.defaultAdmin), proposer: await roles(timelock, ROLE.proposer), canceller: await roles(timelock, ROLE.canceller), executor: await roles(timelock, ROLE.executor) },
    oracle: { owner: name(await oracle.owner()), stablecoin: await source(market.stablecoin.address), tokens: await Promise.all(market.tokens.map((t) => source(t.address))) },
    vault: {
      asset: await vault.asset(),
      name: await vault.name(),
      symbol: await vault.symbol(),
      oracle: name(await vault.oracle()),
      feeRecipient: await vault.feeRecipient(),
      fees: [await vault.entryFeeBps(), await vault.exitFeeBps(), await vault.managementFeeBps()],
      maxSlippageBps: await vault.maxSlippageBps(),
      lossBudget: [await vault.lossBudgetBps(), await vault.lossBudgetWindowSeconds()],
      registeredAssets: await vault.registeredAssets(),
      maxWeightBps: await Promise.all(market.tokens.map((t) => vault.maxWeightBps(t.address))),
      poolsAllowed: await Promise.all(market.tokens.flatMap((t) => t.venues.map((v) => vault.isPoolAllowed(v.pool)))),
      adapterAllowed: [await vault.isAdapterAllowed(a.adapter), await vault.isAdapterAllowed(a.swapRouter02Adapter)],
      admin: await roles(vault, ROLE.defaultAdmin),
      keeper: await roles(vault, ROLE.keeper),
      guardian: await roles(vault, ROLE.guardian),
      paused: [await vault.depositsPaused(), await vault.rebalancesPaused()],
    },
    adapter: { vault: name(await adapter.vault()), factory: await adapter.factory() },
    swapRouter02Adapter: { vault: name(await router02Adapter.vault()), router: await router02Adapter.router(), factoryV3: await router02Adapter.factoryV3(), factoryV2: await router02Adapter.factoryV2() },
    queue: {
      share: name(await queue.share()),
      asset: await queue.asset(),
      windows: [await queue.firstWindowStart(), await queue.windowSeconds(), await queue.graceSeconds()],
      admin: await roles(queue, ROLE.defaultAdmin),
      settler: await roles(queue, ROLE.settler),
    },
  };
}

async function bothPaths() {
  const market = await marketFixture();
  const [deployer, keeper, guardian, feeRecipient] = await ethers.getSigners();
  const people = { proposer: deployer.address, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address };
  const script = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const { system } = buildIndexVaultSystem(devnetParameters({ market, ...people, deploymentId: "agreement" }));
  const deployed = await connection.ignition.deploy(system);
  const ignition = { timelock: await deployed.timelock.getAddress(), oracle: await deployed.oracle.getAddress(), vault: await deployed.vault.getAddress(), adapter: await deployed.adapter.getAddress(), swapRouter02Adapter: await deployed.swapRouter02Adapter!.getAddress(), queue: await deployed.queue.getAddress() };
  return { market, people, script, ignition };
}

describe("one deployment path: devnet/deployVault.ts and the Ignition module with deploy/devnetParameters.ts", function () {
  it("configure the same stack on the same market, setting by setting", async function () {
    const { market, people, script, ignition } = await networkHelpers.loadFixture(bothPaths);
    const fromScript = await readSettings(script, market, people);
    const fromIgnition = await readSettings(ignition, market, people);
    // Field by field first, so that a drift names the setting.
    for (const part of ["timelock", "oracle", "vault", "adapter", "swapRouter02Adapter", "queue"] as const) {
      for (const key of Object.keys(fromScript[part]) as (keyof (typeof fromScript)[typeof part])[]) {
        expect(fromIgnition[part][key], `${part}.${String(key)}`).to.deep.equal(fromScript[part][key]);
      }
    }
    expect(fromIgnition).to.deep.equal(fromScript);
    // The stablecoin's feed is bounded near $1 on both paths (deposits stop outside it).
    const one = 10n ** BigInt(market.feedDecimals);
    expect([fromScript.oracle.stablecoin.minAnswer, fromScript.oracle.stablecoin.maxAnswer]).to.deep.equal([(one * 97n) / 100n, (one * 103n) / 100n]);
    // Both queues: the vault's shares, administered by the timelock alone, settled by the keeper, daily windows closing at 22:00 UTC.
    expect(fromScript.queue).to.deep.equal({ share: "vault", asset: market.stablecoin.address, windows: [BigInt(Date.UTC(2026, 0, 4, 22) / 1000), 86_400n, 21_600n], admin: ["timelock"], settler: ["keeper"] });
  });
});
