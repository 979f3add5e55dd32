import { InvalidInputError } from "../errors.js";

export interface WorthItsGasParameters {
  /** The transaction's gas cost in stablecoin raw units (gasCostAsset). */
  readonly gasCostAsset: bigint;
  /** The oracle value of what the transaction trades: how much of the vault it moves toward its targets. */
  readonly valueAsset: bigint;
  /** Largest gas cost allowed, in bps of that value (100: gas may cost up to 1 % of what it corrects). */
  readonly maxGasCostBps: number;
}

/**
 * Whether a transaction corrects enough to pay for its gas: gas cost <= value x maxGasCostBps. The crumbs a
 * later round finds (a $124 trim in its own 750k-gas transaction) fail this and wait for the next weekly
 * rebalance, where they ride in a batch with everything else. Exits are not asked: they always complete.
 */
export function worthItsGas({ gasCostAsset, valueAsset, maxGasCostBps }: WorthItsGasParameters): boolean {
  if (!Number.isSafeInteger(maxGasCostBps) || maxGasCostBps < 0) throw new InvalidInputError("maxGasCostBps must be a non-negative integer.", { details: `maxGasCostBps: ${maxGasCostBps}` });
  return gasCostAsset * 10_000n <= valueAsset * BigInt(maxGasCostBps);
}
