import { DEFAULT_PLANNER_CONFIG } from "../core/index.js";

/** What the auditor accepts before it calls a trade wrong; see DEFAULT_AUDIT_TOLERANCE for the reasons. */
export interface AuditTolerance {
  /** A trade may leave a weight this far past its target (bps of NAV): rounding, price moves within a batch. */
  readonly weightBps: number;
  /**
   * The keeper's cash buffer (bps of NAV): it holds each token at target x (1 - buffer), so a sell may go that
   * far below a token's committed target.
   */
  readonly cashBufferBps: number;
  /**
   * How far (bps) the NAV the audit derives for a batch may differ from the NAV the vault reports in
   * BatchExecuted: the audit prices at the block before, so a feed update earlier in the batch's block moves it.
   */
  readonly navBps: number;
}

/**
 * 0.5% of weight for rounding and intra-batch price moves; a 2% cash buffer (the planner's default) only for
 * snapshots published before they carried the keeper's `cashBufferBps`: one that publishes its buffer is audited
 * with it; 1% of NAV between the derived and the reported batch NAV.
 */
export const DEFAULT_AUDIT_TOLERANCE: AuditTolerance = Object.freeze({ weightBps: 50, cashBufferBps: DEFAULT_PLANNER_CONFIG.cashBufferBps, navBps: 100 });

export type CheckName =
  | "received-below-min"
  | "min-below-oracle-bound"
  | "loss-budget"
  | "batch-figures"
  | "sold-below-target"
  | "bought-above-target"
  | "trade-without-commit"
  | "snapshot-missing"
  | "snapshot-invalid"
  | "snapshot-hash"
  | "snapshot-epoch"
  | "snapshot-vault"
  | "snapshot-registry"
  | "snapshot-members"
  | "regime"
  | "classification"
  | "cash-buffer"
  | "methodology-changed"
  | "targets-derived";

/** One broken rule, named precisely enough to find it on an explorer. */
export interface Violation {
  readonly epoch: string;
  readonly check: CheckName;
  /** Index of the trade within its epoch (log order), for trade checks. */
  readonly tradeIndex?: number;
  readonly txHash?: string;
  readonly message: string;
  /** The numbers the check compared, as strings (bigints) or numbers. */
  readonly values: Readonly<Record<string, string | number | boolean | null>>;
}

export interface SkippedCheck {
  readonly check: CheckName;
  readonly tradeIndex?: number;
  readonly reason: string;
}

export interface TargetWeight {
  readonly token: string;
  readonly weightBps: number;
}

export interface TradeAudit {
  readonly index: number;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly adapter: string;
  readonly tokenIn: string;
  readonly tokenOut: string;
  readonly amountIn: bigint;
  readonly amountOut: bigint;
  readonly minAmountOut: bigint;
  /** From the event: oracle values in vault-asset units at the batch's prices. */
  readonly valueIn: bigint;
  readonly valueOut: bigint;
  /** max(0, valueIn - valueOut): what the trade charged to the loss budget. */
  readonly lossAssets: bigint;
  /** The max slippage in force (last MaxSlippageSet before the trade). */
  readonly maxSlippageBps: number;
  /** Derived: NAV before and after this trade (holdings from Transfer logs x oracle prices); null if unpriced. */
  readonly navBefore: bigint | null;
  readonly navAfter: bigint | null;
  /** Derived weights (bps of NAV) of the non-stablecoin legs after the trade; null when not derivable. */
  readonly weightInAfterBps: number | null;
  readonly weightOutAfterBps: number | null;
}

/**
 * The loss budget over an epoch's batches, replayed with LossBudgetLib's ring. Fractions are of NAV at each
 * batch, in units of 1e-10 of NAV (1 bps = 1e6), as the vault's BatchExecuted.lossBudgetUsed reports them.
 */
export interface LossBudgetReplay {
  readonly budgetBps: number;
  readonly windowSeconds: number;
  /** Fraction of NAV used in the ring (the current and the four previous quarter-window buckets) just before
   * the epoch's first batch and after its last. */
  readonly usedBefore: bigint | null;
  readonly usedAfter: bigint | null;
  /** The epoch's oracle-valued trade loss, in assets. */
  readonly lossAssets: bigint;
}

/** One executeTrades batch: the figures the vault reported in BatchExecuted beside what the audit replayed. */
export interface BatchAudit {
  readonly txHash: string;
  readonly blockNumber: number;
  /** BatchExecuted.batchSequence; null when the batch emitted none (a vault before the ring budget). */
  readonly batchSequence: bigint | null;
  readonly trades: number;
  /** Reported by the vault (BatchExecuted); null when it emitted none. */
  readonly navAssets: bigint | null;
  readonly lossAssets: bigint | null;
  readonly lossBudgetUsed: bigint | null;
  /** Derived: holdings x the oracle's prices at the block before, a token without a usable price at 0. */
  readonly navDerived: bigint | null;
  /** Replayed: the sum of the batch's TradeExecuted losses, and the ring's used fraction after the batch. */
  readonly lossReplayed: bigint;
  readonly lossBudgetUsedReplayed: bigint | null;
}

