import { getAddress, zeroPadValue, type Log, type Provider } from "ethers";
import { erc20 } from "../chain/erc20.js";
import { regimeFromCode } from "../core/index.js";
import { IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import { readLogs } from "./readLogs.js";
import type { BatchPrices, RecordedLog, VaultHistory } from "./types.js";
import { AUDITED_VAULT_EVENTS, transferInterface, vaultInterface, vaultLogIndex } from "./vaultLogs.js";

/**
 * Where published snapshots are read from: the keeper's snapshot store (a folder, for the CLI) or anything
 * with the same two reads (a URL, for the web app).
 */
export interface SnapshotSource {
  /** The file name or URL of an epoch's snapshot, as the report names it. */
  fileFor(epoch: string): string;
  /** Its exact text, or null when nothing is published for the epoch; throws when the store cannot be read. */
  read(epoch: string): Promise<string | null>;
}

export interface ReadVaultHistoryParameters {
  provider: Provider;
  vault: string;
  /**
   * First block to read. Default: the vault's deployment block (its `deploymentBlock()` view), a full replay;
   * 0 for a vault without that view.
   */
  fromBlock?: number;
  toBlock?: number;
  /** Without it the snapshot checks are skipped. */
  snapshots?: SnapshotSource;
  /** Blocks per eth_getLogs query. Default 10,000. */
  blockRange?: number;
  /** Progress lines for people (each phase, the share of blocks read, retried RPC errors). */
  onProgress?: (message: string) => void;
}

/**
 * Reads what the audit needs of a vault (events, ERC-20 Transfers to and from it, the timestamps of loss-budget
 * changes, per trade batch the block's timestamp and the oracle's prices at the block before: eth_call with a
 * block tag, so an archive node for old blocks) and the published snapshots. Only reads; checkVaultHistory judges the result. No Node-only module,
 * so a browser's provider and fetch drive it as the CLI's JSON-RPC provider and files do.
 */
export async function readVaultHistory({ provider, vault: vaultInput, fromBlock: fromBlockInput, toBlock: toBlockInput, snapshots: source, blockRange = 10_000, onProgress }: ReadVaultHistoryParameters): Promise<VaultHistory> {
  const vault = getAddress(vaultInput);
  const vaultContract = IndexVault__factory.connect(vault, provider);
  const chainId = Number((await provider.getNetwork()).chainId);
  const toBlock = toBlockInput ?? (await provider.getBlockNumber());
  const stablecoin = getAddress(await vaultContract.asset());
  const stablecoinDecimals = Number(await erc20(stablecoin, provider).decimals());
  const fromBlock = fromBlockInput ?? Number(await vaultContract.deploymentBlock().catch(() => 0n));

  const progress = (what: string) => {
    let shown = -1;
    return {
      onProgress: (read: number, all: number) => {
        const tenths = Math.floor((read * 10) / all);
        if (tenths > shown) onProgress?.(`${what}: blocks ${fromBlock}-${fromBlock + read - 1} of ${fromBlock}-${toBlock} (${tenths * 10} %)`);
        shown = tenths;
      },
      onRetry: (error: unknown, attempt: number, delayMs: number) => onProgress?.(`${what}: RPC error (${(error as Error).message.split("\n")[0]}); retry ${attempt} in ${delayMs / 1000} s`),
    };
  };
  const topics = AUDITED_VAULT_EVENTS.map((name) => vaultInterface.getEvent(name)!.topicHash);
  const vaultLogs = (await readLogs(provider, { address: vault, topics: [topics] }, fromBlock, toBlock, blockRange, progress("vault events"))).map(recorded);
  const index = vaultLogIndex(vaultLogs, stablecoin);
  const transferTopic = transferInterface.getEvent("Transfer")!.topicHash;
  const vaultTopic = zeroPadValue(vault, 32);
  const [outgoing, incoming] = await Promise.all([
    readLogs(provider, { address: index.tokens, topics: [transferTopic, vaultTopic] }, fromBlock, toBlock, blockRange, progress("transfers out")),
    readLogs(provider, { address: index.tokens, topics: [transferTopic, null, vaultTopic] }, fromBlock, toBlock, blockRange, progress("transfers in")),
  ]);
  // A self-transfer appears in both queries; keep each log once.
  const transferLogs = [...new Map([...outgoing, ...incoming].map((l) => [`${l.blockNumber}:${l.index}`, recorded(l)])).values()];

  let seed: VaultHistory["seed"] = null;
  // Before the vault existed there is nothing to seed: its constructor's events set the defaults again.
  if (fromBlock > 0 && (await provider.getCode(vault, fromBlock - 1)) !== "0x") {
    const at = { blockTag: fromBlock - 1 };
    const balances: Record<string, bigint> = {};
    await Promise.all(
      index.tokens.map(async (t) => {
        balances[t.toLowerCase()] = BigInt(await erc20(t, provider).balanceOf(vault, at));
      }),
    );
    const registeredTokens = (await vaultContract.registeredAssets(at)).map((t) => getAddress(t));
    const weights = await Promise.all([stablecoin, ...registeredTokens].map(async (token) => ({ token, weightBps: Number(await vaultContract.targetWeightBps(token, at)) })));
    seed = {
      balances,
      registeredTokens,
      targets: weights.filter((t) => t.weightBps > 0),
      regime: regimeFromCode(await vaultContract.currentRegime(at)),
      maxSlippageBps: Number(await vaultContract.maxSlippageBps(at)),
      lossBudgetBps: Number(await vaultContract.lossBudgetBps(at)),
      lossBudgetWindowSeconds: Number(await vaultContract.lossBudgetWindowSeconds(at)),
      targetToleranceBps: Number(await vaultContract.targetToleranceBps(at)),
    };
  }

  onProgress?.(`oracle prices before ${index.batches.size} trade batches`);
  const batches: Record<string, BatchPrices> = {};
  const pricesByBlock = new Map<number, Promise<BatchPrices>>();
  for (const [txHash, blockNumber] of index.batches) {
    if (!pricesByBlock.has(blockNumber)) pricesByBlock.set(blockNumber, readBatchPrices(provider, vault, stablecoin, index.tokens, blockNumber));
    batches[txHash] = await pricesByBlock.get(blockNumber)!;
  }

  const blockTimestamps: Record<string, number> = {};
  for (const blockNumber of index.lossBudgetBlocks) blockTimestamps[String(blockNumber)] = (await provider.getBlock(blockNumber))!.timestamp;

  let snapshots: Record<string, { file: string; text: string | null }> | null = null;
  if (source !== undefined) {
    snapshots = {};
    for (const epoch of index.epochs) {
      snapshots[epoch] = { file: source.fileFor(epoch), text: await source.read(epoch) };
    }
  }
  return { vault, chainId, fromBlock, toBlock, stablecoin, stablecoinDecimals, seed, vaultLogs, blockTimestamps, transferLogs, batches, snapshots };
}

function recorded(log: Log): RecordedLog {
  return { blockNumber: log.blockNumber, index: log.index, transactionHash: log.transactionHash, address: log.address, topics: [...log.topics], data: log.data };
}

/** The oracle's unit prices at the block before a batch; a read that fails is recorded as null, not thrown. */
async function readBatchPrices(provider: Provider, vault: string, stablecoin: string, tokens: readonly string[], blockNumber: number): Promise<BatchPrices> {
  const at = { blockTag: blockNumber - 1 };
  const { timestamp } = (await provider.getBlock(blockNumber))!;
  let oracle: ReturnType<typeof OracleRouter__factory.connect> | null = null;
  let stablePriceUsd36: bigint | null = null;
  try {
    oracle = OracleRouter__factory.connect(await IndexVault__factory.connect(vault, provider).oracle(at), provider);
    stablePriceUsd36 = await oracle.unitPriceUsd36(stablecoin, at);
  } catch {
    oracle = null;
  }
  const unitPricesUsd36: Record<string, bigint | null> = {};
  await Promise.all(
    tokens.map(async (token) => {
      if (oracle === null || token.toLowerCase() === stablecoin.toLowerCase()) return;
      unitPricesUsd36[token.toLowerCase()] = await oracle.unitPriceUsd36(token, at).catch(() => null);
    }),
  );
  return { timestamp, stablePriceUsd36, unitPricesUsd36 };
}
