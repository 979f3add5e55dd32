import { ZeroAddress, type Signer } from "ethers";
import {
  IndexQueue__factory,
  IndexVault__factory,
  RebalanceLogic__factory,
  RegistryLogic__factory,
  OracleRouter__factory,
  SwapRouter02Adapter__factory,
  TimelockController__factory,
  UniswapV3Adapter__factory,
} from "../types/ethers-contracts/index.js";
import type { Market } from "./deployMarket.js";

/** The vault's configuration on the devnet; production values live in deploy/parameters. */
export interface VaultSettings {
  /** Timelock delay before an admin change takes effect. */
  timelockDelaySeconds: number;
  entryFeeBps: number;
  exitFeeBps: number;
  managementFeeBps: number;
  maxSlippageBps: number;
  lossBudgetBps: number;
  lossBudgetWindowSeconds: number;
  /** Feed answers older than this are stale. */
  heartbeatSeconds: number;
  maxWeightBps: number;
  /** IndexQueue: when window 1 opens (unix seconds); its time of day is every cut-off's. */
  queueFirstWindowStart: number;
  /** IndexQueue: a window of requests settles from its cut-off on (ERC-7540 path). */
  queueWindowSeconds: number;
  /** IndexQueue: after a cut-off, how long only the keeper (the settler) may settle. */
  queueGraceSeconds: number;
}

/**
 * Devnet defaults. Max slippage 2.5% because the 1%-fee pools of small caps plus impact must clear the
 * oracle bound. The loss budget is 200 bps of NAV per 7 days, not the contract's 50: a regime switch sells
 * or buys the whole book, which costs 0.5-1.5% of NAV, and the default would spread one switch over weeks.
 */
export const DEVNET_VAULT_SETTINGS: VaultSettings = Object.freeze({
  timelockDelaySeconds: 2 * 24 * 3600,
  entryFeeBps: 10,
  exitFeeBps: 10,
  managementFeeBps: 150,
  maxSlippageBps: 250,
  lossBudgetBps: 200,
  lossBudgetWindowSeconds: 7 * 24 * 3600,
  heartbeatSeconds: 3 * 24 * 3600,
  maxWeightBps: 10_000,
  // A Sunday 22:00 UTC: windows close daily at 22:00, two hours before the keeper's 00:00 run settles them (on
  // Mondays just before it rebalances with their cash). Fixed, not the deployment's time, so both deployment paths agree.
  queueFirstWindowStart: Date.UTC(2026, 0, 4, 22) / 1000,
  queueWindowSeconds: 24 * 3600,
  queueGraceSeconds: 6 * 3600,
});

export interface VaultDeployment {
  vault: string;
  oracle: string;
  adapter: string;
  /** The ERC-7540 queue (IndexQueue) in front of the vault: the keeper settles it, the timelock administers it. */
  queue: string;
  /** The SwapRouter02 adapter (V2, V3 and mixed routes), allowlisted; the keeper routes through it in the realistic layout. */
  swapRouter02Adapter: string;
  timelock: string;
  keeper: string;
  guardian: string;
  feeRecipient: string;
  /** Proposes timelock operations (a multisig in production). */
  proposer: string;
  deployedAtBlock: number;
  settings: VaultSettings;
}

export interface DeployVaultParameters {
  deployer: Signer;
  market: Market;
  keeper: string;
  guardian: string;
  feeRecipient: string;
  settings?: Partial<VaultSettings>;
}

/** Chainlink feed bounds of a constituent: 1/100x to 100x its price at registration (8 decimals). */
const BOUND_FACTOR = 100n;

/**
 * Deploys the vault stack on the devnet market and hands it to a TimelockController: the oracle router with a
 * Chainlink source per token and for the stablecoin and each token's stablecoin pool as its market pool, the vault, the Uniswap V3 adapter, every token registered
 * with its pool allowlisted, fees and limits set, keeper and guardian appointed. The deployer configures it
 * first, then gives the vault's admin role to the timelock (which owns the oracle from its construction) and
 * renounces its own roles and the oracle's configurator right.
 */
