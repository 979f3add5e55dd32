import { computeTargets, type ComputeTargetsReturnType, type Snapshot, type TargetConstituent } from "../../keeper/core/index.js";

const SCREEN_WORDS: Record<string, string> = {
  stablecoin: "a stablecoin",
  derivative: "a wrapped or derived asset",
  unregistered: "no registered token and price source on this chain",
  "market-cap": "market cap below the minimum",
  volume: "volume below the minimum",
};

/** What a snapshot's epoch commits against the members before it, each entry and exit with its reason in words. */
export interface EpochChanges {
  /** The targets re-derived from the snapshot; null in a bear regime (everything goes to the stablecoin). */
  targets: ComputeTargetsReturnType | null;
  entered: { constituent: TargetConstituent; why: string }[];
  left: { id: string; why: string }[];
}

/**
 * Re-derives what a published snapshot commits with the keeper's own `computeTargets` (the Methodology page for
 * each epoch, the Overview for the notice ahead of the next rebalance). A bear epoch sells every member.
 */
export function epochChanges(snapshot: Snapshot): EpochChanges {
  if (snapshot.regime.state === "bear") return { targets: null, entered: [], left: snapshot.currentMembers.map((id) => ({ id, why: "bear regime: sold for the stablecoin" })) };
  const targets = computeTargets(snapshot);
  const members = new Set(snapshot.currentMembers);
  return {
    targets,
    entered: targets.constituents
      .filter((c) => !members.has(c.id))
      .map((c) => ({ constituent: c, why: `rank ${c.rank}, ${c.reason === "filled" ? "filled an empty seat" : "inside the entry rank"}` })),
    left: targets.removed.map((r) => {
      const screened = targets.excluded.find((x) => x.id === r.id);
      return { id: r.id, why: r.rank === null ? (screened ? `screened out: ${SCREEN_WORDS[screened.reason] ?? screened.reason}` : "gone from the universe") : `rank ${r.rank}, past the buffer` };
    }),
  };
}

/** At most `limit` items joined with commas, the rest counted ("and 12 more"): a long list stays one readable line. */
export function listGrouped(items: readonly string[], limit = 10): string {
  if (items.length === 0) return "none";
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
