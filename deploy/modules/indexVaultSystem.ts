import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, ZeroAddress, ZeroHash } from "ethers";
import { marketPoolOf, toSourceParams, type NetworkParameters } from "../networkParameters.js";

/**
 * Ignition modules of the vault stack, built from one validated NetworkParameters (deploy/parameters/<network>.json).
 * Modules are built by functions rather than read from Ignition parameters because their shape depends on
 * the file: one setSource, registerAsset and setPoolAllowed future per token and pool.
 *
 * Order, as in devnet/deployVault.ts so that devnet and mainnet end in the same state: the deployer
 * (account 0) is temporarily the timelock's admin, the oracle's owner and the vault's admin; it configures
 * everything; then RolesModule hands the vault's admin role and the oracle to the timelock and renounces its
 * own roles. After that every admin change goes through the timelock's delay.
 */

// Role ids as the contracts define them (keccak256 of the name; OpenZeppelin's admin role is zero).
export const ROLE = Object.freeze({
  defaultAdmin: ZeroHash,
  keeper: id("KEEPER_ROLE"),
  guardian: id("GUARDIAN_ROLE"),
  proposer: id("PROPOSER_ROLE"),
  canceller: id("CANCELLER_ROLE"),
  executor: id("EXECUTOR_ROLE"),
  settler: id("SETTLER_ROLE"),
});

/** Ignition future ids allow [A-Za-z0-9_] only. */
const futureId = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

