import type { ContractRunner, TransactionReceipt } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError, worthItsGas } from "../core/index.js";
import type { Logger } from "../log.js";
import { TransactionRevertedError, type TxSender } from "./createTxSender.js";
import { decodeRevert, revertData } from "./decodeRevert.js";
import { quoteTrades, type QuotedTrade, type QuoteTradesReturnType, type RejectedTrade, type TradeIntent } from "./quoteTrades.js";
import type { PoolHead } from "./readPoolState.js";
import type { TokenPool } from "./resolvePools.js";

export interface ExecutedTrade {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  amountOut: bigint;
  minAmountOut: bigint;
  quotedOut: bigint;
  valueIn: bigint;
  valueOut: bigint;
}

export interface ExecutedBatch {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  trades: ExecutedTrade[];
}

export class LossBudgetExhaustedError extends KeeperError {
  override name = "LossBudgetExhaustedError";
}

export interface ExecuteTradesParameters {
  runner: ContractRunner;
  /** Needed unless dryRun. */
  sender?: TxSender;
  chainId: number;
  vault: string;
  adapter: string;
  quoterV2: string;
  stablecoin: string;
  pools: ReadonlyMap<string, TokenPool>;
  trades: readonly TradeIntent[];
  slippageBps: number;
  /**
   * The pools as the caller read them this round (quoteTrades' poolHeads): the first quote uses them; after a
   * transaction of ours or a retry the pools have moved, and later quotes read them afresh.
   */
  poolHeads?: ReadonlyMap<string, PoolHead>;
  /** Gas one transaction may use; batches are packed under it. */
  txGasBudget: bigint;
  /** Estimate used to pack before the simulation gives the real figure. */
  gasPerTradeEstimate?: bigint;
  deadlineSeconds?: number;
  /** Re-quotes (each halving the failing batch's amounts) after a revert caused by prices moving. */
  maxRetries?: number;
  dryRun?: boolean;
  log: Logger;
  /**
   * The crumbs rule: a transaction without an exit whose gas costs more than maxGasCostBps of the value it
   * trades is not sent (its trades are reported in `skipped` and wait for the next rebalance).
   */
  gasGate?: GasGate;
  /**
   * The vault's batchSequence when the trades were planned (VaultState.batchSequence); each batch of ours that
   * lands advances it by one. If another keeper's batch lands first, the next batch reverts with
   * IndexVaultStaleBatch and the call returns `stale`: the caller re-plans from the new state. Default: read
   * before the first batch.
   */
  expectedBatchSequence?: bigint;
  /**
   * Quotes a transaction's trades just before it is simulated: quoteTrades (each token's direct pool through the
   * V3 adapter) unless the caller routes them (quoteRoutedTrades, with the SwapRouter02 adapter as `adapter`).
   */
  quote?: (trades: TradeIntent[], poolHeads: ReadonlyMap<string, PoolHead> | undefined) => Promise<QuoteTradesReturnType>;
  /** Called after each confirmed batch (progress output; crash tests). */
  onBatchConfirmed?: (batch: ExecutedBatch) => void | Promise<void>;
}

export interface GasGate {
  maxGasCostBps: number;
  /** Gas units -> their cost in stablecoin raw units at the current gas price. */
  costOf(gasUnits: bigint): Promise<bigint>;
  /** Oracle value of a trade in stablecoin raw units. */
  valueOf(trade: TradeIntent): bigint;
  /** A sell of a token leaving the targets: always sent. */
  isExit(trade: TradeIntent): boolean;
}

export interface SkippedBatch {
  trades: TradeIntent[];
  gasUnits: bigint;
  gasCostAsset: bigint;
  valueAsset: bigint;
}

export interface ExecuteTradesReturnType {
  batches: ExecutedBatch[];
  rejected: RejectedTrade[];
  /** Batches not worth their gas (gasGate). */
  skipped: SkippedBatch[];
  /** Trades that were quoted only (dry run). */
  simulated: QuotedTrade[];
  /**
   * Another keeper's batch landed after these trades were planned: the vault refused the next batch
   * (IndexVaultStaleBatch) and the trades not yet sent were dropped, for a new plan from the new state.
   */
  stale: boolean;
}

/** EIP-7825's cap on one transaction's gas limit. */
const TX_GAS_CAP = 16_777_216n;

/** What one trade costs the vault, for packing batches before the simulation gives the real figure (bench/gas.json: ~140k swap + overhead, ~160k cold). */
export const GAS_PER_TRADE_ESTIMATE = 180_000n;

/** Reverts that mean "the price moved since the quote": worth a fresh quote and a smaller size. */
const PRICE_MOVED = new Set(["IndexVaultReceivedBelowMin", "IndexVaultMinOutBelowOracle", "Too little received"]);

