import { getAddress } from "ethers";
import { BPS, NavLib, regimeFromCode } from "../core/index.js";
import type { TokenList } from "../data/tokenList.js";
import { checkEpochSnapshot } from "./checkEpochSnapshot.js";
import { checkTradeBounds } from "./checkTrade.js";
import { checkTradeDirection } from "./checkTradeDirection.js";
import { LossBudgetLib } from "../core/index.js";
import { changeLossWindow, EMPTY_LOSS_RING, replayLossBudgetBatch, type LossRing } from "./replayLossBudget.js";
import {
  DEFAULT_AUDIT_TOLERANCE,
  type AuditReport,
  type AuditTolerance,
  type BatchAudit,
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
  targetToleranceBps: number;
  /** Vault balances (lower-case token -> amount) right after the trade, from Transfer logs. */
  balancesAfter: Map<string, bigint>;
}

interface RawCommit {
  log: RecordedLog;
  regime: "bull" | "bear";
  snapshotHash: string;
  targets: TargetWeight[];
  targetToleranceBps: number;
  /** The tokens the vault registered when the commit landed; null when the audit starts after the vault's deployment (unknown). */
  registeredTokens: string[] | null;
  /** The targets in force before the commit ([] for the vault's first); null when an earlier commit may precede the first block read. */
  previousTargets: TargetWeight[] | null;
  /** The regime in force before the commit (bull for the vault's first); null when an earlier commit may precede the first block read. */
  previousRegime: "bull" | "bear" | null;
}

/** One executeTrades call: its trades in log order and what its BatchExecuted reported (null if none). */
interface RawBatch {
  txHash: string;
  blockNumber: number;
  trades: RawTrade[];
  figures: { batchSequence: bigint; trades: bigint; navAssets: bigint; lossAssets: bigint; lossBudgetUsed: bigint } | null;
}

