import { Contract, getAddress, Log, LogDescription, Network, toQuantity, type EventFragment, type JsonRpcProvider } from "ethers";
import { IndexVault__factory, OracleRouter__factory, type IndexVault } from "../../types/ethers-contracts/index.js";
import { readVault, type VaultState } from "../../keeper/chain/readVault.js";
import { contractInterface } from "../../keeper/chain/contractInterface.js";
import { firstValue, readViews, viewCall } from "../../keeper/chain/readViews.js";
import { StaticCallBatchingProvider } from "../../keeper/chain/StaticCallBatchingProvider.js";
import { parseTokenList, type TokenList } from "../../keeper/data/tokenList.js";
import { valueInAsset, weightBpsOfNav } from "../../keeper/core/index.js";
import type { AppConfig } from "./config.js";
import type { HistoryStore, StoredLog } from "./historyStore.js";
import { staticEventDecoder } from "./eventDecoder.js";

/** The vault's parsed ABI, shared with the keeper's readers (contractInterface). */
export const vaultInterface = () => contractInterface(IndexVault__factory);

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
  // The shared Interface, not IndexVault__factory.connect's own parse of the ABI.
  const vault = new Contract(config.vault, vaultInterface(), provider) as unknown as IndexVault;
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
}

export interface VaultView {
  state: VaultState;
  name: string;
  symbol: string;
  shareDecimals: number;
  /** Stablecoin base units per whole share. */
  navPerShare: bigint;
  /** The vault's oracle router at that block. */
  oracle: string;
  fees: { entryBps: number; exitBps: number; managementBps: number };
  holdings: Holding[];
}

const SOURCE_KINDS = ["none", "Chainlink feed", "Uniswap V3 TWAP", "Chainlink feed checked by TWAP"];

/**
 * The vault at the latest block: state (the keeper's own reader), fees, holdings with weights. The price sources are
 * read after it (readPriceSources): 101 oracle reads of a wide struct, a third of the node's work for this view.
 */
export async function readVaultView(chain: Chain): Promise<VaultView> {
  const { provider, config } = chain;
  // Three round trips, each one request of folded reads (readViews): the block number; the vault's addresses with
  // names, fees and share decimals; then token metadata, balances, prices, targets and NAV per share.
  const blockTag = await provider.getBlockNumber();
  const ofVault = (name: string, args: readonly unknown[] = []) => viewCall(vaultInterface(), config.vault, name, args);
  const extras = (async () => {
    const first = await readViews(provider, blockTag, ["oracle", "name", "symbol", "decimals", "entryFeeBps", "exitFeeBps", "managementFeeBps"].map((name) => ofVault(name)));
    const [oracle, name, symbol, decimals, entryBps, exitBps, managementBps] = first.map((r) => firstValue<unknown>(r)) as [string, string, string, bigint, bigint, bigint, bigint];
    // NAV per share reverts, as totalAssets does, while a price source is down; that matters only once shares exist.
    const [navRead] = await readViews(provider, blockTag, [ofVault("convertToAssets", [10n ** decimals])]);
    const nav: { error: Error } | { assets: bigint } = navRead instanceof Error ? { error: navRead } : { assets: firstValue<bigint>(navRead!) };
    return { oracle, name, symbol, shareDecimals: decimals, fees: { entryBps, exitBps, managementBps }, nav };
  })();
  const [state, { oracle, name, symbol, shareDecimals, fees, nav }] = await Promise.all([readVault({ runner: provider, vault: config.vault, blockTag }), extras]);
  const { entryBps, exitBps, managementBps } = fees;
  if (state.totalSupply !== 0n && "error" in nav) throw nav.error;
  const navPerShare = state.totalSupply === 0n || !("assets" in nav) ? 10n ** BigInt(state.stablecoin.decimals) : nav.assets;
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
      weightBps: weightBpsOfNav(value, state.navAsset),
      targetBps: targets.get(h.token.address.toLowerCase()) ?? 0,
      price18,
    };
  });
  return { state, name, symbol, shareDecimals: Number(shareDecimals), navPerShare, oracle, fees: { entryBps: Number(entryBps), exitBps: Number(exitBps), managementBps: Number(managementBps) }, holdings };
}

