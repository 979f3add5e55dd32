import { Network, toQuantity, type JsonRpcProvider, type Log, type LogDescription } from "ethers";
import { IndexVault__factory, OracleRouter__factory, type IndexVault } from "../../types/ethers-contracts/index.js";
import { readVault, type VaultState } from "../../keeper/chain/readVault.js";
import { StaticCallBatchingProvider } from "../../keeper/chain/StaticCallBatchingProvider.js";
import { parseTokenList, type TokenList } from "../../keeper/data/tokenList.js";
import { valueInAsset } from "../../keeper/core/index.js";
import type { AppConfig } from "./config.js";

export const vaultInterface = IndexVault__factory.createInterface();

/** The app's read side: one JSON-RPC provider for the configured chain, whatever wallet is connected. */
export interface Chain {
  config: AppConfig;
  provider: JsonRpcProvider;
  vault: IndexVault;
  /** The first block worth reading: the config's, else the vault's own deploymentBlock() (asked once). */
  fromBlock(): Promise<number>;
}

export function connectChain(config: AppConfig): Chain {
  // The reads of one render (about 500 for a 100-token vault) go out as a handful of eth_calls.
  const provider = new StaticCallBatchingProvider(config.rpcUrl, Network.from(config.chainId), { staticNetwork: true, pollingInterval: 1000, batchMaxCount: 1000 });
  const vault = IndexVault__factory.connect(config.vault, provider);
  let fromBlock: Promise<number> | null = null;
  return {
    config,
    provider,
    vault,
    fromBlock: () => {
      if (config.fromBlock !== null) return Promise.resolve(config.fromBlock);
      fromBlock ??= vault.deploymentBlock().then(Number, (error: unknown) => {
        fromBlock = null;
        throw error;
      });
      return fromBlock;
    },
  };
}

export interface Holding {
  token: string;
  symbol: string;
  decimals: number;
  balance: bigint;
  /** Stablecoin base units. */
  value: bigint;
  weightBps: number;
  targetBps: number;
  /** One whole token in stablecoin base units x 1e18. */
  price18: bigint;
  source: string;
}

export interface VaultView {
  state: VaultState;
  name: string;
  symbol: string;
  shareDecimals: number;
  /** Stablecoin base units per whole share. */
  navPerShare: bigint;
  fees: { entryBps: number; exitBps: number; managementBps: number };
  holdings: Holding[];
}

const SOURCE_KINDS = ["none", "Chainlink feed", "Uniswap V3 TWAP", "Chainlink feed checked by TWAP"];

/** The vault at the latest block: state (the keeper's own reader), fees, holdings with weights and sources. */
export async function readVaultView(chain: Chain): Promise<VaultView> {
  const { vault, provider } = chain;
  // The keeper's reader and the app's extras (names, fees, price sources) go out together, one round trip deep.
  const sourcesOf = async () => {
    const [oracleAddress, asset, registered] = await Promise.all([vault.oracle(), vault.asset(), vault.registeredAssets()]);
    const oracle = OracleRouter__factory.connect(oracleAddress, provider);
    const tokens = [asset, ...registered];
    const kinds = await Promise.all(tokens.map((t) => oracle.sourceOf(t).then((s) => SOURCE_KINDS[Number(s.kind)] ?? `kind ${s.kind}`, () => "unreadable")));
    return new Map(tokens.map((t, i) => [t.toLowerCase(), kinds[i]!]));
  };
  const [state, sources, name, symbol, shareDecimals, entryBps, exitBps, managementBps] = await Promise.all([
    readVault({ runner: provider, vault: chain.config.vault }),
    sourcesOf(),
    vault.name(),
    vault.symbol(),
    vault.decimals(),
    vault.entryFeeBps(),
    vault.exitFeeBps(),
    vault.managementFeeBps(),
  ]);
  const at = { blockTag: state.blockNumber };
  const oneShare = 10n ** BigInt(shareDecimals);
  const navPerShare = state.totalSupply === 0n ? 10n ** BigInt(state.stablecoin.decimals) : await vault.convertToAssets(oneShare, at);
  const targets = new Map(state.targets.map((t) => [t.token.address.toLowerCase(), t.weightBps]));
  const holdings = state.holdings.map((h) => {
    const price18 = state.pricesAsset18.get(h.token.address)!;
    const value = valueInAsset(h.balance, h.token.decimals, price18);
    return {
      token: h.token.address,
      symbol: (h.token as { symbol?: string }).symbol ?? h.token.address.slice(0, 8),
      decimals: h.token.decimals,
      balance: h.balance,
      value,
      weightBps: state.navAsset === 0n ? 0 : Number((value * 10_000n) / state.navAsset),
      targetBps: targets.get(h.token.address.toLowerCase()) ?? 0,
      price18,
      source: sources.get(h.token.address.toLowerCase()) ?? "unreadable",
    };
  });
  return { state, name, symbol, shareDecimals: Number(shareDecimals), navPerShare, fees: { entryBps: Number(entryBps), exitBps: Number(exitBps), managementBps: Number(managementBps) }, holdings };
}

