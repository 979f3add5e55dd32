import { LossBudgetLib } from "../core/index.js";

/**
 * The vault's loss budget (LossBudgetLib), replayed from events with the same integer math: a ring of five
 * quarter-window buckets of loss fractions (units of 1e-10 of NAV) and the bucket it was last written in.
 */
export interface LossRing {
  readonly ring: bigint;
  readonly lastBucket: bigint;
}

export const EMPTY_LOSS_RING: LossRing = Object.freeze({ ring: 0n, lastBucket: 0n });

/** The ring as the vault sees it at `timestamp`: buckets older than the current and the four before it emptied. */
export function lossRingAt(state: LossRing, windowSeconds: number, timestamp: number): LossRing {
  const current = LossBudgetLib.bucketAt(BigInt(timestamp), BigInt(windowSeconds));
  return { ring: LossBudgetLib.roll(state.ring, state.lastBucket, current), lastBucket: current };
}

/** setLossBudget: the ring rolled under the old window, then collapsed into the new window's current bucket. */
export function changeLossWindow(state: LossRing, oldWindowSeconds: number, newWindowSeconds: number, timestamp: number): LossRing {
  const rolled = LossBudgetLib.roll(state.ring, state.lastBucket, LossBudgetLib.bucketAt(BigInt(timestamp), BigInt(oldWindowSeconds)));
  const current = LossBudgetLib.bucketAt(BigInt(timestamp), BigInt(newWindowSeconds));
  return { ring: LossBudgetLib.collapse(rolled, current), lastBucket: current };
}

export interface ReplayBatchParameters {
  readonly state: LossRing;
  /** The NAV the batch was charged against (the vault's BatchExecuted.navAssets). */
  readonly navAssets: bigint;
  readonly budgetBps: number;
  readonly windowSeconds: number;
  readonly timestamp: number;
  /** Each trade's valueIn and valueOut, in batch order. */
  readonly trades: readonly { valueIn: bigint; valueOut: bigint }[];
}

export interface ReplayBatchReturnType {
  /** The budget as a fraction of NAV (budgetBps x 1e6). */
  readonly budgetFraction: bigint;
  /** Fraction of NAV used in the ring before the batch, as of its timestamp. */
  readonly usedBefore: bigint;
  /** What the batch could lose, in assets: the fraction left of navAssets, rounded down. */
  readonly availableAssets: bigint;
  /** The batch's loss so far after each trade, in assets. */
  readonly lossAfterTrade: readonly bigint[];
  /** Each trade after which the batch's loss exceeded availableAssets (the vault reverts there). */
  readonly overflows: readonly { index: number; lossAssets: bigint; availableAssets: bigint }[];
  /** The batch's loss in assets and as a fraction of navAssets, rounded up. */
  readonly lossAssets: bigint;
  readonly lossFraction: bigint;
  /** Fraction of NAV used in the ring after the batch (what BatchExecuted.lossBudgetUsed reports). */
  readonly usedAfter: bigint;
  readonly state: LossRing;
}

/** One executeTrades batch, as RebalanceLogic charges it: each trade's loss against what the ring leaves of NAV. */
export function replayLossBudgetBatch(p: ReplayBatchParameters): ReplayBatchReturnType {
  const before = lossRingAt(p.state, p.windowSeconds, p.timestamp);
  const usedBefore = LossBudgetLib.used(before.ring);
  const budgetFraction = LossBudgetLib.availableFraction(0n, p.budgetBps);
  const availableAssets = LossBudgetLib.assetsDown(LossBudgetLib.availableFraction(before.ring, p.budgetBps), p.navAssets);
  let loss = 0n;
  const lossAfterTrade: bigint[] = [];
  const overflows: { index: number; lossAssets: bigint; availableAssets: bigint }[] = [];
  p.trades.forEach((t, index) => {
    if (t.valueIn > t.valueOut) {
      loss += t.valueIn - t.valueOut;
      if (loss > availableAssets) overflows.push({ index, lossAssets: loss, availableAssets });
    }
    lossAfterTrade.push(loss);
  });
  // A loss at a zero NAV has no fraction; it already overflowed an availableAssets of 0 (the vault reverts).
  const lossFraction = p.navAssets === 0n ? 0n : LossBudgetLib.fractionUp(loss, p.navAssets);
  const ring = LossBudgetLib.add(before.ring, before.lastBucket, lossFraction);
  return {
    budgetFraction,
    usedBefore,
    availableAssets,
    lossAfterTrade,
    overflows,
    lossAssets: loss,
    lossFraction,
    usedAfter: LossBudgetLib.used(ring),
    state: { ring, lastBucket: before.lastBucket },
  };
}