/** Each holding's price source (lower-case token address to a plain name) at the view's block; "unreadable" where sourceOf reverts. */
export async function readPriceSources(chain: Chain, view: VaultView): Promise<ReadonlyMap<string, string>> {
  const oracle = contractInterface(OracleRouter__factory);
  const tokens = view.holdings.map((h) => h.token);
  const reads = await readViews(chain.provider, view.state.blockNumber, tokens.map((t) => viewCall(oracle, view.oracle, "sourceOf", [t])));
  const kinds = reads.map((r) => (r instanceof Error ? "unreadable" : (SOURCE_KINDS[Number(r[0].kind)] ?? `kind ${r[0].kind}`)));
  return new Map(tokens.map((t, i) => [t.toLowerCase(), kinds[i]!]));
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

/** A vault event with its block time. */
export interface VaultEvent {
  log: Log;
  event: LogDescription;
  timestamp: number;
}

/** What a transaction cost: gas used and the effective gas price (wei). */
export interface TransactionGas {
  gasUsed: bigint;
  gasPrice: bigint;
}

const HISTORY_EVENTS = ["Deposit", "Withdraw", "RedeemedInKind", "TargetsCommitted", "TradeExecuted", "ManagementFeeAccrued", "EntryFeeCharged", "ExitFeeCharged", "DepositsPausedSet"] as const;
/** Blocks at least this deep are taken as final: only they are stored across visits, so a reorg cannot stick. */
export const FINAL_DEPTH = 64;
/** The pause before the final history is written (save), so that a page of gas reads is one write. */
export const SAVE_DELAY_MS = 500;

/**
 * Every depositor-relevant vault event, read incrementally: chunked eth_getLogs from the last block read, block
 * times cached, so a new block costs one small query. The final part is kept in `store` (IndexedDB) across
 * visits, keyed by chain, vault and deployment block and checked against that block's hash. A transaction's gas
 * is read only when asked for (the rows on screen): a year of a 100-token vault is thousands of events.
 */
export class VaultHistoryCache {
  private events: VaultEvent[] = [];
  private readThrough: number | null = null;
  private blocks = new Map<number, Promise<BlockHeader>>();
  private gasByTx = new Map<string, Promise<TransactionGas>>();
  private stored: { key: string; deploymentBlockHash: string; finalLogs: number; gas: Record<string, [string, string]> } | null = null;
  private saving: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly chain: Chain,
    private readonly store: HistoryStore | null = null,
  ) {}

  private updating: Promise<unknown> = Promise.resolve();

  /** The history through `toBlock`. Calls run one at a time, so two overlapping refreshes never append one range twice. */
  update(toBlock: number): Promise<VaultEvent[]> {
    const next = this.updating.then(() => this.updateNow(toBlock));
    this.updating = next.catch(() => undefined);
    return next;
  }

  private async updateNow(toBlock: number): Promise<VaultEvent[]> {
    if (this.readThrough === null) await this.restore(toBlock);
    else if (toBlock > this.readThrough) {
      this.events = [...this.events, ...(await this.logs(this.readThrough + 1, toBlock)).map((l) => this.toEvent(l))];
      this.readThrough = toBlock;
    }
    this.save(false);
    return this.events;
  }

  /** The gas of a transaction that emitted `event`, read once (and kept with the history once final). */
  transactionGas(event: VaultEvent): Promise<TransactionGas> {
    const { transactionHash: hash, blockNumber } = event.log;
    if (!this.gasByTx.has(hash)) {
      const known = this.stored?.gas[hash];
      const read = known !== undefined ? Promise.resolve({ gasUsed: BigInt(known[0]), gasPrice: BigInt(known[1]) }) : this.readGas(hash, blockNumber);
      this.gasByTx.set(
        hash,
        read.then((gas) => {
          if (known === undefined && this.stored !== null && this.readThrough !== null && blockNumber <= this.readThrough - FINAL_DEPTH) {
            this.stored.gas[hash] = [String(gas.gasUsed), String(gas.gasPrice)];
            this.save(true);
          }
          return gas;
        }),
      );
      // A failed read is asked again next time, not remembered.
      this.gasByTx.get(hash)!.catch(() => this.gasByTx.delete(hash));
    }
    return this.gasByTx.get(hash)!;
  }

  /**
   * The first read: the stored history (if any) and the logs since, with the deployment block's hash in the same
   * round trip; a stored history whose deployment block hash differs is another chain's and is read again.
   */
  private async restore(toBlock: number): Promise<void> {
    const { config } = this.chain;
    const from = await this.chain.fromBlock();
    const key = `${config.chainId}:${config.vault.toLowerCase()}:${from}`;
    const stored = this.store === null ? null : await this.store.read(key).catch(() => null);
    const start = stored === null ? from : Math.min(stored.readThrough + 1, toBlock + 1);
    let [deployment, fresh] = await Promise.all([this.block(from), this.logs(start, toBlock)]);
    let kept = stored;
    if (stored !== null && stored.deploymentBlockHash !== deployment.hash) {
      kept = null;
      if (start > from) fresh = await this.logs(from, toBlock);
    }
    const restored = (kept?.logs ?? []).map((l) => this.toEvent(l));
    this.events = [...restored, ...fresh.map((l) => this.toEvent(l))];
    // A stored history can reach past a node that lags it (a load-balanced RPC): read on from where it ends.
    this.readThrough = Math.max(toBlock, kept?.readThrough ?? toBlock);
    this.stored = { key, deploymentBlockHash: deployment.hash, finalLogs: kept === null ? -1 : restored.length, gas: kept?.gas ?? {} };
  }

  /**
   * The vault's history logs in [fromBlock, toBlock], as raw JSON-RPC (ethers' Log objects drop the block time),
   * chunked by the config's block range, the chunks in one batch. A node that sends each log's block time
   * (blockTimestamp: Hardhat's EDR, recent geth) saves a header read per block with events.
   */
  private async logs(fromBlock: number, toBlock: number): Promise<StoredLog[]> {
    const { provider, config } = this.chain;
    const topics = [...historyEvents().keys()];
    const ranges: [number, number][] = [];
    for (let start = fromBlock; start <= toBlock; start += config.logBlockRange) ranges.push([start, Math.min(toBlock, start + config.logBlockRange - 1)]);
    const raw: RawLog[] = (
      await Promise.all(ranges.map(([from, to]) => provider.send("eth_getLogs", [{ address: config.vault, topics: [topics], fromBlock: toQuantity(from), toBlock: toQuantity(to) }]) as Promise<RawLog[]>))
    ).flat();
    return Promise.all(
      raw.map(async (l) => ({
        blockNumber: Number(l.blockNumber),
        blockHash: l.blockHash,
        transactionHash: l.transactionHash,
        transactionIndex: Number(l.transactionIndex),
        index: Number(l.logIndex),
        // The vault's own checksummed address: checksumming each log's costs a hash.
        address: l.address.toLowerCase() === config.vault.toLowerCase() ? config.vault : getAddress(l.address),
        topics: l.topics,
        data: l.data,
        // A node may send the field as null: that is no time (1970), the header is read instead.
        timestamp: l.blockTimestamp != null ? Number(l.blockTimestamp) : (await this.block(Number(l.blockNumber))).timestamp,
      })),
    );
  }

  /**
   * A stored or fresh log as a decoded event, by a topic-to-event map made once (ethers' parseLog hashes every event
   * signature of the ABI for each log) and, for the events of one-word parameters (trades, most of a history),
   * staticEventDecoder instead of ethers' decodeEventLog.
   */
  private toEvent(l: StoredLog): VaultEvent {
    const known = historyEvents().get(l.topics[0]!);
    if (known === undefined) throw new Error(`log ${l.index} of block ${l.blockNumber} is no vault history event (topic ${l.topics[0]})`);
    const { fragment, topic, decode } = known;
    const event = new LogDescription(fragment, topic, decode !== null ? decode(l.topics, l.data) : vaultInterface().decodeEventLog(fragment, l.data, l.topics));
    return { log: new Log({ ...l, removed: false }, this.chain.provider), event, timestamp: l.timestamp };
  }

  /**
   * Writes the final part of the history when it grew (new final events, or gas read), after a short pause so
   * that a page of gas reads is one write. Blocks without events do not move the stored readThrough: a later
   * visit reads them again, one eth_getLogs either way.
   */
  private save(gasAdded: boolean): void {
    const stored = this.stored;
    if (this.store === null || stored === null || this.readThrough === null) return;
    const finalThrough = this.readThrough - FINAL_DEPTH;
    const finalLogs = this.events.filter((e) => e.log.blockNumber <= finalThrough);
    if (!gasAdded && finalLogs.length === stored.finalLogs) return;
    stored.finalLogs = finalLogs.length;
    if (this.saving !== null) clearTimeout(this.saving);
    this.saving = setTimeout(() => {
      this.saving = null;
      const logs: StoredLog[] = finalLogs.map(({ log, timestamp }) => ({
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        transactionHash: log.transactionHash,
        transactionIndex: log.transactionIndex,
        index: log.index,
        address: log.address,
        topics: [...log.topics],
        data: log.data,
        timestamp,
      }));
      // The store is a cache: a write that fails (storage closed or refused) costs a re-read next visit, nothing else.
      this.store!.write(stored.key, { deploymentBlockHash: stored.deploymentBlockHash, readThrough: Math.max(finalThrough, -1), logs, gas: stored.gas }).catch(() => undefined);
    }, SAVE_DELAY_MS);
  }

  // Raw JSON-RPC for the few fields used: ethers' Block and TransactionReceipt objects (every log of a 30-trade
  // batch, decoded) cost more CPU than the whole page.
  private block(blockNumber: number): Promise<BlockHeader> {
    if (!this.blocks.has(blockNumber)) {
      this.blocks.set(
        blockNumber,
        this.chain.provider.send("eth_getBlockByNumber", [toQuantity(blockNumber), false]).then((b: RawBlock | null) => {
          if (b === null) throw new Error(`block ${blockNumber} not found`);
          return { hash: b.hash, timestamp: Number(b.timestamp), gasUsed: BigInt(b.gasUsed), baseFee: BigInt(b.baseFeePerGas ?? 0), transactions: b.transactions.length };
        }),
      );
    }
    return this.blocks.get(blockNumber)!;
  }

  /**
   * A transaction's gas used and effective gas price. A block holding only this transaction used exactly its gas,
   * so the transaction itself (its fee fields) is enough; a receipt carries every log of the transaction (a
   * keeper batch's is ~200 kB at 100 constituents, ten times the transaction) and is read only for a shared block.
   */
  private async readGas(txHash: string, blockNumber: number): Promise<TransactionGas> {
    const send = (method: string) => this.chain.provider.send(method, [txHash]);
    // The transaction beside its block, in one round trip (the history's block times come with its logs, so the
    // block is seldom read already); on a shared block it goes unused for the receipt.
    const txRead: Promise<{ gasPrice?: string; maxFeePerGas?: string; maxPriorityFeePerGas?: string } | null> = send("eth_getTransactionByHash");
    txRead.catch(() => undefined);
    const block = await this.block(blockNumber);
    if (block.transactions !== 1) {
      const r: { gasUsed: string; effectiveGasPrice?: string; gasPrice?: string } | null = await send("eth_getTransactionReceipt");
      if (r === null) throw new Error(`no receipt for ${txHash}`);
      return { gasUsed: BigInt(r.gasUsed), gasPrice: BigInt(r.effectiveGasPrice ?? r.gasPrice ?? 0) };
    }
    const tx = await txRead;
    if (tx === null) throw new Error(`no transaction ${txHash}`);
    return { gasUsed: block.gasUsed, gasPrice: effectiveGasPrice(tx, block.baseFee) };
  }
}