export async function fetchTokenList(config: AppConfig): Promise<TokenList> {
  const response = await fetch(config.tokenListUrl, { cache: "no-store" });
  if (!response.ok) throw new Error(`cannot load the token list ${config.tokenListUrl}: HTTP ${response.status}`);
  return parseTokenList(await response.json(), config.chainId, config.tokenListUrl);
}

/** A published snapshot's exact text, or null when the store has none for the epoch. */
export async function fetchSnapshot(config: AppConfig, location: string): Promise<string | null> {
  const response = await fetch(location, { cache: "no-store" });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`cannot load ${location}: HTTP ${response.status}`);
  return response.text();
}

export const snapshotUrl = (config: AppConfig, epoch: string) => `${config.snapshotsUrl}/${epoch}.json`;

export async function fetchSnapshotIndex(config: AppConfig): Promise<string[]> {
  const response = await fetch(`${config.snapshotsUrl}/index.json`, { cache: "no-store" });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`cannot load ${config.snapshotsUrl}/index.json: HTTP ${response.status}`);
  const index = (await response.json()) as { snapshots?: { epoch: string }[] };
  return (index.snapshots ?? []).map((s) => s.epoch);
}

/** A vault event with its block time and the transaction's gas. */
export interface VaultEvent {
  log: Log;
  event: LogDescription;
  timestamp: number;
  gasUsed: bigint;
  gasPrice: bigint;
}

const HISTORY_EVENTS = ["Deposit", "Withdraw", "RedeemedInKind", "TargetsCommitted", "TradeExecuted", "ManagementFeeAccrued", "EntryFeeCharged", "ExitFeeCharged", "DepositsPausedSet"] as const;

/**
 * Every depositor-relevant vault event, read incrementally: chunked eth_getLogs from the last block read, block
 * times and receipts cached, so a new block costs one small query.
 */
export class VaultHistoryCache {
  private events: VaultEvent[] = [];
  private readThrough: number | null = null;
  private blocks = new Map<number, Promise<number>>();
  private receipts = new Map<string, Promise<{ gasUsed: bigint; gasPrice: bigint }>>();
  constructor(private readonly chain: Chain) {}

  async update(toBlock: number): Promise<VaultEvent[]> {
    const { provider, config } = this.chain;
    this.readThrough ??= (await this.chain.fromBlock()) - 1;
    const topics = HISTORY_EVENTS.map((name) => vaultInterface.getEvent(name)!.topicHash);
    const fresh: Log[] = [];
    const ranges: [number, number][] = [];
    for (let start = this.readThrough + 1; start <= toBlock; start += config.logBlockRange) ranges.push([start, Math.min(toBlock, start + config.logBlockRange - 1)]);
    for (const logs of await Promise.all(ranges.map(([fromBlock, to]) => provider.getLogs({ address: config.vault, topics: [topics], fromBlock, toBlock: to })))) fresh.push(...logs);
    this.readThrough = Math.max(this.readThrough, toBlock);
    const decorated = await Promise.all(
      fresh.map(async (log) => {
        const [timestamp, gas] = await Promise.all([this.blockTime(log.blockNumber), this.gas(log.transactionHash)]);
        return { log, event: vaultInterface.parseLog(log)!, timestamp, ...gas };
      }),
    );
    this.events = [...this.events, ...decorated];
    return this.events;
  }

  // Raw JSON-RPC for the two fields used: ethers' Block and TransactionReceipt objects (every log of a
  // 30-trade batch, decoded) cost more CPU than the whole page.
  private blockTime(blockNumber: number): Promise<number> {
    if (!this.blocks.has(blockNumber)) {
      this.blocks.set(
        blockNumber,
        this.chain.provider.send("eth_getBlockByNumber", [toQuantity(blockNumber), false]).then((b: { timestamp: string } | null) => {
          if (b === null) throw new Error(`block ${blockNumber} not found`);
          return Number(b.timestamp);
        }),
      );
    }
    return this.blocks.get(blockNumber)!;
  }

  private gas(txHash: string) {
    if (!this.receipts.has(txHash)) {
      this.receipts.set(
        txHash,
        this.chain.provider.send("eth_getTransactionReceipt", [txHash]).then((r: { gasUsed: string; effectiveGasPrice?: string; gasPrice?: string } | null) => {
          if (r === null) throw new Error(`no receipt for ${txHash}`);
          return { gasUsed: BigInt(r.gasUsed), gasPrice: BigInt(r.effectiveGasPrice ?? r.gasPrice ?? 0) };
        }),
      );
    }
    return this.receipts.get(txHash)!;
  }
}
