import { InvalidInputError } from "../errors.js";
import { RESERVE_PER_DEPTH } from "./modelPriceImpact.js";

export interface MaxChunkValueAssetParameters {
  readonly depthAsset: bigint;
  readonly maxImpactBps: number;
}

/**
 * Largest trade value whose modeled impact v / (99 D + v) stays <= m / 10,000, solved for v:
 * v <= 99 D m / (10,000 - m), rounded down. With m = 100 bps it is exactly D, as the depth's definition says.
 */
export function maxChunkValueAsset({ depthAsset, maxImpactBps }: MaxChunkValueAssetParameters): bigint {
  if (!Number.isSafeInteger(maxImpactBps) || maxImpactBps < 1 || maxImpactBps >= 10_000) {
    throw new InvalidInputError("maxImpactBps must be an integer in [1, 9999].", { details: `maxImpactBps: ${maxImpactBps}` });
  }
  if (depthAsset <= 0n) throw new InvalidInputError("Depth must be positive.", { details: `depthAsset: ${depthAsset}` });
  const m = BigInt(maxImpactBps);
  return (RESERVE_PER_DEPTH * depthAsset * m) / (10_000n - m);
}