/**
 * Executes trades in order through the vault: packs them into transactions under the gas budget, quotes each
 * transaction's trades just before it (v3-sdk, cross-checked by QuoterV2), simulates it, sends it, and
 * confirms every trade from the vault's TradeExecuted events. A batch that reverts because prices moved is
 * re-quoted and retried at half the size, a bounded number of times; what is left is the next plan's work.
 */
export async function executeTrades(params: ExecuteTradesParameters): Promise<ExecuteTradesReturnType> {
  const { runner, sender, vault, adapter, trades, txGasBudget, gasPerTradeEstimate = GAS_PER_TRADE_ESTIMATE, deadlineSeconds = 600, maxRetries = 2, dryRun = false, log } = params;
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const perTx = Math.max(1, Number((txGasBudget - 150_000n) / gasPerTradeEstimate));
  const queue = [...trades];
  const result: ExecuteTradesReturnType = { batches: [], rejected: [], skipped: [], simulated: [], stale: false };
  let batchSize = perTx;
  let poolHeads = params.poolHeads;
  let sequence = params.expectedBatchSequence ?? (dryRun ? 0n : await vaultContract.batchSequence());
  const staleBatch = (at: string, error: unknown) => {
    log.warn({ at, expectedBatchSequence: sequence.toString(), revert: revertName(error) || "revert" }, "another keeper's batch landed first: this plan is stale, re-planning from chain state");
    result.stale = true;
  };

  while (queue.length > 0 && !result.stale) {
    let batch = takeBatch(queue, batchSize, params.stablecoin);
    for (let attempt = 0; ; attempt++) {
      const { quoted, rejected } = await (params.quote?.(batch, poolHeads) ?? quoteTrades({ ...params, trades: batch, poolHeads }));
      if (!dryRun) poolHeads = undefined;
      result.rejected.push(...rejected);
      rejected.forEach((r) => log.warn({ at: "Executor.quote", tokenIn: r.trade.tokenIn, tokenOut: r.trade.tokenOut, reason: r.reason }, "trade rejected"));
      // Retries and splits work on what the quote kept, so nothing rejected is reported twice.
      batch = quoted.map(({ tokenIn, tokenOut, amountIn }) => ({ tokenIn, tokenOut, amountIn }));
      if (quoted.length === 0) break;
      if (dryRun) {
        // Quoted by the v3-sdk and QuoterV2; the vault cannot simulate trades for targets not yet committed.
        result.simulated.push(...quoted);
        log.info({ at: "Executor.quote", trades: quoted.length }, "dry run: batch quoted, not sent");
        break;
      }
      const block = await runner.provider!.getBlock("latest");
      const deadline = BigInt(block!.timestamp + deadlineSeconds);
      const structs = quoted.map((q) => ({ adapter, tokenIn: q.tokenIn, tokenOut: q.tokenOut, amountIn: q.amountIn, minAmountOut: q.minAmountOut, data: q.path }));
      const call = vaultContract.executeTrades;
      let gas: bigint;
      try {
        if (sender === undefined) throw new KeeperError("executeTrades: sending needs a sender (or dryRun)");
        // The vault's batch counter when this plan was read: if another keeper's batch lands first, this one
        // reverts cheaply (IndexVaultStaleBatch) instead of trading on a stale plan.
        gas = await call.estimateGas(structs, deadline, sequence, { from: sender.address });
      } catch (error) {
        const name = revertName(error);
        if (name === "IndexVaultStaleBatch") {
          staleBatch("Executor.simulate", error);
          break;
        }
        if (name === "IndexVaultLossBudgetExceeded") {
          throw new LossBudgetExhaustedError("the vault's loss budget is used up: the rest of this rebalance waits for it to refill", { cause: error });
        }
        if (PRICE_MOVED.has(name) && attempt < maxRetries) {
          log.warn({ at: "Executor.simulate", revert: name, attempt: attempt + 1 }, "prices moved since the quote: re-quoting at half size");
          batch = batch.map((t) => ({ ...t, amountIn: t.amountIn / 2n })).filter((t) => t.amountIn > 0n);
          continue;
        }
        throw new KeeperError(`simulating a batch of ${structs.length} trades failed: ${name || "revert"}`, { cause: error });
      }
      if (gas > txGasBudget && batch.length > 1) {
        // Too big for one transaction: put the back half back and shrink later batches too.
        batchSize = Math.max(1, Math.floor(batch.length / 2));
        queue.unshift(...batch.slice(batchSize));
        batch = batch.slice(0, batchSize);
        continue;
      }
      if (params.gasGate !== undefined && !batch.some((t) => params.gasGate!.isExit(t))) {
        const valueAsset = batch.reduce((sum, t) => sum + params.gasGate!.valueOf(t), 0n);
        const gasCost = await params.gasGate.costOf(gas);
        if (!worthItsGas({ gasCostAsset: gasCost, valueAsset, maxGasCostBps: params.gasGate.maxGasCostBps })) {
          result.skipped.push({ trades: batch, gasUnits: gas, gasCostAsset: gasCost, valueAsset });
          log.info({ at: "Executor.gas", trades: batch.length, gas: gas.toString(), gasCostAsset: gasCost.toString(), valueAsset: valueAsset.toString() }, "not worth its gas: left for the next rebalance");
          break;
        }
      }
      let receipt: TransactionReceipt;
      try {
        // 20% headroom over the estimate, but never past the per-transaction cap (EIP-7825).
        const headroom = (gas * 12n) / 10n;
        const gasLimit = headroom < TX_GAS_CAP ? headroom : gas > TX_GAS_CAP ? gas : TX_GAS_CAP;
        receipt = await sender!.send({ to: vault, data: vaultContract.interface.encodeFunctionData("executeTrades", [structs, deadline, sequence]), gasLimit }, `executeTrades(${structs.length})`);
      } catch (error) {
        // It passed simulation a block ago: a revert now means another keeper's batch landed in between (the
        // plan is stale), or the pools moved (re-quote from the new state at half size).
        if (error instanceof TransactionRevertedError && (await vaultContract.batchSequence()) !== sequence) {
          staleBatch("Executor.send", error);
          break;
        }
        if ((error instanceof TransactionRevertedError || PRICE_MOVED.has(revertName(error))) && attempt < maxRetries) {
          log.warn({ at: "Executor.send", attempt: attempt + 1 }, "reverted on-chain after a clean simulation (prices moved): re-quoting at half size");
          batch = batch.map((t) => ({ ...t, amountIn: t.amountIn / 2n })).filter((t) => t.amountIn > 0n);
          continue;
        }
        throw error;
      }
      const executed = receipt.logs
        .map((l) => (l.address.toLowerCase() === vault.toLowerCase() ? vaultContract.interface.parseLog(l) : null))
        .filter((e) => e?.name === "TradeExecuted")
        .map((e, i) => ({
          tokenIn: e!.args.tokenIn as string,
          tokenOut: e!.args.tokenOut as string,
          amountIn: e!.args.amountIn as bigint,
          amountOut: e!.args.amountOut as bigint,
          minAmountOut: e!.args.minAmountOut as bigint,
          quotedOut: quoted[i].quotedOut,
          valueIn: e!.args.valueIn as bigint,
          valueOut: e!.args.valueOut as bigint,
        }));
      if (executed.length !== quoted.length) {
        throw new KeeperError(`transaction ${receipt.hash} emitted ${executed.length} TradeExecuted events for ${quoted.length} trades`);
      }
      sequence += 1n;
      result.batches.push({ hash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, effectiveGasPrice: receipt.gasPrice, trades: executed });
      log.info({ at: "Executor.send", tx: receipt.hash, trades: executed.length, gasUsed: receipt.gasUsed.toString() }, "batch confirmed");
      await params.onBatchConfirmed?.(result.batches[result.batches.length - 1]);
      break;
    }
  }
  return result;
}