export async function deployVault({ deployer, market, keeper, guardian, feeRecipient, settings: overrides }: DeployVaultParameters): Promise<VaultDeployment> {
  const settings = { ...DEVNET_VAULT_SETTINGS, ...overrides };
  const deployerAddress = await deployer.getAddress();
  const deployedAtBlock = await deployer.provider!.getBlockNumber();
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();

  const timelock = await new TimelockController__factory(deployer).deploy(settings.timelockDelaySeconds, [deployerAddress], [ZeroAddress], deployerAddress);
  const timelockAddress = await timelock.getAddress();
  // Owned by the timelock from the start; the deployer configures it until the hand-over below.
  const oracle = await new OracleRouter__factory(deployer).deploy(timelockAddress, deployerAddress);
  const oracleAddress = await oracle.getAddress();
  const feedSource = async (token: string, feed: string, minAnswer: bigint, maxAnswer: bigint) => {
    await send(
      oracle.setSource(token, {
        kind: 1,
        feed,
        heartbeatSeconds: settings.heartbeatSeconds,
        minAnswer,
        maxAnswer,
        pool: ZeroAddress,
        twapWindowSeconds: 0,
        maxDeviationBps: 0,
      }),
    );
  };
  // The stablecoin must stay near $1: outside +-3% deposits and cash exits stop (a depeg inside shows in NAV).
  await feedSource(market.stablecoin.address, market.stablecoin.feed, 97_000_000n, 103_000_000n);
  // WETH is only a routing token (never registered or held): its feed prices the WETH-quoted market pools.
  if (market.weth !== undefined) {
    const answer = BigInt(Math.round(market.weth.priceUsd * 1e8));
    await feedSource(market.weth9, market.weth.feed, answer / BOUND_FACTOR, answer * BOUND_FACTOR);
  }
  for (const t of market.tokens) {
    const answer = BigInt(Math.round(t.priceUsd * 1e8));
    await feedSource(t.address, t.feed, answer / BOUND_FACTOR > 0n ? answer / BOUND_FACTOR : 1n, answer * BOUND_FACTOR);
    // Deposits pay the higher, cash exits get the lower of feed and pool: a lagging feed gives nothing away.
    await send(oracle.setMarketPool(t.address, t.pool));
  }

  // The vault's rebalancing and registry code lives in two externally linked libraries (EIP-170).
  const rebalanceLogic = await (await new RebalanceLogic__factory(deployer).deploy()).getAddress();
  const registryLogic = await (await new RegistryLogic__factory(deployer).deploy()).getAddress();
  const libraries = {
    "project/contracts/vault/RebalanceLogic.sol:RebalanceLogic": rebalanceLogic,
    "project/contracts/vault/RegistryLogic.sol:RegistryLogic": registryLogic,
  };
  const vault = await new IndexVault__factory(libraries, deployer).deploy(market.stablecoin.address, "Open Index Vault", "OIV", deployerAddress, oracleAddress, feeRecipient);
  const vaultAddress = await vault.getAddress();
  const adapter = await new UniswapV3Adapter__factory(deployer).deploy(vaultAddress, market.factory);
  const adapterAddress = await adapter.getAddress();

  // Every devnet has SwapRouter02, as deploy/devnetParameters.ts names it: both adapters, as Ignition deploys them.
  const swapRouter02Adapter = await (await new SwapRouter02Adapter__factory(deployer).deploy(vaultAddress, market.swapRouter02)).getAddress();
  await send(vault.setAdapterAllowed(swapRouter02Adapter, true));
  if (market.weth !== undefined) await send(vault.setPoolAllowed(market.weth.pool, true));

  for (const t of market.tokens) {
    await send(vault.registerAsset(t.address, settings.maxWeightBps));
    for (const venue of t.venues) await send(vault.setPoolAllowed(venue.pool, true));
  }
  await send(vault.setAdapterAllowed(adapterAddress, true));
  await send(vault.setFees(settings.entryFeeBps, settings.exitFeeBps, settings.managementFeeBps));
  await send(vault.setMaxSlippage(settings.maxSlippageBps));
  await send(vault.setLossBudget(settings.lossBudgetBps, settings.lossBudgetWindowSeconds));
  await send(vault.grantRole(await vault.KEEPER_ROLE(), keeper));
  await send(vault.grantRole(await vault.GUARDIAN_ROLE(), guardian));
  const queue = await new IndexQueue__factory(deployer).deploy(vaultAddress, timelockAddress, keeper, settings.queueFirstWindowStart, settings.queueWindowSeconds, settings.queueGraceSeconds);
  const queueAddress = await queue.getAddress();

  // Hand over: the timelock becomes the only admin. The guardian gets no canceller role: it could veto its own
  // removal and every unpause. The proposers (OpenZeppelin makes each a canceller) cancel a bad proposal.
  await send(vault.grantRole(await vault.DEFAULT_ADMIN_ROLE(), timelockAddress));
  await send(vault.renounceRole(await vault.DEFAULT_ADMIN_ROLE(), deployerAddress));
  await send(oracle.renounceConfigurator());
  await send(timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), deployerAddress));

  return {
    vault: vaultAddress,
    oracle: oracleAddress,
    adapter: adapterAddress,
    queue: queueAddress,
    swapRouter02Adapter,
    timelock: timelockAddress,
    keeper,
    guardian,
    feeRecipient,
    proposer: deployerAddress,
    deployedAtBlock,
    settings,
  };
}
