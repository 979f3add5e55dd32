import { BPS, cashBufferedTargets } from "../core/index.js";
import type { AuditTolerance, Violation } from "./types.js";

export interface CheckTradeDirectionParameters {
  readonly epoch: string;
  readonly tradeIndex: number;
  readonly txHash: string;
  readonly stablecoin: string;
  readonly tokenIn: string;
  readonly tokenOut: string;
  /** Committed targets of the epoch, lower-case address -> bps; a token not listed targets 0. */
  readonly targetsBps: ReadonlyMap<string, number>;
  /** Weights (bps of NAV) after the trade, lower-case address -> bps. */
  readonly weightsAfterBps: ReadonlyMap<string, number>;
  readonly tolerance: AuditTolerance;
}

/**
 * A trade must move holdings toward the committed targets. The stablecoin is the funding leg (sells go
 * into it, buys come out of it), so only the other legs are judged:
 * - a token sold must not end below its cash-buffered target (cashBufferedTargets) - tolerance (selling an under-weight token
 *   always fails this);
 * - a token bought must not end above target + tolerance; a token with no target must not be bought at all.
 */
export function checkTradeDirection(p: CheckTradeDirectionParameters): Violation[] {
  const violations: Violation[] = [];
  const stable = p.stablecoin.toLowerCase();
  const at = { epoch: p.epoch, tradeIndex: p.tradeIndex, txHash: p.txHash };
  const target = (token: string) => p.targetsBps.get(token) ?? 0;
  const weight = (token: string) => p.weightsAfterBps.get(token) ?? 0;
  const tokenIn = p.tokenIn.toLowerCase();
  const tokenOut = p.tokenOut.toLowerCase();
  if (tokenIn !== stable) {
    const buffered = cashBufferedTargets(p.targetsBps, stable, p.tolerance.cashBufferBps).get(tokenIn) ?? 0n;
    const floor = Number(buffered) / Number(BPS) - p.tolerance.weightBps;
    if (weight(tokenIn) < floor) {
      violations.push({
        ...at,
        check: "sold-below-target",
        message: `trade ${p.tradeIndex} sold ${p.tokenIn} down to ${weight(tokenIn).toFixed(1)} bps, below its target ${target(tokenIn)} bps (floor ${floor.toFixed(1)})`,
        values: { token: p.tokenIn, weightAfterBps: round(weight(tokenIn)), targetBps: target(tokenIn), floorBps: round(floor) },
      });
    }
  }
  if (tokenOut !== stable) {
    // The tolerance is for rounding and price moves on the way to a target: a token with none gets no allowance,
    // or a key could park tolerance-sized positions in every registered token outside the index.
    const ceiling = target(tokenOut) === 0 ? 0 : target(tokenOut) + p.tolerance.weightBps;
    if (weight(tokenOut) > ceiling) {
      violations.push({
        ...at,
        check: "bought-above-target",
        message: `trade ${p.tradeIndex} bought ${p.tokenOut} up to ${weight(tokenOut).toFixed(1)} bps, above its target ${target(tokenOut)} bps (ceiling ${ceiling})`,
        values: { token: p.tokenOut, weightAfterBps: round(weight(tokenOut)), targetBps: target(tokenOut), ceilingBps: ceiling },
      });
    }
  }
  return violations;
}

const round = (bps: number) => Math.round(bps * 100) / 100;
