import type { ContractRunner } from "ethers";
import { IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError, priceAsset18, regimeFromCode, type Holding, type TargetWeight, type TokenInfo } from "../core/index.js";
import { erc20 } from "./erc20.js";

export type RegimeName = "bull" | "bear";

export interface VaultToken extends TokenInfo {
  symbol: string;
}

/** The vault as the keeper sees it, read at one block through the vault's own views. */
export interface VaultState {
  address: string;
  blockNumber: number;
  timestamp: number;
  stablecoin: VaultToken;
  /** Registered constituents (not the stablecoin). */
  assets: VaultToken[];
  /** Stablecoin first, then each registered asset. */
  holdings: Holding[];
  /**
   * Value of one whole token in stablecoin raw units x 1e18, from the vault's oracle (the planner's unit); 0 for
   * a token whose price source is unusable (stale or dead feed), which the planner then holds untraded.
   */
  pricesAsset18: Map<string, bigint>;
  /**
   * Registered tokens whose oracle price is unusable now (tryUnitPricesUsd36 gave 0): the vault refuses to trade
   * them and values them at 0 for a batch; deposits and cash exits revert until the feed returns.
   */
  unpriced: VaultToken[];
  /**
   * The vault's totalAssets(); while a constituent's price is unusable (totalAssets reverts), the NAV a trade
   * batch values: holdings at oracle prices with that constituent at 0, which the vault's checks then use.
   */
  navAsset: bigint;
  totalSupply: bigint;
  epoch: bigint;
  regime: RegimeName;
  snapshotHash: string;
  /** Committed targets (the stablecoin's entry is the cash target). */
  targets: TargetWeight[];
  maxSlippageBps: number;
  /** Tolerance of the vault's per-batch position check around the committed targets (bps of NAV). */
  targetToleranceBps: number;
  lossBudgetAvailable: bigint;
  depositsPaused: boolean;
  rebalancesPaused: boolean;
  /**
   * The vault's count of executed trade batches at this block: a batch planned from this state is sent with it,
   * and reverts (IndexVaultStaleBatch) if another keeper's batch landed in between.
   */
  batchSequence: bigint;
}

/** Decimals and symbols never change: cached per provider (so per chain), then by address. */
const metadataCache = new WeakMap<object, Map<string, VaultToken>>();

async function tokenInfo(address: string, runner: ContractRunner): Promise<VaultToken> {
  const key = address.toLowerCase();
  const provider = runner.provider!;
  if (!metadataCache.has(provider)) metadataCache.set(provider, new Map());
  const chainCache = metadataCache.get(provider)!;
  const cached = chainCache.get(key);
  if (cached) return cached;
  const token = erc20(address, runner);
  const [decimals, symbol] = await Promise.all([token.decimals(), token.symbol()]);
  const info = { address, decimals: Number(decimals), symbol: String(symbol) };
  chainCache.set(key, info);
  return info;
}

export interface ReadVaultParameters {
  runner: ContractRunner;
  vault: string;
  blockTag?: number;
}

/**
 * Reads everything a rebalance starts from: holdings, oracle prices (one batched oracle call), NAV, the
 * committed epoch and targets, and the limits. Every field is read at the same block. One dead or stale feed
 * does not stop it: that token is priced 0 and listed in `unpriced`, as the vault's trade batches value it.
 */
export async function readVault({ runner, vault: address, blockTag }: ReadVaultParameters): Promise<VaultState> {
  const vault = IndexVault__factory.connect(address, runner);
  // Three round trips at most, so that a browser far from the node waits for three: the block (skipped when
  // the caller pins one), the vault's addresses, then token metadata and every value together.
  const blockRead = runner.provider!.getBlock(blockTag ?? "latest");
  const block = blockTag === undefined ? await blockRead : null;
  const at = { blockTag: blockTag ?? block?.number };
  const [pinned, assetAddress, registered, oracleAddress] = await Promise.all([block ?? blockRead, vault.asset(at), vault.registeredAssets(at), vault.oracle(at)]);
  if (pinned === null) throw new Error(`readVault: block ${blockTag ?? "latest"} not found`);
  const addresses = [assetAddress, ...registered];
  const oracle = OracleRouter__factory.connect(oracleAddress, runner);
  const [all, balances, unitPrices, vaultNav, totalSupply, epoch, regime, snapshotHash, weights, maxSlippageBps, targetToleranceBps, lossBudgetAvailable, depositsPaused, rebalancesPaused, batchSequence] = await Promise.all([
    Promise.all(addresses.map((a) => tokenInfo(a, runner))),
    Promise.all(addresses.map((a) => erc20(a, runner).balanceOf(address, at))),
    // 0 for a token whose source is unusable, where unitPricesUsd36 would revert for all of them.
    oracle.tryUnitPricesUsd36(addresses, at),
    // Reverts while any constituent's price is unusable: replaced below by the batch's valuation.
    vault.totalAssets(at).catch(() => null),
    vault.totalSupply(at),
    vault.currentEpoch(at),
    vault.currentRegime(at),
    vault.currentSnapshotHash(at),
    Promise.all(addresses.map((a) => vault.targetWeightBps(a, at))),
    vault.maxSlippageBps(at),
    vault.targetToleranceBps(at),
    vault.lossBudgetAvailable(at),
    vault.depositsPaused(at),
    vault.rebalancesPaused(at),
    vault.batchSequence(at),
  ]);
  const [stablecoin, ...assets] = all as [VaultToken, ...VaultToken[]];
  const stableUnit = unitPrices[0];
  if (stableUnit === 0n) throw new KeeperError(`the oracle has no usable price for the stablecoin ${stablecoin.symbol} (${stablecoin.address}): nothing can be valued or traded`);
  const pricesAsset18 = new Map(all.map((t, i) => [t.address, priceAsset18(unitPrices[i], stableUnit, t.decimals)]));
  const unpriced = assets.filter((_, i) => unitPrices[i + 1] === 0n);
  // NavLib.valueDown per constituent, as RebalanceLogic.batchValuation sums it (an unusable price counts 0).
  const navAsset = vaultNav ?? all.reduce((nav, _, i) => nav + (i === 0 ? balances[0] : (balances[i] * unitPrices[i]) / stableUnit), 0n);
  return {
    address,
    blockNumber: pinned.number,
    timestamp: pinned.timestamp,
    stablecoin,
    assets,
    holdings: all.map((token, i) => ({ token, balance: balances[i] })),
    pricesAsset18,
    unpriced,
    navAsset,
    totalSupply,
    epoch,
    regime: regimeFromCode(regime),
    snapshotHash,
    targets: epoch === 0n ? [] : all.map((token, i) => ({ token, weightBps: Number(weights[i]) })),
    maxSlippageBps: Number(maxSlippageBps),
    targetToleranceBps: Number(targetToleranceBps),
    lossBudgetAvailable,
    depositsPaused,
    rebalancesPaused,
    batchSequence,
  };
}
