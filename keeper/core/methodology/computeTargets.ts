import { InvalidInputError } from "../errors.js";
import { capWeights } from "./capWeights.js";
import { compareIds } from "./compareIds.js";
import { rankByMarketCap } from "./rankByMarketCap.js";
import { resolveMethodologyConfig } from "./resolveMethodologyConfig.js";
import { resolveMethodologyConfigV2 } from "./resolveMethodologyConfigV2.js";
import { screenInvestable } from "./screenInvestable.js";
import { screenUniverse } from "./screenUniverse.js";
import { selectConstituents, type RemovedMember, type SelectedConstituent } from "./selectConstituents.js";
import { toBasisPoints } from "./toBasisPoints.js";
import { toIdSet } from "./toIdSet.js";
import type { AssetRegistry, ExcludedAsset, MarketAsset, MethodologyConfig, MethodologyConfigV2, SelectionReason } from "./types.js";

/** The fields of a published snapshot that decide the targets; a whole Snapshot can be passed as is. */
export interface ComputeTargetsParameters {
  /** The snapshot format: 1 (the default, so old snapshots re-derive as they were) or 2. */
  readonly version?: 1 | 2;
  readonly universe: readonly MarketAsset[];
  readonly registry: AssetRegistry;
  /** Constituents before this rebalance; empty at launch and after a bear period. */
  readonly currentMembers?: readonly string[];
  readonly methodology?: Partial<MethodologyConfigV2>;
}

/** v2: an asset that ranks into the index but has no token on the vault; its weight goes to the others. */
export interface UnregisteredConstituent {
  readonly id: string;
  readonly symbol: string;
  readonly rank: number;
  readonly marketCapUsd: number;
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
  /** v2: selected by rank but not registered on the vault, in rank order (empty for v1). */
  readonly unregistered: readonly UnregisteredConstituent[];
  /** v2: ids of class "unknown" ranked within N x (1 + b) that are not members yet: for a human to classify. */
  readonly unclassifiedEntrants: readonly string[];
  /** The configuration after defaults, as it must be published with the snapshot. */
  readonly methodology: MethodologyConfig | MethodologyConfigV2;
}

// The cap in bps is floor(cap x 10,000); the slack keeps a float product that lands a hair under an
// integer (x.99999...) from costing a whole unit of headroom.
const FLOOR_EPSILON = 1e-9;

/**
 * Snapshot -> weekly targets: screen, rank with the buffer, cap, round to bps. Deterministic and
 * independent of input order, because the auditor re-derives the committed targets from the published
 * snapshot with this function and compares them byte for byte.
 */
/** The error message of a universe in which no asset passes the screens (callers that wait it out match it). */
export const NO_ASSET_PASSED = "No asset passed the screens.";

export function computeTargets(params: ComputeTargetsParameters): ComputeTargetsReturnType {
  return params.version === 2 ? computeTargetsV2(params) : computeTargetsV1(params);
}