/** The modules of one deployment; `system` is the one to deploy, the others are exposed for inspection. */
export function buildIndexVaultSystem(p: NetworkParameters) {
  const timelockModule = buildModule("TimelockModule", (m) => {
    const deployer = m.getAccount(0);
    // No executor listed: the zero address as executor lets anyone execute a ready operation (OpenZeppelin's
    // open-executor convention), so a missing executor key can never strand a queued change.
    const executors = p.timelock.executors.length > 0 ? p.timelock.executors : [ZeroAddress];
    const timelock = m.contract("TimelockController", [p.timelock.delaySeconds, p.timelock.proposers, executors, deployer]);
    return { timelock };
  });

  const oracleModule = buildModule("OracleModule", (m) => {
    const deployer = m.getAccount(0);
    const { timelock } = m.useModule(timelockModule);
    // Owned by the timelock from the start (two-step transfers after); the deployer configures it until the
    // hand-over, where it renounces that right.
    const oracle = m.contract("OracleRouter", [timelock, deployer]);
    // The stablecoin first: a TWAP source quotes against it, and the vault's constructor prices it.
    const stableSource = m.call(oracle, "setSource", [p.stablecoin.address, toSourceParams(p.stablecoin.source)], { id: "setSource_stablecoin" });
    // Connectors (WETH) next: a market pool against one is priced through the connector's feed.
    const connectorSources = p.connectors.map((c) => m.call(oracle, "setSource", [c.address, toSourceParams(c.source)], { id: futureId("setSource_connector", c.symbol), after: [stableSource] }));
    const sources = p.tokens.map((t) => m.call(oracle, "setSource", [t.address, toSourceParams(t.source)], { id: futureId("setSource", t.symbol), after: [stableSource, ...connectorSources] }));
    for (const t of p.tokens) {
      // The token's first stablecoin pool (else its first pool against a connector or another token, whose source
      // must be set: hence after every source) bounds its price for deposits (higher of feed and pool) and cash
      // exits (lower), so a feed lagging inside its deviation threshold gives no share away.
      const marketPool = marketPoolOf(p, t.pools);
      if (marketPool !== undefined) m.call(oracle, "setMarketPool", [t.address, marketPool.address], { id: futureId("setMarketPool", t.symbol), after: sources });
    }
    return { oracle };
  });

  const vaultModule = buildModule("VaultModule", (m) => {
    const deployer = m.getAccount(0);
    const { oracle } = m.useModule(oracleModule);
    // The vault's rebalancing and registry code lives in two externally linked libraries (EIP-170).
    const rebalanceLogic = m.library("RebalanceLogic");
    const registryLogic = m.library("RegistryLogic");
    const vault = m.contract("IndexVault", [p.stablecoin.address, p.vault.name, p.vault.symbol, deployer, oracle, p.roles.feeRecipient], {
      after: [oracleModule],
      libraries: { RebalanceLogic: rebalanceLogic, RegistryLogic: registryLogic },
    });
    const allow = (symbol: string, pool: { fee: number; address: string }) => m.call(vault, "setPoolAllowed", [pool.address, true], { id: futureId("setPoolAllowed", `${symbol}_${pool.fee}_${pool.address.slice(2, 10)}`) });
    // A connector's pools are allowlisted (routes cross them) but the connector is not registered: never held.
    for (const c of p.connectors) for (const pool of c.pools) allow(c.symbol, pool);
    for (const t of p.tokens) {
      m.call(vault, "registerAsset", [t.address, t.maxWeightBps], { id: futureId("registerAsset", t.symbol) });
      for (const pool of t.pools) allow(t.symbol, pool);
    }
    m.call(vault, "setFees", [p.vault.entryFeeBps, p.vault.exitFeeBps, p.vault.managementFeeBps]);
    m.call(vault, "setMaxSlippage", [p.vault.maxSlippageBps]);
    m.call(vault, "setLossBudget", [p.vault.lossBudgetBps, p.vault.lossBudgetWindowSeconds]);
    return { vault };
  });

  // UniswapV3Adapter swaps on the factory's V3 pools directly (any chain with the factory); SwapRouter02Adapter,
  // where the file names SwapRouter02, adds V2 pairs and multi-hop routes through connectors (WETH).
  const adapterModule = buildModule("AdapterModule", (m) => {
    const { vault } = m.useModule(vaultModule);
    const deployAdapter = (name: "UniswapV3Adapter" | "SwapRouter02Adapter", args: string[]) => {
      const adapter = m.contract(name, [vault, ...args]);
      m.call(vault, "setAdapterAllowed", [adapter, true], { id: futureId("setAdapterAllowed", name) });
      return adapter;
    };
    return {
      adapter: deployAdapter("UniswapV3Adapter", [p.uniswapV3.factory]),
      ...(p.swapRouter02 === undefined ? {} : { swapRouter02Adapter: deployAdapter("SwapRouter02Adapter", [p.swapRouter02.router]) }),
    };
  });

  // The ERC-7540 path beside the vault (the vault needs no wiring for it: the queue deposits and redeems as any
  // holder does). Administered by the timelock from its construction, so the deployer never holds a role on it;
  // the keeper settles each window from its cut-off, anyone after the grace period.
  const queueModule = buildModule("QueueModule", (m) => {
    const { timelock } = m.useModule(timelockModule);
    const { vault } = m.useModule(vaultModule);
    const queue = m.contract("IndexQueue", [vault, timelock, p.roles.keeper, p.queue.firstWindowStart, p.queue.windowSeconds, p.queue.graceSeconds]);
    return { queue };
  });

  const rolesModule = buildModule("RolesModule", (m) => {
    const deployer = m.getAccount(0);
    const { timelock } = m.useModule(timelockModule);
    const { oracle } = m.useModule(oracleModule);
    const { vault } = m.useModule(vaultModule);
    const adapters = m.useModule(adapterModule);
    const { queue } = m.useModule(queueModule);
    const configured = [timelockModule, oracleModule, vaultModule, adapterModule, queueModule];
    const appointed = [
      m.call(vault, "grantRole", [ROLE.keeper, p.roles.keeper], { id: "grantKeeper", after: configured }),
      m.call(vault, "grantRole", [ROLE.guardian, p.roles.guardian], { id: "grantGuardian", after: configured }),
    ];
    // Hand over: the timelock becomes the only admin, then the deployer gives up every role it held.
    const vaultAdmin = m.call(vault, "grantRole", [ROLE.defaultAdmin, timelock], { id: "grantVaultAdminToTimelock", after: appointed });
    m.call(vault, "renounceRole", [ROLE.defaultAdmin, deployer], { id: "renounceVaultAdmin", after: [vaultAdmin] });
    m.call(oracle, "renounceConfigurator", [], { id: "renounceOracleConfigurator", after: appointed });
    m.call(timelock, "renounceRole", [ROLE.defaultAdmin, deployer], { id: "renounceTimelockAdmin", after: appointed });
    return { timelock, oracle, vault, queue, ...adapters };
  });

  const system = buildModule("IndexVaultSystem", (m) => m.useModule(rolesModule));

  return { system, timelockModule, oracleModule, vaultModule, adapterModule, queueModule, rolesModule };
}
