import { LossBudgetLib } from "../core/index.js";

/** The vault's loss bucket (LossBudgetLib), replayed from events: same integer math, same rounding. */
export interface LossBucket {
  readonly usedAssets: bigint;
  readonly lastUpdate: number;
}

export function lossCapacity(navAssets: bigint, budgetBps: number): bigint {
  return LossBudgetLib.capacityDown(navAssets, budgetBps);
}

/** What is still in the bucket at `now`: the recorded use minus the linear refill, clamped at zero. */
export function lossUsedNow(bucket: LossBucket, capacity: bigint, windowSeconds: number, now: number): bigint {
  return LossBudgetLib.usedNow(bucket.usedAssets, BigInt(bucket.lastUpdate), capacity, BigInt(windowSeconds), BigInt(now));
}

export interface ReplayBatchParameters {
  readonly bucket: LossBucket;
  readonly navAssets: bigint;
  readonly budgetBps: number;
  readonly windowSeconds: number;
  readonly timestamp: number;
  /** Each trade's valueIn and valueOut, in batch order. */
  readonly trades: readonly { valueIn: bigint; valueOut: bigint }[];
  /** Extra room (bps of capacity) before an overflow counts, for a NAV that is re-derived rather than read. */
  readonly slackBps?: number;
}

export interface ReplayBatchReturnType {
  readonly capacity: bigint;
  readonly usedBefore: bigint;
  /** Bucket content after each trade. */
  readonly usedAfterTrade: readonly bigint[];
  /** Index of each trade whose loss did not fit in what the bucket had left. */
  readonly overflows: readonly { index: number; lossAssets: bigint; availableAssets: bigint }[];
  readonly bucket: LossBucket;
}

/** One executeTrades batch: capacity from NAV at its start, refill up to its timestamp, each loss added. */
export function replayLossBudgetBatch(p: ReplayBatchParameters): ReplayBatchReturnType {
  const capacity = lossCapacity(p.navAssets, p.budgetBps);
  const allowed = capacity + (capacity * BigInt(p.slackBps ?? 0)) / 10_000n;
  const usedBefore = lossUsedNow(p.bucket, capacity, p.windowSeconds, p.timestamp);
  let used = usedBefore;
  const usedAfterTrade: bigint[] = [];
  const overflows: { index: number; lossAssets: bigint; availableAssets: bigint }[] = [];
  p.trades.forEach((t, index) => {
    if (t.valueIn > t.valueOut) {
      const loss = t.valueIn - t.valueOut;
      const available = allowed > used ? allowed - used : 0n;
      if (loss > available) overflows.push({ index, lossAssets: loss, availableAssets: available });
      used += loss;
    }
    usedAfterTrade.push(used);
  });
  return { capacity, usedBefore, usedAfterTrade, overflows, bucket: { usedAssets: used, lastUpdate: p.timestamp } };
}
