import { getAddress } from "ethers";
import { NavLib, regimeFromCode } from "../core/index.js";
import type { TokenList } from "../data/tokenList.js";
import { checkEpochSnapshot } from "./checkEpochSnapshot.js";
import { checkTradeBounds } from "./checkTrade.js";
import { checkTradeDirection } from "./checkTradeDirection.js";
import { replayLossBudgetBatch, type LossBucket } from "./replayLossBudget.js";
import {
  DEFAULT_AUDIT_TOLERANCE,
  type AuditReport,
  type AuditTolerance,
  type BatchPrices,
  type EpochAudit,
  type RecordedLog,
  type SkippedCheck,
  type TargetWeight,
  type TradeAudit,
  type VaultHistory,
  type Violation,
} from "./types.js";
import { transferInterface, vaultInterface, vaultLogIndex } from "./vaultLogs.js";

export interface CheckVaultHistoryOptions {
  /** The chain's token list (provider ids -> addresses); without it the re-derivation is skipped. */
  tokenList?: TokenList;
  tolerance?: Partial<AuditTolerance>;
}

const BPS = 10_000n;

/**
 * A token's price as NavLib.valueDown takes it: the token's and the stablecoin's oracle unit prices
 * (unitPriceUsd36), or, when the oracle could not be read, a trade's value and amount, which stand in the same
 * ratio.
 */
interface UnitPrice {
  tokenUsd36: bigint;
  assetUsd36: bigint;
}

interface RawTrade {
  log: RecordedLog;
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
  log: RecordedLog;
  regime: "bull" | "bear";
  snapshotHash: string;
  targets: TargetWeight[];
}

/**
 * Rebuilds every epoch of a vault from its history and checks it against the published rules: each trade
 * against its minimum and the oracle bound, the loss budget replayed with the vault's math, each trade's
 * direction against the committed targets, each commit against its published snapshot. Pure: the same
 * history (read from a node, a browser wallet or a recording) gives the same report.
 */
