import type { ContractRunner } from "ethers";
import { IERC20Metadata__factory, IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError, priceAsset18, regimeFromCode, type Holding, type TargetWeight, type TokenInfo } from "../core/index.js";
import { contractInterface } from "./contractInterface.js";
import { firstValue, readViews, viewCall } from "./readViews.js";

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
  const provider = runner.provider!;
  const [vaultInterface, oracleInterface, tokenInterface] = [contractInterface(IndexVault__factory), contractInterface(OracleRouter__factory), contractInterface(IERC20Metadata__factory)];
  // Three round trips at most, so that a browser far from the node waits for three: the block (beside the reads
  // when the caller pins one: only its timestamp waits for it), the vault's addresses, then token metadata and
  // every value together, each round one list of encoded reads (readViews), not a Contract call per read.
  const header = provider.getBlock(blockTag ?? "latest").then((b) => {
    if (b === null) throw new Error(`readVault: block ${blockTag ?? "latest"} not found`);
    return b;
  });
  header.catch(() => undefined);
  const at = blockTag ?? (await header).number;
  const ofVault = (name: string, args: readonly unknown[] = []) => viewCall(vaultInterface, address, name, args);
  const first = await readViews(runner, at, [ofVault("asset"), ofVault("registeredAssets"), ofVault("oracle")]);
  const [assetAddress, registered, oracleAddress] = [firstValue<string>(first[0]!), firstValue<string[]>(first[1]!), firstValue<string>(first[2]!)];
  const addresses = [assetAddress, ...registered];
  if (!metadataCache.has(provider)) metadataCache.set(provider, new Map());
  const known = metadataCache.get(provider)!;
  const unknown = addresses.filter((a) => !known.has(a.toLowerCase()));
  const n = addresses.length;
  const reads = await readViews(runner, at, [
    ...unknown.flatMap((a) => [viewCall(tokenInterface, a, "decimals"), viewCall(tokenInterface, a, "symbol")]),
    ...addresses.map((a) => viewCall(tokenInterface, a, "balanceOf", [address])),
    ...addresses.map((a) => ofVault("targetWeightBps", [a])),
    // 0 for a token whose source is unusable, where unitPricesUsd36 would revert for all of them.
    viewCall(oracleInterface, oracleAddress, "tryUnitPricesUsd36", [addresses]),
    // Reverts while any constituent's price is unusable: replaced below by the batch's valuation.
    ofVault("totalAssets"),
    ...["totalSupply", "currentEpoch", "currentRegime", "currentSnapshotHash", "maxSlippageBps", "targetToleranceBps", "lossBudgetAvailable", "depositsPaused", "rebalancesPaused", "batchSequence"].map((name) => ofVault(name)),
  ]);
  let next = 0;
  const take = (count: number) => reads.slice(next, (next += count));
  const metadata = take(2 * unknown.length);
  unknown.forEach((a, i) => known.set(a.toLowerCase(), { address: a, decimals: Number(firstValue<bigint>(metadata[2 * i]!)), symbol: String(firstValue<string>(metadata[2 * i + 1]!)) }));
  const all = addresses.map((a) => ({ ...known.get(a.toLowerCase())!, address: a }));
  const balances = take(n).map((r) => firstValue<bigint>(r));
  const weights = take(n).map((r) => firstValue<bigint>(r));
  const unitPrices = firstValue<bigint[]>(take(1)[0]!);
  const navRead = take(1)[0]!;
  const vaultNav = navRead instanceof Error ? null : (navRead[0] as bigint);
  const [totalSupply, epoch, regime, snapshotHash, maxSlippageBps, targetToleranceBps, lossBudgetAvailable, depositsPaused, rebalancesPaused, batchSequence] = take(10).map((r) => firstValue<unknown>(r)) as [
    bigint,
    bigint,
    bigint,
    string,
    bigint,
    bigint,
    bigint,
    boolean,
    boolean,
    bigint,
  ];
  const pinned = await header;
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
