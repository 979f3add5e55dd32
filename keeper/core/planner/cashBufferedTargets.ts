import { BPS } from "../vault/bps.js";
import { DEFAULT_PLANNER_CONFIG, type PlannerConfig } from "./types.js";

/** The unit of a buffered weight: parts of 10^8 of NAV (bps of bps), where weight x (1 - buffer) is exact. */
export const BUFFERED_WEIGHT_SCALE = BPS * BPS;

/**
 * The cash buffer rule, written once: every committed target gives up `cashBufferBps` of itself, pro rata, and
 * the stablecoin receives all that is given up on top of its own (buffered) target. Lower-case address -> the
 * weight the keeper trades to, in BUFFERED_WEIGHT_SCALE; nothing committed, nothing buffered.
 * The planner multiplies NAV by it (and leaves the stablecoin the rest of NAV, rounding included); `keeper
 * status` and the audit divide by 10,000 for bps.
 */
export function cashBufferedTargets(targetsBps: ReadonlyMap<string, number>, stablecoin: string, cashBufferBps: number): Map<string, bigint> {
  const investedBps = BPS - BigInt(cashBufferBps);
  const stable = stablecoin.toLowerCase();
  const buffered = new Map<string, bigint>();
  let givenUp = 0n;
  for (const [token, weightBps] of targetsBps) {
    buffered.set(token, BigInt(weightBps) * investedBps);
    givenUp += BigInt(weightBps) * BigInt(cashBufferBps);
  }
  if (targetsBps.size > 0) buffered.set(stable, (buffered.get(stable) ?? 0n) + givenUp);
  return buffered;
}

/** The buffer the keeper trades with: its configured one, else the planner's default (status and snapshots agree). */
export function effectiveCashBufferBps(planner: Partial<Pick<PlannerConfig, "cashBufferBps">> | undefined): number {
  return planner?.cashBufferBps ?? DEFAULT_PLANNER_CONFIG.cashBufferBps;
}
