import { bufferBands } from "./bufferBands.js";
import { compareIds } from "./compareIds.js";
import { DEFAULT_METHODOLOGY_CONFIG, type SelectionReason } from "./types.js";
import { rankByMarketCap, type RankableAsset } from "./rankByMarketCap.js";

export interface SelectConstituentsParameters<TAsset extends RankableAsset> {
  /** Screened assets; their order does not matter. */
  readonly eligible: readonly TAsset[];
  /** Ids in the index before this rebalance (empty at launch). */
  readonly currentMembers: Iterable<string>;
  /** N; default 100. */
  readonly n?: number;
  /** b; default 0.2 (MarketVector's 80-120 for N = 100). */
  readonly bufferFraction?: number;
}

export interface SelectedConstituent<TAsset extends RankableAsset> {
  readonly asset: TAsset;
  readonly rank: number;
  readonly reason: SelectionReason;
}

export interface RemovedMember {
  readonly id: string;
  /** Null when the member was screened out or vanished from the universe. */
  readonly rank: number | null;
}

export interface SelectConstituentsReturnType<TAsset extends RankableAsset> {
  /** Exactly min(N, eligible count) constituents, in rank order. */
  readonly constituents: readonly SelectedConstituent<TAsset>[];
  /** Previous members that are not selected, in rank order, unranked ones last by id. */
  readonly removed: readonly RemovedMember[];
  readonly entryRank: number;
  readonly stayRank: number;
}

/**
 * Picks N constituents with a rank buffer that damps turnover, in three passes (MarketVector's rule):
 * 1. every asset ranked <= entryRank is in: a member "stayed", a newcomer "entered". A top asset is never
 *    kept out by a full buffer, and there are at most entryRank <= N of them.
 * 2. members ranked in (entryRank, stayRank] "stayed", best rank first, while fewer than N are selected;
 *    when too many qualify, the worst-ranked of them leave.
 * 3. while fewer than N are selected, the best-ranked remaining assets (newcomers outside the entry band or
 *    members that fell past stayRank) are "filled" in, so the index holds exactly N whenever it can.
 */
export function selectConstituents<TAsset extends RankableAsset>({
  eligible,
  currentMembers,
  n = DEFAULT_METHODOLOGY_CONFIG.constituentCount,
  bufferFraction = DEFAULT_METHODOLOGY_CONFIG.bufferFraction,
}: SelectConstituentsParameters<TAsset>): SelectConstituentsReturnType<TAsset> {
  const { entryRank, stayRank } = bufferBands({ n, bufferFraction });
  const members = new Set(currentMembers);
  const ranked = rankByMarketCap(eligible);
  const reasons = new Map<string, SelectionReason>();

  for (const { asset, rank } of ranked) {
    if (rank > entryRank) break;
    reasons.set(asset.id, members.has(asset.id) ? "stayed" : "entered");
  }
  for (const { asset, rank } of ranked) {
    if (reasons.size >= n || rank > stayRank) break;
    if (rank > entryRank && members.has(asset.id)) reasons.set(asset.id, "stayed");
  }
  for (const { asset } of ranked) {
    if (reasons.size >= n) break;
    if (!reasons.has(asset.id)) reasons.set(asset.id, "filled");
  }

  const constituents: SelectedConstituent<TAsset>[] = [];
  const rankById = new Map<string, number>();
  for (const { asset, rank } of ranked) {
    rankById.set(asset.id, rank);
    const reason = reasons.get(asset.id);
    if (reason !== undefined) constituents.push({ asset, rank, reason });
  }
  const removed = [...members]
    .filter((id) => !reasons.has(id))
    .map((id) => ({ id, rank: rankById.get(id) ?? null }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || compareIds(a.id, b.id));
  return { constituents, removed, entryRank, stayRank };
}