/** What changes the loss budget's ring, in chain order: a batch, or a window change (setLossBudget). */
type RingEvent = { kind: "batch"; batch: RawBatch } | { kind: "window"; blockNumber: number; oldWindowSeconds: number; newWindowSeconds: number };

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
    "NAV: a token whose oracle read reverts counts 0, as the vault values it for a batch (its feed is unusable).",
    "loss budget: the ring of five quarter-window buckets replayed with LossBudgetLib's math from LossBudgetSet settings and block timestamps, each batch's loss charged as a fraction of the NAV the vault reported in BatchExecuted (the derived NAV for a batch without one)" +
      (seed !== null ? `; losses before block ${fromBlock} are unknown, so until they have left the ring the replayed use must not exceed the reported one, and must equal it afterwards.` : "."),
    "batch figures: each BatchExecuted's lossAssets must equal the sum of its TradeExecuted losses, its lossBudgetUsed the replayed ring, and its navAssets the derived NAV within the NAV tolerance.",
    "oracle bound: derived from valueIn, valueOut and the MaxSlippageSet in force, rounded in the keeper's favour.",
  ];
  const { tokens: tokenAddresses } = vaultLogIndex(history.vaultLogs, stablecoin);

  // ---- State before the first block read.
  const balances = new Map<string, bigint>(tokenAddresses.map((t) => [t.toLowerCase(), seed?.balances[t.toLowerCase()] ?? 0n]));
  const settings = seed === null ? { maxSlippageBps: 100, lossBudgetBps: 50, lossBudgetWindowSeconds: 7 * 24 * 3600, targetToleranceBps: 100 } : { ...seed };

  // ---- Walk every log in chain order.
  const commits = new Map<string, RawCommit>();
  // With the whole history (no seed) every registration and commit is in the logs read.
  // With a seed, they start from the vault's state at fromBlock - 1 when the recording holds it.
  const registered = seed === null ? new Set<string>() : seed.registeredTokens === undefined ? null : new Set(seed.registeredTokens.map((t) => getAddress(t)));
  let lastTargets: TargetWeight[] | null = seed === null ? [] : (seed.targets?.map((t) => ({ token: getAddress(t.token), weightBps: t.weightBps })) ?? null);
  // A vault starts in Bull (IIndexVault.Regime's first value).
  let lastRegime: "bull" | "bear" | null = seed === null ? "bull" : (seed.regime ?? null);
  const trades: RawTrade[] = [];
  const ringEvents: RingEvent[] = [];
  /** Batches whose BatchExecuted has not been seen yet, by transaction hash. */
  const openBatches = new Map<string, RawBatch>();
  const batchOf = (log: RecordedLog): RawBatch => {
    let batch = openBatches.get(log.transactionHash);
    if (batch === undefined) {
      batch = { txHash: log.transactionHash, blockNumber: log.blockNumber, trades: [], figures: null };
      openBatches.set(log.transactionHash, batch);
      ringEvents.push({ kind: "batch", batch });
    }
    return batch;
  };
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
    else if (event.name === "TargetToleranceSet") settings.targetToleranceBps = Number(a.toleranceBps);
    else if (event.name === "AssetRegistered") registered?.add(getAddress(a.token));
    else if (event.name === "AssetDeregistered") registered?.delete(getAddress(a.token));
    else if (event.name === "LossBudgetSet") {
      ringEvents.push({ kind: "window", blockNumber: log.blockNumber, oldWindowSeconds: settings.lossBudgetWindowSeconds, newWindowSeconds: Number(a.windowSeconds) });
      settings.lossBudgetBps = Number(a.budgetBps);
      settings.lossBudgetWindowSeconds = Number(a.windowSeconds);
    } else if (event.name === "BatchExecuted") {
      batchOf(log).figures = { batchSequence: a.batchSequence, trades: a.trades, navAssets: a.navAssets, lossAssets: a.lossAssets, lossBudgetUsed: a.lossBudgetUsed };
      // A second executeTrades in the same transaction starts a new batch.
      openBatches.delete(log.transactionHash);
    } else if (event.name === "TargetsCommitted") {
      const assets = a.assets as string[];
      const weights = a.weightsBps as bigint[];
      const targets = assets.map((token, i) => ({ token: getAddress(token), weightBps: Number(weights[i]) }));
      const regime = regimeFromCode(a.regime);
      commits.set(String(a.epoch), {
        log,
        regime,
        snapshotHash: String(a.snapshotHash),
        targets,
        targetToleranceBps: settings.targetToleranceBps,
        registeredTokens: registered === null ? null : [...registered],
        previousTargets: lastTargets,
        previousRegime: lastRegime,
      });
      lastTargets = targets;
      lastRegime = regime;
    } else if (event.name === "TradeExecuted") {
      const t: RawTrade = {
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
        targetToleranceBps: settings.targetToleranceBps,
        balancesAfter: new Map(balances),
      };
      trades.push(t);
      batchOf(log).trades.push(t);
    }
  }
  const indexInEpoch = new Map<RawTrade, number>();
  const epochCounts = new Map<string, number>();
  for (const t of trades) {
    indexInEpoch.set(t, epochCounts.get(t.epoch) ?? 0);
    epochCounts.set(t.epoch, (epochCounts.get(t.epoch) ?? 0) + 1);
  }

  // ---- Per batch (one executeTrades call), in chain order with the window changes: prices, NAV, loss budget.
  const navBeforeTrade = new Map<RawTrade, bigint | null>();
  const navAfterTrade = new Map<RawTrade, bigint | null>();
  const weightsAfterTrade = new Map<RawTrade, Map<string, number> | null>();
  /** Violations found by the batch replay, reported after the trade they concern. */
  const afterTrade = new Map<RawTrade, Violation[]>();
  const batchSkips = new Map<RawTrade, SkippedCheck[]>();
  const batchAudits = new Map<RawBatch, BatchAudit>();
  const lossUsed = new Map<RawBatch, { before: bigint; after: bigint }>();
  let ring: LossRing = EMPTY_LOSS_RING;
  // Losses before the first block read (or past a batch the audit could not value) may still sit in the ring
  // up to this bucket: until the ring has moved five buckets past it the replay is a lower bound.
  let unknownUpTo: { bucket: bigint | null } | null = seed !== null ? { bucket: null } : null;
  const settle = (timestamp: number, windowSeconds: number) => {
    if (unknownUpTo === null) return;
    const current = LossBudgetLib.bucketAt(BigInt(timestamp), BigInt(windowSeconds));
    if (unknownUpTo.bucket === null) unknownUpTo.bucket = current;
    else if (current >= unknownUpTo.bucket + LossBudgetLib.BUCKETS) unknownUpTo = null;
  };
  for (const item of ringEvents) {
    if (item.kind === "window") {
      const timestamp = history.blockTimestamps[String(item.blockNumber)];
      if (timestamp === undefined) throw new Error(`the vault history has no timestamp for block ${item.blockNumber} (a LossBudgetSet)`);
      settle(timestamp, item.oldWindowSeconds);
      ring = changeLossWindow(ring, item.oldWindowSeconds, item.newWindowSeconds, timestamp);
      // Every loss counted so far, known or not, now sits in the new window's current bucket.
      if (unknownUpTo !== null) unknownUpTo.bucket = ring.lastBucket;
      continue;
    }
    const { batch } = item;
    const first = batch.trades[0];
    if (first === undefined) continue;
    const last = batch.trades.at(-1)!;
    const flag = (t: RawTrade, v: Omit<Violation, "epoch" | "tradeIndex" | "txHash">) =>
      afterTrade.set(t, [...(afterTrade.get(t) ?? []), { epoch: t.epoch, tradeIndex: indexInEpoch.get(t)!, txHash: batch.txHash, ...v }]);
    const skip = (t: RawTrade, check: SkippedCheck["check"], reason: string) => batchSkips.set(t, [...(batchSkips.get(t) ?? []), { check, tradeIndex: indexInEpoch.get(t)!, reason }]);

    const recordedPrices = history.batches[batch.txHash];
    if (recordedPrices === undefined) throw new Error(`the vault history has no prices for trade batch ${batch.txHash}`);
    const balancesBefore = balancesBeforeTrade(first);
    const priced = [...new Set([...balancesBefore.keys(), ...batch.trades.flatMap((t) => [t.tokenIn.toLowerCase(), t.tokenOut.toLowerCase()])])];
    const prices = unitPrices(recordedPrices, stablecoin, priced, batch.trades);
    const nav = (held: ReadonlyMap<string, bigint>) => navOf(held, prices);
    for (const t of batch.trades) {
      const after = nav(t.balancesAfter);
      navBeforeTrade.set(t, nav(balancesBeforeTrade(t)));
      navAfterTrade.set(t, after);
      weightsAfterTrade.set(t, after === null || after === 0n ? null : weightsOf(t.balancesAfter, prices, after));
    }
    const navDerived = navBeforeTrade.get(first) ?? null;
    const f = batch.figures;
    const { bps: budgetBps, windowSeconds } = first.lossBudget;
    settle(recordedPrices.timestamp, windowSeconds);
    const navForBudget = f?.navAssets ?? navDerived;
    const lossReplayed = batch.trades.reduce((sum, t) => sum + (t.valueIn > t.valueOut ? t.valueIn - t.valueOut : 0n), 0n);
    let usedReplayed: bigint | null = null;
    if (navForBudget === null) {
      for (const t of batch.trades) skip(t, "loss-budget", "NAV not derivable at the batch (no oracle price for the stablecoin) and no BatchExecuted figures");
      // The ring lost this batch's loss: later batches are bounded below only.
      unknownUpTo = { bucket: LossBudgetLib.bucketAt(BigInt(recordedPrices.timestamp), BigInt(windowSeconds)) };
    } else {
      const replay = replayLossBudgetBatch({ state: ring, navAssets: navForBudget, budgetBps, windowSeconds, timestamp: recordedPrices.timestamp, trades: batch.trades });
      ring = replay.state;
      usedReplayed = replay.usedAfter;
      lossUsed.set(batch, { before: replay.usedBefore, after: replay.usedAfter });
      for (const o of replay.overflows) {
        flag(batch.trades[o.index]!, {
          check: "loss-budget",
          message: `trade ${indexInEpoch.get(batch.trades[o.index]!)} brought its batch's loss to ${o.lossAssets} with ${o.availableAssets} left in the loss budget (${budgetBps} bps of NAV ${navForBudget} per ${windowSeconds} s, ${replay.usedBefore} of ${replay.budgetFraction} x 1e-10 of NAV used before the batch)`,
          values: { lossAssets: String(o.lossAssets), availableAssets: String(o.availableAssets), navAssets: String(navForBudget), usedBefore: String(replay.usedBefore), budgetFraction: String(replay.budgetFraction) },
        });
      }
    }
    if (f === null) {
      skip(last, "batch-figures", "the batch emitted no BatchExecuted figures (a vault before the ring loss budget): NAV derived, nothing to cross-check");
    } else {
      const mismatch = (figure: string, reported: bigint, replayed: bigint, rule: string) =>
        flag(last, {
          check: "batch-figures",
          message: `batch ${f.batchSequence} reported ${figure} ${reported} but the audit ${rule} ${replayed}`,
          values: { figure, batchSequence: String(f.batchSequence), reported: String(reported), replayed: String(replayed) },
        });
      if (f.trades !== BigInt(batch.trades.length)) mismatch("trades", f.trades, BigInt(batch.trades.length), "counted TradeExecuted events:");
      if (f.lossAssets !== lossReplayed) mismatch("lossAssets", f.lossAssets, lossReplayed, "summed its trades' losses to");
      if (navDerived === null) {
        skip(last, "batch-figures", "navAssets not cross-checked: the stablecoin's oracle price could not be read at the block before the batch");
      } else {
        const gap = navDerived > f.navAssets ? navDerived - f.navAssets : f.navAssets - navDerived;
        if (gap * BPS > BigInt(tolerance.navBps) * f.navAssets) mismatch("navAssets", f.navAssets, navDerived, `derived (tolerance ${tolerance.navBps} bps)`);
      }
      if (usedReplayed !== null) {
        if (unknownUpTo === null ? usedReplayed !== f.lossBudgetUsed : usedReplayed > f.lossBudgetUsed) {
          mismatch("lossBudgetUsed", f.lossBudgetUsed, usedReplayed, unknownUpTo === null ? "replayed the ring to" : "replayed, from known losses alone, at least");
        }
      }
    }
    batchAudits.set(batch, {
      txHash: batch.txHash,
      blockNumber: batch.blockNumber,
      batchSequence: f?.batchSequence ?? null,
      trades: batch.trades.length,
      navAssets: f?.navAssets ?? null,
      lossAssets: f?.lossAssets ?? null,
      lossBudgetUsed: f?.lossBudgetUsed ?? null,
      navDerived,
      lossReplayed,
      lossBudgetUsedReplayed: usedReplayed,
    });
  }

  // ---- Per epoch: commits and trades, each check.
  const epochIds = [...new Set([...commits.keys(), ...trades.map((t) => t.epoch)])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const epochs: EpochAudit[] = [];
  /** The highest snapshot version of the epochs audited so far. */
  let latestVersion: number | null = null;
  /** The methodology the last audited epoch's snapshot published (a change is named, see checkEpochSnapshot). */
  let previousMethodology: { version: unknown; methodology: unknown } | null = null;
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
      const result = checkEpochSnapshot({
        epoch,
        chainId,
        stablecoin,
        committed: commit,
        snapshotText: published.text,
        snapshotFile: published.file,
        tokenList,
        onChain: { vault, registeredTokens: commit.registeredTokens, previousTargets: commit.previousTargets, previousRegime: commit.previousRegime, latestVersion },
        previousMethodology,
      });
      // A snapshot that did not parse was named (snapshot-invalid); the methodology to compare with stays.
      if (result.version !== undefined) previousMethodology = { version: result.version, methodology: result.methodology };
      if (result.version !== undefined && (latestVersion === null || result.version > latestVersion)) latestVersion = result.version;
      violations.push(...result.violations);
      skipped.push(...result.skipped);
      // Sells are judged with the cash buffer the keeper published for the epoch, not an assumed one.
      if (result.cashBufferBps !== undefined) epochTolerance = { ...tolerance, cashBufferBps: result.cashBufferBps };
    }
    const targetsBps = new Map((commit?.targets ?? []).map((t) => [t.token.toLowerCase(), t.weightBps]));
    const tradeAudits: TradeAudit[] = epochTrades.map((t, index) => {
      const txHash = t.log.transactionHash;
      violations.push(...checkTradeBounds({ ...t, epoch, tradeIndex: index, txHash }));
      violations.push(...(afterTrade.get(t) ?? []));
      skipped.push(...(batchSkips.get(t) ?? []));
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
    const epochBatches = ringEvents.flatMap((r) => (r.kind === "batch" && r.batch.trades[0]?.epoch === epoch ? [r.batch] : []));
    const lossFirst = epochBatches.length === 0 ? null : (lossUsed.get(epochBatches[0]!) ?? null);
    const lossLast = epochBatches.length === 0 ? null : (lossUsed.get(epochBatches.at(-1)!) ?? null);
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
        usedBefore: lossFirst?.before ?? null,
        usedAfter: lossLast?.after ?? null,
        lossAssets: tradeAudits.reduce((sum, t) => sum + t.lossAssets, 0n),
      },
      targetToleranceBps: first?.targetToleranceBps ?? commit?.targetToleranceBps ?? settings.targetToleranceBps,
      batches: epochBatches.map((b) => batchAudits.get(b)).filter((b): b is BatchAudit => b !== undefined),
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
 * does); a token whose read failed falls back to the ratio its trade in this batch reports, else counts 0.
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
    if (trade !== undefined) {
      values.set(token, trade.tokenIn.toLowerCase() === token ? { tokenUsd36: trade.valueIn, assetUsd36: trade.amountIn } : { tokenUsd36: trade.valueOut, assetUsd36: trade.amountOut });
      continue;
    }
    // The oracle answered for the stablecoin but reverted for this token: its feed is unusable, and the vault
    // values it at 0 for the batch (RebalanceLogic.batchValuation).
    const unusable = recorded.stablePriceUsd36 !== null && token in recorded.unitPricesUsd36;
    values.set(token, unusable ? { tokenUsd36: 0n, assetUsd36: 1n } : null);
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
