import { erc20 } from "../chain/erc20.js";
import { getAddress, zeroPadValue, type Log, type Provider } from "ethers";
import { IERC20Metadata__factory, IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import type { TokenList } from "../data/tokenList.js";
import { createSnapshotStore } from "../data/createSnapshotStore.js";
import { checkEpochSnapshot } from "./checkEpochSnapshot.js";
import { checkTradeBounds } from "./checkTrade.js";
import { checkTradeDirection } from "./checkTradeDirection.js";
import { regimeFromCode } from "../core/index.js";
import { readLogs } from "./readLogs.js";
import { replayLossBudgetBatch, type LossBucket } from "./replayLossBudget.js";
import { DEFAULT_AUDIT_TOLERANCE, type AuditReport, type AuditTolerance, type EpochAudit, type SkippedCheck, type TargetWeight, type TradeAudit, type Violation } from "./types.js";

export interface AuditVaultParameters {
  provider: Provider;
  vault: string;
  /** First block to read; the vault's deployment block gives a full replay. Default 0. */
  fromBlock?: number;
  toBlock?: number;
  /** Directory of published snapshots, `<epoch>.json` each; without it the snapshot checks are skipped. */
  snapshotsDir?: string;
  /** The chain's token list (provider ids -> addresses); without it the re-derivation is skipped. */
  tokenList?: TokenList;
  tolerance?: Partial<AuditTolerance>;
  /** Blocks per eth_getLogs query. Default 10,000. */
  blockRange?: number;
}

const vaultInterface = IndexVault__factory.createInterface();
const erc20Interface = IERC20Metadata__factory.createInterface();
const VAULT_EVENTS = ["TargetsCommitted", "TradeExecuted", "MaxSlippageSet", "LossBudgetSet", "AssetRegistered"] as const;
const BPS = 10_000n;

/** Value per base unit as a fraction of vault-asset base units: value(amount) = amount x num / den. */
interface UnitValue {
  num: bigint;
  den: bigint;
}

interface RawTrade {
  log: Log;
  epoch: string;
  adapter: string;
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  amountOut: bigint;
  minAmountOut: bigint;
  valueIn: bigint;
  valueOut: bigint;
  maxSlippageBps: number;
  lossBudget: { bps: number; windowSeconds: number };
  /** Vault balances (lower-case token -> amount) right after the trade, from Transfer logs. */
  balancesAfter: Map<string, bigint>;
}

interface RawCommit {
  log: Log;
  regime: "bull" | "bear";
  snapshotHash: string;
  targets: TargetWeight[];
}

/**
 * Rebuilds every epoch of a vault from chain data and checks it against the published rules. Reads events
 * (TargetsCommitted, TradeExecuted, MaxSlippageSet, LossBudgetSet, AssetRegistered, and ERC-20 Transfers to
 * and from the vault for holdings) plus, per trade batch, the oracle's prices at the block before it
 * (eth_call with a block tag: historical state, so an archive node for old blocks). Never sends anything.
 */
export async function auditVault({ provider, vault: vaultInput, fromBlock = 0, toBlock: toBlockInput, snapshotsDir, tokenList, tolerance: toleranceInput, blockRange = 10_000 }: AuditVaultParameters): Promise<AuditReport> {
  const tolerance: AuditTolerance = { ...DEFAULT_AUDIT_TOLERANCE, ...toleranceInput };
  const vault = getAddress(vaultInput);
  const vaultContract = IndexVault__factory.connect(vault, provider);
  const chainId = Number((await provider.getNetwork()).chainId);
  const toBlock = toBlockInput ?? (await provider.getBlockNumber());
  const stablecoin = getAddress(await vaultContract.asset());
  const stablecoinDecimals = Number(await erc20(stablecoin, provider).decimals());
  const derivations: string[] = [
    "amounts, minAmountOut, valueIn, valueOut: measured (TradeExecuted; values at the vault's own oracle prices for the batch).",
    "holdings: Transfer logs of every registered, committed or traded token to and from the vault" + (fromBlock > 0 ? `, seeded with balanceOf at block ${fromBlock - 1}.` : "."),
    "NAV: derived = holdings x oracle unit prices read by eth_call at the block before each batch (the vault's own NAV formula), or prices implied by the batch's events when a read fails.",
    "loss budget: replayed with LossBudgetLib's math from LossBudgetSet settings, derived NAV and block timestamps" + (fromBlock > 0 ? "; the bucket is taken as empty at the first block read." : "."),
    "oracle bound: derived from valueIn, valueOut and the MaxSlippageSet in force, rounded in the keeper's favour.",
  ];

  // ---- Vault events, then the token set, then the tokens' transfers.
  const topics = VAULT_EVENTS.map((name) => vaultInterface.getEvent(name)!.topicHash);
  const vaultLogs = await readLogs(provider, { address: vault, topics: [topics] }, fromBlock, toBlock, blockRange);
  const tokens = new Set<string>([stablecoin.toLowerCase()]);
  for (const log of vaultLogs) {
    const event = vaultInterface.parseLog(log)!;
    if (event.name === "AssetRegistered") tokens.add(String(event.args.token).toLowerCase());
    if (event.name === "TargetsCommitted") for (const a of event.args.assets as string[]) tokens.add(a.toLowerCase());
    if (event.name === "TradeExecuted") {
      tokens.add(String(event.args.tokenIn).toLowerCase());
      tokens.add(String(event.args.tokenOut).toLowerCase());
    }
  }
  const tokenAddresses = [...tokens].map((t) => getAddress(t));
  const transferTopic = erc20Interface.getEvent("Transfer")!.topicHash;
  const vaultTopic = zeroPadValue(vault, 32);
  const [outgoing, incoming] = await Promise.all([
    readLogs(provider, { address: tokenAddresses, topics: [transferTopic, vaultTopic] }, fromBlock, toBlock, blockRange),
    readLogs(provider, { address: tokenAddresses, topics: [transferTopic, null, vaultTopic] }, fromBlock, toBlock, blockRange),
  ]);
  // A self-transfer appears in both queries; keep each log once.
  const transferLogs = [...new Map([...outgoing, ...incoming].map((l) => [`${l.blockNumber}:${l.index}`, l])).values()];

  // ---- State before the first block read.
  const balances = new Map<string, bigint>(tokenAddresses.map((t) => [t.toLowerCase(), 0n]));
  const settings = { maxSlippageBps: 100, lossBudgetBps: 50, lossBudgetWindowSeconds: 7 * 24 * 3600 };
  // Before the vault existed there is nothing to seed: its constructor's events set the defaults again.
  if (fromBlock > 0 && (await provider.getCode(vault, fromBlock - 1)) !== "0x") {
    const at = { blockTag: fromBlock - 1 };
    await Promise.all(
      tokenAddresses.map(async (t) => {
        const data = await provider.call({ to: t, data: erc20Interface.encodeFunctionData("balanceOf", [vault]), ...at });
        balances.set(t.toLowerCase(), BigInt(data));
      }),
    );
    settings.maxSlippageBps = Number(await vaultContract.maxSlippageBps(at));
    settings.lossBudgetBps = Number(await vaultContract.lossBudgetBps(at));
    settings.lossBudgetWindowSeconds = Number(await vaultContract.lossBudgetWindowSeconds(at));
  }

  // ---- Walk every log in chain order.
  const commits = new Map<string, RawCommit>();
  const trades: RawTrade[] = [];
  const ordered = [...vaultLogs.map((log) => ({ log, kind: "vault" as const })), ...transferLogs.map((log) => ({ log, kind: "transfer" as const }))].sort(
    (a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index,
  );
  for (const { log, kind } of ordered) {
    if (kind === "transfer") {
      const event = erc20Interface.parseLog(log)!;
      const token = log.address.toLowerCase();
      const value = event.args.value as bigint;
      if (String(event.args.from).toLowerCase() === vault.toLowerCase()) balances.set(token, (balances.get(token) ?? 0n) - value);
      if (String(event.args.to).toLowerCase() === vault.toLowerCase()) balances.set(token, (balances.get(token) ?? 0n) + value);
      continue;
    }
    const event = vaultInterface.parseLog(log)!;
    const a = event.args;
    if (event.name === "MaxSlippageSet") settings.maxSlippageBps = Number(a.maxSlippageBps);
    else if (event.name === "LossBudgetSet") {
      settings.lossBudgetBps = Number(a.budgetBps);
      settings.lossBudgetWindowSeconds = Number(a.windowSeconds);
    } else if (event.name === "TargetsCommitted") {
      const assets = a.assets as string[];
      const weights = a.weightsBps as bigint[];
      commits.set(String(a.epoch), {
        log,
        regime: regimeFromCode(a.regime),
        snapshotHash: String(a.snapshotHash),
        targets: assets.map((token, i) => ({ token: getAddress(token), weightBps: Number(weights[i]) })),
      });
    } else if (event.name === "TradeExecuted") {
      trades.push({
        log,
        epoch: String(a.epoch),
        adapter: getAddress(a.adapter),
        tokenIn: getAddress(a.tokenIn),
        tokenOut: getAddress(a.tokenOut),
        amountIn: a.amountIn,
        amountOut: a.amountOut,
        minAmountOut: a.minAmountOut,
        valueIn: a.valueIn,
        valueOut: a.valueOut,
        maxSlippageBps: settings.maxSlippageBps,
        lossBudget: { bps: settings.lossBudgetBps, windowSeconds: settings.lossBudgetWindowSeconds },
        balancesAfter: new Map(balances),
      });
    }
  }

  // ---- Per batch (one executeTrades transaction): prices, NAV, loss budget replay.
  const batches = new Map<string, RawTrade[]>();
  for (const t of trades) batches.set(t.log.transactionHash, [...(batches.get(t.log.transactionHash) ?? []), t]);
  const navBeforeTrade = new Map<RawTrade, bigint | null>();
  const navAfterTrade = new Map<RawTrade, bigint | null>();
  const weightsAfterTrade = new Map<RawTrade, Map<string, number> | null>();
  const lossOverflows = new Map<RawTrade, { lossAssets: bigint; availableAssets: bigint; capacity: bigint }>();
  const lossUsed = new Map<RawTrade, { before: bigint; after: bigint; capacity: bigint } | null>();
  let bucket: LossBucket = { usedAssets: 0n, lastUpdate: 0 };
  for (const batch of batches.values()) {
    const blockNumber = batch[0]!.log.blockNumber;
    const { timestamp } = (await provider.getBlock(blockNumber))!;
    const balancesBefore = balancesBeforeTrade(batch[0]!);
    const priced = [...new Set([...balancesBefore.keys(), ...batch.flatMap((t) => [t.tokenIn.toLowerCase(), t.tokenOut.toLowerCase()])])];
    const prices = await readUnitValues(provider, vault, stablecoin, priced, blockNumber - 1, batch);
    const nav = (held: ReadonlyMap<string, bigint>) => navOf(held, prices);
    for (const t of batch) {
      const after = nav(t.balancesAfter);
      navBeforeTrade.set(t, nav(balancesBeforeTrade(t)));
      navAfterTrade.set(t, after);
      weightsAfterTrade.set(t, after === null || after === 0n ? null : weightsOf(t.balancesAfter, prices, after));
    }
    const batchNav = navBeforeTrade.get(batch[0]!) ?? null;
    if (batchNav === null) {
      for (const t of batch) lossUsed.set(t, null);
      continue;
    }
    const replay = replayLossBudgetBatch({
      bucket,
      navAssets: batchNav,
      budgetBps: batch[0]!.lossBudget.bps,
      windowSeconds: batch[0]!.lossBudget.windowSeconds,
      timestamp,
      trades: batch,
      slackBps: tolerance.lossBudgetSlackBps,
    });
    bucket = replay.bucket;
    batch.forEach((t, i) => lossUsed.set(t, { before: i === 0 ? replay.usedBefore : replay.usedAfterTrade[i - 1]!, after: replay.usedAfterTrade[i]!, capacity: replay.capacity }));
    for (const o of replay.overflows) lossOverflows.set(batch[o.index]!, { ...o, capacity: replay.capacity });
  }

  // ---- Per epoch: commits and trades, each check.
  const epochIds = [...new Set([...commits.keys(), ...trades.map((t) => t.epoch)])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const epochs: EpochAudit[] = [];
  for (const epoch of epochIds) {
    const commit = commits.get(epoch);
    const epochTrades = trades.filter((t) => t.epoch === epoch);
    const violations: Violation[] = [];
    const skipped: SkippedCheck[] = [];
    const snapshots = snapshotsDir === undefined ? null : createSnapshotStore(snapshotsDir);
    const snapshotFile = snapshots === null ? null : snapshots.fileFor(epoch);
    let epochTolerance = tolerance;
    if (commit === undefined) {
      skipped.push({ check: "trade-without-commit", reason: `epoch ${epoch} was committed before block ${fromBlock}: targets unknown` });
    } else if (snapshotFile === null) {
      skipped.push({ check: "snapshot-hash", reason: "no snapshots directory given" }, { check: "targets-derived", reason: "no snapshots directory given" });
    } else {
      const snapshotText = await snapshots!.read(epoch);
      const result = checkEpochSnapshot({ epoch, chainId, stablecoin, committed: commit, snapshotText, snapshotFile, tokenList });
      violations.push(...result.violations);
      skipped.push(...result.skipped);
      // Sells are judged with the cash buffer the keeper published for the epoch, not an assumed one.
      if (result.cashBufferBps !== undefined) epochTolerance = { ...tolerance, cashBufferBps: result.cashBufferBps };
    }
    const targetsBps = new Map((commit?.targets ?? []).map((t) => [t.token.toLowerCase(), t.weightBps]));
    const tradeAudits: TradeAudit[] = epochTrades.map((t, index) => {
      const txHash = t.log.transactionHash;
      violations.push(...checkTradeBounds({ ...t, epoch, tradeIndex: index, txHash }));
      const overflow = lossOverflows.get(t);
      if (overflow !== undefined) {
        violations.push({
          epoch,
          check: "loss-budget",
          tradeIndex: index,
          txHash,
          message: `trade ${index} lost ${overflow.lossAssets} with ${overflow.availableAssets} left in the loss budget (capacity ${overflow.capacity})`,
          values: { lossAssets: String(overflow.lossAssets), availableAssets: String(overflow.availableAssets), capacity: String(overflow.capacity) },
        });
      }
      if (lossUsed.get(t) === null) skipped.push({ check: "loss-budget", tradeIndex: index, reason: "NAV not derivable at the batch (a token without a price)" });
      const weightsAfter = weightsAfterTrade.get(t) ?? null;
      if (commit !== undefined && weightsAfter !== null) {
        violations.push(...checkTradeDirection({ epoch, tradeIndex: index, txHash, stablecoin, tokenIn: t.tokenIn, tokenOut: t.tokenOut, targetsBps, weightsAfterBps: weightsAfter, tolerance: epochTolerance }));
      } else if (weightsAfter === null) {
        skipped.push({ check: "sold-below-target", tradeIndex: index, reason: "weights not derivable at the batch" });
      }
      return {
        index,
        txHash,
        blockNumber: t.log.blockNumber,
        adapter: t.adapter,
        tokenIn: t.tokenIn,
        tokenOut: t.tokenOut,
        amountIn: t.amountIn,
        amountOut: t.amountOut,
        minAmountOut: t.minAmountOut,
        valueIn: t.valueIn,
        valueOut: t.valueOut,
        lossAssets: t.valueIn > t.valueOut ? t.valueIn - t.valueOut : 0n,
        maxSlippageBps: t.maxSlippageBps,
        navBefore: navBeforeTrade.get(t) ?? null,
        navAfter: navAfterTrade.get(t) ?? null,
        weightInAfterBps: t.tokenIn === stablecoin ? null : (weightsAfter?.get(t.tokenIn.toLowerCase()) ?? null),
        weightOutAfterBps: t.tokenOut === stablecoin ? null : (weightsAfter?.get(t.tokenOut.toLowerCase()) ?? null),
      };
    });
    const first = epochTrades[0];
    const last = epochTrades.at(-1);
    const lossFirst = first === undefined ? null : (lossUsed.get(first) ?? null);
    const lossLast = last === undefined ? null : (lossUsed.get(last) ?? null);
    epochs.push({
      epoch,
      committedAtBlock: commit?.log.blockNumber ?? null,
      commitTxHash: commit?.log.transactionHash ?? null,
      regime: commit?.regime ?? null,
      snapshotHash: commit?.snapshotHash ?? null,
      targets: commit?.targets ?? [],
      snapshotFile,
      trades: tradeAudits,
      navBefore: first === undefined ? null : (navBeforeTrade.get(first) ?? null),
      navAfter: last === undefined ? null : (navAfterTrade.get(last) ?? null),
      lossBudget: {
        budgetBps: first?.lossBudget.bps ?? settings.lossBudgetBps,
        windowSeconds: first?.lossBudget.windowSeconds ?? settings.lossBudgetWindowSeconds,
        capacity: lossFirst?.capacity ?? null,
        usedBefore: lossFirst?.before ?? null,
        usedAfter: lossLast?.after ?? null,
      },
      violations,
      skipped,
      verdict: violations.length > 0 ? "fail" : skipped.length > 0 ? "incomplete" : "pass",
    });
  }
  return { vault, chainId, stablecoin, stablecoinDecimals, fromBlock, toBlock, tolerance, epochs, violations: epochs.flatMap((e) => e.violations), derivations };
}

function balancesBeforeTrade(t: RawTrade): Map<string, bigint> {
  const before = new Map(t.balancesAfter);
  const tokenIn = t.tokenIn.toLowerCase();
  const tokenOut = t.tokenOut.toLowerCase();
  before.set(tokenOut, (before.get(tokenOut) ?? 0n) - t.amountOut);
  before.set(tokenIn, (before.get(tokenIn) ?? 0n) + t.amountIn);
  return before;
}

/**
 * Unit values at `blockTag` from the vault's oracle (unitPriceUsd36 of the token over the stablecoin's, as
 * NavLib.valueDown does); a token whose read fails falls back to the ratio its trade in this batch reports.
 */
async function readUnitValues(provider: Provider, vault: string, stablecoin: string, tokens: readonly string[], blockTag: number, batch: readonly RawTrade[]): Promise<Map<string, UnitValue | null>> {
  const at = { blockTag };
  const values = new Map<string, UnitValue | null>();
  let oracle: ReturnType<typeof OracleRouter__factory.connect> | null = null;
  let stablePrice: bigint | null = null;
  try {
    oracle = OracleRouter__factory.connect(await IndexVault__factory.connect(vault, provider).oracle(at), provider);
    stablePrice = await oracle.unitPriceUsd36(stablecoin, at);
  } catch {
    oracle = null;
  }
  await Promise.all(
    tokens.map(async (token) => {
      if (token === stablecoin.toLowerCase()) return values.set(token, { num: 1n, den: 1n });
      if (oracle !== null && stablePrice !== null) {
        try {
          return values.set(token, { num: await oracle.unitPriceUsd36(token, at), den: stablePrice });
        } catch {
          // Fall through to the batch's own figures.
        }
      }
      const trade = batch.find((t) => (t.tokenIn.toLowerCase() === token && t.amountIn > 0n) || (t.tokenOut.toLowerCase() === token && t.amountOut > 0n));
      if (trade === undefined) return values.set(token, null);
      return values.set(token, trade.tokenIn.toLowerCase() === token ? { num: trade.valueIn, den: trade.amountIn } : { num: trade.valueOut, den: trade.amountOut });
    }),
  );
  return values;
}

function navOf(held: ReadonlyMap<string, bigint>, prices: ReadonlyMap<string, UnitValue | null>): bigint | null {
  let nav = 0n;
  for (const [token, amount] of held) {
    if (amount === 0n) continue;
    const price = prices.get(token);
    if (price === undefined || price === null) return null;
    nav += (amount * price.num) / price.den;
  }
  return nav;
}

function weightsOf(held: ReadonlyMap<string, bigint>, prices: ReadonlyMap<string, UnitValue | null>, nav: bigint): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [token, amount] of held) {
    const price = prices.get(token);
    if (price === undefined || price === null) continue;
    // Hundredths of a bps, as a number.
    weights.set(token, Number((((amount * price.num) / price.den) * BPS * 100n) / nav) / 100);
  }
  return weights;
}
