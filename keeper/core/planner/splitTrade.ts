export interface SplitTradeParameters {
  /** Raw units of the input token. */
  readonly amountIn: bigint;
  /** Oracle value of an amount of the input token, rounded down. */
  readonly valueOf: (amount: bigint) => bigint;
  /** Largest amount worth at most a value, rounded down (the inverse of valueOf). */
  readonly amountOf: (valueAsset: bigint) => bigint;
  /** Largest value one chunk may have; null for no split. */
  readonly maxChunkValueAsset: bigint | null;
  readonly maxChunks: number;
}

export interface SplitTradeReturnType {
  /** Chunk amounts, each worth <= maxChunkValueAsset, largest first. */
  readonly chunks: readonly bigint[];
  /** Amount left for a later rebalance because it would have needed more than maxChunks. */
  readonly deferredAmount: bigint;
}

/**
 * Splits a trade into as few near-equal chunks as keep each under the chunk value. Equal chunks rather
 * than "full chunks plus a remainder" so no chunk is a dust-sized tail. The chunks are meant for separate
 * transactions or blocks, letting arbitrage refill the pool in between, which is what the per-chunk impact
 * model assumes. A trade that needs more than maxChunks is cut to maxChunks full chunks.
 */
export function splitTrade({ amountIn, valueOf, amountOf, maxChunkValueAsset, maxChunks }: SplitTradeParameters): SplitTradeReturnType {
  if (amountIn <= 0n) return { chunks: [], deferredAmount: 0n };
  if (maxChunkValueAsset === null) return { chunks: [amountIn], deferredAmount: 0n };
  // A depth so thin that no chunk fits: trading anything would break the limit, so all of it waits.
  if (maxChunkValueAsset <= 0n) return { chunks: [], deferredAmount: amountIn };
  const totalValue = valueOf(amountIn);
  // Rounding can make an even split's largest chunk a hair over the limit; one more chunk then fixes it.
  for (let count = ceilDiv(totalValue, maxChunkValueAsset); count <= BigInt(maxChunks); count++) {
    const largest = ceilDiv(amountIn, count);
    if (valueOf(largest) <= maxChunkValueAsset) return { chunks: splitEvenly(amountIn, count), deferredAmount: 0n };
  }
  const fullChunk = amountOf(maxChunkValueAsset);
  const chunks: bigint[] = [];
  let left = amountIn;
  while (left > 0n && fullChunk > 0n && chunks.length < maxChunks) {
    const take = left < fullChunk ? left : fullChunk;
    chunks.push(take);
    left -= take;
  }
  return { chunks, deferredAmount: left };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const quotient = (a + b - 1n) / b;
  return quotient < 1n ? 1n : quotient;
}

function splitEvenly(amount: bigint, count: bigint): bigint[] {
  const base = amount / count;
  const extra = amount % count;
  const chunks: bigint[] = [];
  for (let i = 0n; i < count; i++) chunks.push(base + (i < extra ? 1n : 0n));
  return chunks;
}
