import { InvalidInputError } from "../errors.js";
import type { MarketAsset } from "../methodology/types.js";

export interface CarryForwardGapsParameters {
  /** This snapshot's universe as the data provider returned it. */
  readonly universe: readonly MarketAsset[];
  /** Ids in the index now (committed weight > 0). */
  readonly currentMembers: readonly string[];
  /** The universe of the last published snapshot, or null for the first. */
  readonly previousUniverse: readonly MarketAsset[] | null;
  /** A member missing from this many snapshots in a row is let go (1: at the first gap, as before). */
  readonly maxGapSnapshots: number;
}

export interface CarryForwardGapsReturnType {
  readonly universe: readonly MarketAsset[];
  /** Members carried forward from the previous snapshot, with how many snapshots in a row they have been missing. */
  readonly carried: readonly { readonly id: string; readonly missingSnapshots: number }[];
  /** Members missing for maxGapSnapshots in a row: not carried, so the methodology removes them. */
  readonly dropped: readonly string[];
}

/**
 * A member the data provider left out of one snapshot (a one-day gap in its market data) must not be sold
 * and bought back a week later: it is carried forward with its last published entry, marked with
 * `missingSnapshots`, until it has been missing from `maxGapSnapshots` snapshots in a row. The mark is in
 * the published universe, so the next snapshot counts on from it and an auditor sees the carried row.
 */
export function carryForwardGaps({ universe, currentMembers, previousUniverse, maxGapSnapshots }: CarryForwardGapsParameters): CarryForwardGapsReturnType {
  if (!Number.isSafeInteger(maxGapSnapshots) || maxGapSnapshots < 1) throw new InvalidInputError("maxGapSnapshots must be a positive integer.", { details: `maxGapSnapshots: ${maxGapSnapshots}` });
  const present = new Set(universe.map((a) => a.id));
  const previous = new Map((previousUniverse ?? []).map((a) => [a.id, a]));
  const carried: { id: string; missingSnapshots: number }[] = [];
  const dropped: string[] = [];
  const added: MarketAsset[] = [];
  for (const id of [...currentMembers].sort()) {
    if (present.has(id)) continue;
    const last = previous.get(id);
    const missingSnapshots = (last?.missingSnapshots ?? 0) + 1;
    if (last === undefined || missingSnapshots >= maxGapSnapshots) {
      dropped.push(id);
      continue;
    }
    carried.push({ id, missingSnapshots });
    added.push({ ...last, missingSnapshots });
  }
  return { universe: [...universe, ...added], carried, dropped };
}
