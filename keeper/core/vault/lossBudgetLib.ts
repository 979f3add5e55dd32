import { InvalidInputError } from "../errors.js";
import { BPS } from "./bps.js";
import { mulDiv } from "./mulDiv.js";

// The TypeScript twin of contracts/libraries/LossBudgetLib.sol: the loss budget as fractions of NAV (units of
// 1e-10 of NAV) in a ring of five quarter-window buckets packed 32 bits each, so the audit replays the vault's
// budget with the same integer math; checked against LossBudgetLibHarness.

/** One whole NAV in the ring's units (a 50 bps budget is 5e7). */
export const FRACTION_ONE = 10_000_000_000n;
/** Buckets in the ring. */
export const BUCKETS = 5n;
/** Buckets per window: each bucket is a quarter of the window long. */
export const BUCKETS_PER_WINDOW = 4n;
const MASK = 0xffff_ffffn;
const UINT256_MAX = 2n ** 256n - 1n;

/** The index of the bucket `nowTs` falls in. Like the Solidity library, refuses a window under 4 seconds. */
export function bucketAt(nowTs: bigint, windowSeconds: bigint): bigint {
  const bucketSeconds = windowSeconds / BUCKETS_PER_WINDOW;
  if (bucketSeconds === 0n) throw new InvalidInputError("LossBudgetLib.bucketAt: the window has no quarter-window bucket (division by zero).", { details: `windowSeconds: ${windowSeconds}` });
  return nowTs / bucketSeconds;
}

/** The ring as of bucket `current`: buckets that fell out since `lastBucket` are emptied. */
export function roll(ring: bigint, lastBucket: bigint, current: bigint): bigint {
  if (current <= lastBucket) return ring;
  const gap = current - lastBucket;
  if (gap >= BUCKETS) return 0n;
  for (let k = 1n; k <= gap; k++) {
    ring &= UINT256_MAX ^ (MASK << (32n * ((lastBucket + k) % BUCKETS)));
  }
  return ring;
}

/** The fraction of NAV used in the ring (the current bucket and the four before it). */
export function used(ring: bigint): bigint {
  let sum = 0n;
  for (let i = 0n; i < BUCKETS; i++) sum += (ring >> (32n * i)) & MASK;
  return sum;
}

/** The fraction of NAV still available under `budgetBps`. */
export function availableFraction(ring: bigint, budgetBps: bigint | number): bigint {
  const budget = BigInt(budgetBps) * (FRACTION_ONE / BPS);
  const usedFraction = used(ring);
  return budget > usedFraction ? budget - usedFraction : 0n;
}

/** Assets that a fraction of `navAssets` is, rounded down (the keeper never gets more room). */
export function assetsDown(fraction: bigint, navAssets: bigint): bigint {
  return mulDiv(fraction, navAssets, FRACTION_ONE);
}

/** The fraction of `navAssets` that `lossAssets` is, rounded up (a loss is never understated). */
export function fractionUp(lossAssets: bigint, navAssets: bigint): bigint {
  return mulDiv(lossAssets, FRACTION_ONE, navAssets, "ceil");
}

/**
 * The ring with `fraction` added to bucket `current`. As in Solidity the shift wraps at 256 bits and the sum is
 * checked; the caller keeps every bucket under 2^32 (a budget of at most 500 bps).
 */
export function add(ring: bigint, current: bigint, fraction: bigint): bigint {
  const sum = ring + ((fraction << (32n * (current % BUCKETS))) & UINT256_MAX);
  if (sum > UINT256_MAX) throw new InvalidInputError("LossBudgetLib.add overflows uint256.", { details: `ring ${ring} + ${fraction} in bucket ${current}` });
  return sum;
}

/** The ring collapsed into bucket `current`: what a change of window length keeps. */
export function collapse(ring: bigint, current: bigint): bigint {
  return (used(ring) << (32n * (current % BUCKETS))) & UINT256_MAX;
}