export function checkVaultHistory(history: VaultHistory, { tokenList, tolerance: toleranceInput }: CheckVaultHistoryOptions = {}): AuditReport {
  const tolerance: AuditTolerance = { ...DEFAULT_AUDIT_TOLERANCE, ...toleranceInput };
  const { vault, chainId, stablecoin, fromBlock, seed } = history;
  const derivations: string[] = [
    "amounts, minAmountOut, valueIn, valueOut: measured (TradeExecuted; values at the vault's own oracle prices for the batch).",
    "holdings: Transfer logs of every registered, committed or traded token to and from the vault" + (seed !== null ? `, seeded with balanceOf at block ${fromBlock - 1}.` : "."),
    "NAV: derived = holdings x oracle unit prices read by eth_call at the block before each batch (the vault's own NAV formula), or prices implied by the batch's events when a read fails.",
    "loss budget: replayed with LossBudgetLib's math from LossBudgetSet settings, derived NAV and block timestamps" + (seed !== null ? "; the bucket is taken as empty at the first block read." : "."),
    "oracle bound: derived from valueIn, valueOut and the MaxSlippageSet in force, rounded in the keeper's favour.",
  ];
  const { tokens: tokenAddresses } = vaultLogIndex(history.vaultLogs, stablecoin);

  // ---- State before the first block read.
  const balances = new Map<string, bigint>(tokenAddresses.map((t) => [t.toLowerCase(), seed?.balances[t.toLowerCase()] ?? 0n]));
  const settings = seed === null ? { maxSlippageBps: 100, lossBudgetBps: 50, lossBudgetWindowSeconds: 7 * 24 * 3600 } : { ...seed };

  // ---- Walk every log in chain order.
  const commits = new Map<string, RawCommit>();
  const trades: RawTrade[] = [];
  const ordered = [...history.vaultLogs.map((log) => ({ log, kind: "vault" as const })), ...history.transferLogs.map((log) => ({ log, kind: "transfer" as const }))].sort(
    (a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index,
  );
  const self = vault.toLowerCase();
  for (const { log, kind } of ordered) {
    const parsable = { topics: [...log.topics], data: log.data };
    if (kind === "transfer") {
      const event = transferInterface.parseLog(parsable)!;
      const token = log.address.toLowerCase();
      const value = event.args.value as bigint;
      if (String(event.args.from).toLowerCase() === self) balances.set(token, (balances.get(token) ?? 0n) - value);
      if (String(event.args.to).toLowerCase() === self) balances.set(token, (balances.get(token) ?? 0n) + value);
      continue;
    }
    const event = vaultInterface.parseLog(parsable)!;
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
  for (const [txHash, batch] of batches) {
    const recordedPrices = history.batches[txHash];
    if (recordedPrices === undefined) throw new Error(`the vault history has no prices for trade batch ${txHash}`);
    const balancesBefore = balancesBeforeTrade(batch[0]!);
    const priced = [...new Set([...balancesBefore.keys(), ...batch.flatMap((t) => [t.tokenIn.toLowerCase(), t.tokenOut.toLowerCase()])])];
    const prices = unitPrices(recordedPrices, stablecoin, priced, batch);
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
      timestamp: recordedPrices.timestamp,
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
    const published = history.snapshots === null ? null : (history.snapshots[epoch] ?? null);
    let epochTolerance = tolerance;
    if (commit === undefined) {
      skipped.push({ check: "trade-without-commit", reason: `epoch ${epoch} was committed before block ${fromBlock}: targets unknown` });
    } else if (published === null) {
      skipped.push({ check: "snapshot-hash", reason: "no snapshots directory given" }, { check: "targets-derived", reason: "no snapshots directory given" });
    } else {
      const result = checkEpochSnapshot({ epoch, chainId, stablecoin, committed: commit, snapshotText: published.text, snapshotFile: published.file, tokenList });
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
      snapshotFile: published?.file ?? null,
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
  return {
    vault,
    chainId,
    stablecoin,
    stablecoinDecimals: history.stablecoinDecimals,
    fromBlock,
    toBlock: history.toBlock,
    tolerance,
    epochs,
    violations: epochs.flatMap((e) => e.violations),
    derivations,
  };
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
 * Unit prices from the oracle's prices (unitPriceUsd36 of the token over the stablecoin's, as NavLib.valueDown
 * does); a token whose read failed falls back to the ratio its trade in this batch reports.
 */
function unitPrices(recorded: BatchPrices, stablecoin: string, tokens: readonly string[], batch: readonly RawTrade[]): Map<string, UnitPrice | null> {
  const values = new Map<string, UnitPrice | null>();
  for (const token of tokens) {
    if (token === stablecoin.toLowerCase()) {
      values.set(token, { tokenUsd36: 1n, assetUsd36: 1n });
      continue;
    }
    const price = recorded.unitPricesUsd36[token] ?? null;
    if (recorded.stablePriceUsd36 !== null && price !== null) {
      values.set(token, { tokenUsd36: price, assetUsd36: recorded.stablePriceUsd36 });
      continue;
    }
    const trade = batch.find((t) => (t.tokenIn.toLowerCase() === token && t.amountIn > 0n) || (t.tokenOut.toLowerCase() === token && t.amountOut > 0n));
    values.set(token, trade === undefined ? null : trade.tokenIn.toLowerCase() === token ? { tokenUsd36: trade.valueIn, assetUsd36: trade.amountIn } : { tokenUsd36: trade.valueOut, assetUsd36: trade.amountOut });
  }
  return values;
}

function navOf(held: ReadonlyMap<string, bigint>, prices: ReadonlyMap<string, UnitPrice | null>): bigint | null {
  let nav = 0n;
  for (const [token, amount] of held) {
    if (amount === 0n) continue;
    const price = prices.get(token);
    if (price === undefined || price === null) return null;
    nav += valueOf(amount, price);
  }
  return nav;
}

function weightsOf(held: ReadonlyMap<string, bigint>, prices: ReadonlyMap<string, UnitPrice | null>, nav: bigint): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [token, amount] of held) {
    const price = prices.get(token);
    if (price === undefined || price === null) continue;
    // Hundredths of a bps, as a number.
    weights.set(token, Number((valueOf(amount, price) * BPS * 100n) / nav) / 100);
  }
  return weights;
}

/** NavLib.valueDown, the vault's own rounding; a balance the log replay left negative keeps its sign. */
function valueOf(amount: bigint, price: UnitPrice): bigint {
  return amount < 0n ? -NavLib.valueDown(-amount, price.tokenUsd36, price.assetUsd36) : NavLib.valueDown(amount, price.tokenUsd36, price.assetUsd36);
}