/** An eth_getLogs entry as the node sends it; blockTimestamp only from some nodes. */
interface RawLog {
  blockNumber: string;
  blockHash: string;
  blockTimestamp?: string | null;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  address: string;
  topics: string[];
  data: string;
}

interface HistoryEvent {
  fragment: EventFragment;
  topic: string;
  decode: ReturnType<typeof staticEventDecoder>;
}

let historyEventsByTopic: Map<string, HistoryEvent> | null = null;
/** The history's events by topic hash, made once (an EventFragment computes its topic hash on each access). */
function historyEvents(): Map<string, HistoryEvent> {
  historyEventsByTopic ??= new Map(
    HISTORY_EVENTS.map((name) => vaultInterface().getEvent(name)!).map((fragment) => {
      const topic = fragment.topicHash;
      return [topic, { fragment, topic, decode: staticEventDecoder(fragment) }];
    }),
  );
  return historyEventsByTopic;
}

interface RawBlock {
  hash: string;
  timestamp: string;
  gasUsed: string;
  baseFeePerGas?: string;
  transactions: string[];
}

interface BlockHeader {
  hash: string;
  timestamp: number;
  gasUsed: bigint;
  baseFee: bigint;
  transactions: number;
}

/** EIP-1559: the base fee plus the tip, capped by the fee cap; a legacy transaction pays its gas price. */
function effectiveGasPrice(tx: { gasPrice?: string; maxFeePerGas?: string; maxPriorityFeePerGas?: string }, baseFee: bigint): bigint {
  if (tx.maxFeePerGas === undefined || tx.maxPriorityFeePerGas === undefined) return BigInt(tx.gasPrice ?? 0);
  const capped = baseFee + BigInt(tx.maxPriorityFeePerGas);
  const cap = BigInt(tx.maxFeePerGas);
  return capped < cap ? capped : cap;
}
