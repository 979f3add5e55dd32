import { InvalidInputError } from "../errors.js";
import { capWeights } from "./capWeights.js";
import { compareIds } from "./compareIds.js";
import { resolveMethodologyConfig } from "./resolveMethodologyConfig.js";
import { screenUniverse } from "./screenUniverse.js";
import { selectConstituents, type RemovedMember } from "./selectConstituents.js";
import { toBasisPoints } from "./toBasisPoints.js";
import type { AssetRegistry, ExcludedAsset, MarketAsset, MethodologyConfig, SelectionReason } from "./types.js";

/** The fields of a published snapshot that decide the targets; a whole Snapshot can be passed as is. */
export interface ComputeTargetsParameters {
  readonly universe: readonly MarketAsset[];
  readonly registry: AssetRegistry;
  /** Constituents before this rebalance; empty at launch and after a bear period. */
  readonly currentMembers?: readonly string[];
  readonly methodology?: Partial<MethodologyConfig>;
}

export interface TargetConstituent {
  readonly id: string;
  readonly symbol: string;
  readonly rank: number;
  readonly reason: SelectionReason;
  readonly marketCapUsd: number;
  /** Capped market-cap weight before rounding. */
  readonly weight: number;
  readonly weightBps: number;
}

export interface ComputeTargetsReturnType {
  /** In rank order. */
  readonly constituents: readonly TargetConstituent[];
  /** id -> bps in rank order, summing to exactly 10,000. A tiny constituent may round to 0 bps. */
  readonly weightsBps: ReadonlyMap<string, number>;
  /** Sorted by id. */
  readonly excluded: readonly ExcludedAsset[];
  readonly removed: readonly RemovedMember[];
  /** The configuration after defaults, as it must be published with the snapshot. */
  readonly methodology: MethodologyConfig;
}

// The cap in bps is floor(cap x 10,000); the slack keeps a float product that lands a hair under an
// integer (x.99999...) from costing a whole unit of headroom.
const FLOOR_EPSILON = 1e-9;

/**
 * Snapshot -> weekly targets: screen, rank with the buffer, cap, round to bps. Deterministic and
 * independent of input order, because the auditor re-derives the committed targets from the published
 * snapshot with this function and compares them byte for byte.
 */
export function computeTargets({ universe, registry, currentMembers = [], methodology }: ComputeTargetsParameters): ComputeTargetsReturnType {
  const config = resolveMethodologyConfig(methodology);
  const { eligible, excluded } = screenUniverse({
    assets: universe,
    registry,
    minMarketCapUsd: config.minMarketCapUsd,
    minVolumeUsd: config.minVolumeUsd,
  });
  if (eligible.length === 0) {
    throw new InvalidInputError("No asset passed the screens.", { details: [`universe: ${universe.length}`, `excluded: ${excluded.length}`] });
  }
  const { constituents: selected, removed } = selectConstituents({
    eligible,
    currentMembers,
    n: config.constituentCount,
    bufferFraction: config.bufferFraction,
  });
  const { weights } = capWeights({
    marketCaps: new Map(selected.map(({ asset }) => [asset.id, asset.marketCapUsd])),
    capFraction: config.capFraction,
  });
  const weightsBps = toBasisPoints({
    weights,
    maxBps: config.capFraction === null ? undefined : Math.floor(config.capFraction * 10_000 + FLOOR_EPSILON),
  });
  const constituents = selected.map(({ asset, rank, reason }) => ({
    id: asset.id,
    symbol: asset.symbol,
    rank,
    reason,
    marketCapUsd: asset.marketCapUsd,
    weight: weights.get(asset.id)!,
    weightBps: weightsBps.get(asset.id)!,
  }));
  return {
    constituents,
    weightsBps,
    excluded: [...excluded].sort((a, b) => compareIds(a.id, b.id)),
    removed,
    methodology: config,
  };
}