export type EpochVerdict = "pass" | "fail" | "incomplete";

export interface EpochAudit {
  readonly epoch: string;
  readonly committedAtBlock: number | null;
  readonly commitTxHash: string | null;
  readonly regime: "bull" | "bear" | null;
  readonly snapshotHash: string | null;
  readonly targets: readonly TargetWeight[];
  /** The snapshot file read for this epoch, if any. */
  readonly snapshotFile: string | null;
  readonly trades: readonly TradeAudit[];
  /** Derived NAV before the epoch's first trade and after its last. */
  readonly navBefore: bigint | null;
  readonly navAfter: bigint | null;
  readonly lossBudget: LossBudgetReplay;
  /** The tolerance of the vault's per-batch position check in force at the epoch's first trade (or its commit). */
  readonly targetToleranceBps: number;
  readonly batches: readonly BatchAudit[];
  readonly violations: readonly Violation[];
  readonly skipped: readonly SkippedCheck[];
  /** fail: a violation; incomplete: none, but a check could not run (no snapshots, no token list, no price). */
  readonly verdict: EpochVerdict;
}

export interface AuditReport {
  readonly vault: string;
  readonly chainId: number;
  readonly stablecoin: string;
  /** The stablecoin's decimals: NAV and loss figures are in its base units. */
  readonly stablecoinDecimals: number;
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly tolerance: AuditTolerance;
  readonly epochs: readonly EpochAudit[];
  readonly violations: readonly Violation[];
  /** How each figure was obtained, so a reader knows what is measured and what is derived. */
  readonly derivations: readonly string[];
}

/** One log as the audit reads it: the fields of an ethers Log it needs, so recorded logs replay the same. */
export interface RecordedLog {
  readonly blockNumber: number;
  readonly index: number;
  readonly transactionHash: string;
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
}

/** The oracle's view at the block before one trade batch (one executeTrades transaction). */
export interface BatchPrices {
  /** Timestamp of the batch's block (the loss budget's buckets are by time). */
  readonly timestamp: number;
  /** The stablecoin's unitPriceUsd36; null when the oracle could not be read at that block. */
  readonly stablePriceUsd36: bigint | null;
  /** Lower-case token -> unitPriceUsd36; null for a token whose read reverted. */
  readonly unitPricesUsd36: Readonly<Record<string, bigint | null>>;
}

/**
 * Everything the audit reads from a chain and a snapshot store, as plain data: readVaultHistory fills it from
 * a provider, a test from recorded logs, and checkVaultHistory judges it without any I/O.
 */
export interface VaultHistory {
  readonly vault: string;
  readonly chainId: number;
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly stablecoin: string;
  readonly stablecoinDecimals: number;
  /** The vault's balances (lower-case token) and settings at fromBlock - 1; null when it did not exist yet. */
  readonly seed: {
    readonly balances: Readonly<Record<string, bigint>>;
    readonly maxSlippageBps: number;
    readonly lossBudgetBps: number;
    readonly lossBudgetWindowSeconds: number;
    readonly targetToleranceBps: number;
    /**
     * The registered tokens, the targets in force (token -> bps, the stablecoin's cash weight included) and the
     * regime at fromBlock - 1, which the snapshot chain-fact checks start from. Absent in recordings made before
     * they were read: those checks are then skipped for the first commit.
     */
    readonly registeredTokens?: readonly string[];
    readonly targets?: readonly TargetWeight[];
    readonly regime?: "bull" | "bear";
  } | null;
  /** The vault's audited events (AUDITED_VAULT_EVENTS), in any order. */
  readonly vaultLogs: readonly RecordedLog[];
  /** Block number -> timestamp of every block holding a LossBudgetSet: a window change collapses the ring then. */
  readonly blockTimestamps: Readonly<Record<string, number>>;
  /** ERC-20 Transfers of the vault's tokens to or from the vault, each once. */
  readonly transferLogs: readonly RecordedLog[];
  /** Per trade batch, by transaction hash. */
  readonly batches: Readonly<Record<string, BatchPrices>>;
  /** The published snapshot per epoch (file name or URL, exact text or null when absent); null without a store. */
  readonly snapshots: Readonly<Record<string, { readonly file: string; readonly text: string | null }>> | null;
}
