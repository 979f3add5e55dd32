import { BPS } from "./bps.js";
import { mulDiv } from "./mulDiv.js";

// The TypeScript twin of contracts/libraries/LossBudgetLib.sol (the loss bucket that refills linearly), so the
// audit replays the vault's budget with the same integer math; checked against LossBudgetLibHarness.

/** The bucket's size: NAV x budget, rounded down. */
export function capacityDown(navAssets: bigint, budgetBps: number): bigint {
  return mulDiv(navAssets, BigInt(budgetBps), BPS);
}

/** What is still in the bucket at `nowTs`: the recorded use minus the linear refill since `lastUpdate`, at least 0. */
export function usedNow(usedAssets: bigint, lastUpdate: bigint, capacity: bigint, windowSeconds: bigint, nowTs: bigint): bigint {
  const elapsed = nowTs > lastUpdate ? nowTs - lastUpdate : 0n;
  const refill = elapsed >= windowSeconds ? capacity : mulDiv(capacity, elapsed, windowSeconds);
  return usedAssets > refill ? usedAssets - refill : 0n;
}

/** Room left in the bucket. */
export function available(usedAssetsNow: bigint, capacity: bigint): bigint {
  return capacity > usedAssetsNow ? capacity - usedAssetsNow : 0n;
}