/** Snapshot v1, unchanged so that old epochs still audit: screens drop unregistered ids before ranking. */
function computeTargetsV1({ universe, registry, currentMembers = [], methodology }: ComputeTargetsParameters): ComputeTargetsReturnType {
  const config = resolveMethodologyConfig(methodology);
  const { eligible, excluded } = screenUniverse({
    assets: universe,
    registry,
    minMarketCapUsd: config.minMarketCapUsd,
    minVolumeUsd: config.minVolumeUsd,
  });
  if (eligible.length === 0) {
    throw new InvalidInputError(NO_ASSET_PASSED, { details: [`universe: ${universe.length}`, `excluded: ${excluded.length}`] });
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
  const constituents = toConstituents(selected, weights, weightsBps);
  return {
    constituents,
    weightsBps,
    excluded: [...excluded].sort((a, b) => compareIds(a.id, b.id)),
    removed,
    unregistered: [],
    unclassifiedEntrants: [],
    methodology: config,
  };
}

/**
 * Snapshot v2: class and investability screens; top N over the whole screened universe (registered or
 * not, so the vault's registry cannot decide what the index is); the selected assets the vault does not
 * register are reported and left out, which spreads their weight pro rata to market cap over the rest
 * (under the caps); tiered caps by rank among the held constituents; bps.
 */
function computeTargetsV2({ universe, registry, currentMembers = [], methodology }: ComputeTargetsParameters): ComputeTargetsReturnType {
  const config = resolveMethodologyConfigV2(methodology);
  const { eligible, excluded } = screenInvestable({ assets: universe, config, registry });
  if (eligible.length === 0) {
    throw new InvalidInputError(NO_ASSET_PASSED, { details: [`universe: ${universe.length}`, `excluded: ${excluded.length}`] });
  }
  const { constituents: selected, removed, stayRank } = selectConstituents({ eligible, currentMembers, n: config.constituentCount, bufferFraction: config.bufferFraction });
  const registered = toIdSet(registry);
  const held = selected.filter(({ asset }) => registered.has(asset.id));
  const unregistered = selected.filter(({ asset }) => !registered.has(asset.id)).map(({ asset, rank }) => ({ id: asset.id, symbol: asset.symbol, rank, marketCapUsd: asset.marketCapUsd }));
  if (held.length === 0) {
    throw new InvalidInputError("No selected constituent is registered on the vault.", { details: `selected: ${selected.map(({ asset }) => asset.id).join(", ")}` });
  }
  const capById = tierCaps(held, config);
  const { weights } = capWeights({ marketCaps: new Map(held.map(({ asset }) => [asset.id, asset.marketCapUsd])), capFraction: config.capFraction, capById });
  const weightsBps = toBasisPoints({
    weights,
    maxBps: config.capFraction === null ? undefined : Math.floor(config.capFraction * 10_000 + FLOOR_EPSILON),
    maxBpsById: capById === undefined ? undefined : new Map([...capById].map(([id, cap]) => [id, Math.floor(Math.min(cap, config.capFraction ?? 1) * 10_000 + FLOOR_EPSILON)])),
  });
  const members = new Set(currentMembers);
  const unclassifiedEntrants = rankByMarketCap(eligible)
    .filter(({ asset, rank }) => rank <= stayRank && (asset.class ?? "unknown") === "unknown" && !members.has(asset.id))
    .map(({ asset }) => asset.id);
  return {
    constituents: toConstituents(held, weights, weightsBps),
    weightsBps,
    excluded: [...excluded].sort((a, b) => compareIds(a.id, b.id)),
    removed,
    unregistered,
    unclassifiedEntrants,
    methodology: config,
  };
}

/**
 * Each held constituent's tier cap: the `largestCount` largest by rank get the larger one. Tiers that cannot
 * sum to 100 % (too few constituents held: under 6 with 25 % / 15 %) are not applied that week, rather than
 * leaving the index without targets; a uniform cap still applies and still must be feasible.
 */
function tierCaps(held: readonly SelectedConstituent<MarketAsset>[], config: MethodologyConfigV2): Map<string, number> | undefined {
  if (config.tieredCaps === null) return undefined;
  const { largestCount, largestCapFraction, otherCapFraction } = config.tieredCaps;
  const caps = new Map(held.map(({ asset }, index) => [asset.id, index < largestCount ? largestCapFraction : otherCapFraction]));
  const room = [...caps.values()].reduce((sum, cap) => sum + cap, 0);
  return room < 1 - FLOOR_EPSILON ? undefined : caps;
}

/** The published row of each selected constituent, in selection order (v1 and v2 alike). */
function toConstituents(
  selected: readonly { asset: { id: string; symbol: string; marketCapUsd: number }; rank: number; reason: TargetConstituent["reason"] }[],
  weights: ReadonlyMap<string, number>,
  weightsBps: ReadonlyMap<string, number>,
): TargetConstituent[] {
  return selected.map(({ asset, rank, reason }) => ({
    id: asset.id,
    symbol: asset.symbol,
    rank,
    reason,
    marketCapUsd: asset.marketCapUsd,
    weight: weights.get(asset.id)!,
    weightBps: weightsBps.get(asset.id)!,
  }));
}