/**
 * Takes up to `size` trades off the queue, at most one per token: the chunks of a split trade go in successive
 * transactions, so that arbitrage can restore the pool's price in between (in one transaction they would just
 * add up to the impact the split was meant to avoid). A routed chunk's legs (its split across routes) share its
 * transaction: they cross different pools, or are simulated one after the other where they share one (WETH/USDC).
 */
function takeBatch(queue: TradeIntent[], size: number, stablecoin: string): TradeIntent[] {
  const batch: TradeIntent[] = [];
  const tokens = new Set<string>();
  for (let i = 0; i < queue.length && batch.length < size; ) {
    const t = queue[i];
    const token = (t.tokenIn.toLowerCase() === stablecoin.toLowerCase() ? t.tokenOut : t.tokenIn).toLowerCase();
    if (tokens.has(token)) {
      i++;
      continue;
    }
    tokens.add(token);
    batch.push(...queue.splice(i, 1));
  }
  return batch;
}

/** The name of a custom error (decoded with the project's ABIs when ethers did not) or the reason string of a revert; "" if none. */
export function revertName(error: unknown): string {
  const e = error as { revert?: { name?: string }; reason?: string | null; shortMessage?: string; cause?: unknown };
  const named = e?.revert?.name ?? e?.reason ?? (e?.cause !== undefined ? revertName(e.cause) : "");
  if (named !== "") return named;
  const data = revertData(error);
  return data === null ? "" : (decodeRevert(data)?.name ?? "");
}
