import { InvalidInputError } from "../errors.js";
import { compareIds } from "../methodology/compareIds.js";
import { canonicalJson } from "./canonicalJson.js";
import type { Snapshot } from "./types.js";

/**
 * The published bytes of a snapshot. Besides sorting keys, it sorts the lists that are sets (the universe
 * by id, the registry, the current members, categories and category lists), so two keepers that fetched
 * the same market in a different order commit the same hash. The targets do not depend on those orders either (computeTargets ranks).
 */
export function canonicalSnapshotJson(snapshot: Snapshot): string {
  const universe = [...snapshot.universe]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((asset) => (asset.categories === undefined ? asset : { ...asset, categories: sortedSet(asset.categories) }));
  for (let i = 1; i < universe.length; i++) {
    if (universe[i]!.id === universe[i - 1]!.id) throw new InvalidInputError("Snapshot universe lists an asset twice.", { details: `id: ${universe[i]!.id}` });
  }
  return canonicalJson({
    ...snapshot,
    universe,
    registry: [...new Set(snapshot.registry)].sort(compareIds),
    currentMembers: sortedSet(snapshot.currentMembers),
    ...(snapshot.version === 2 && snapshot.categoryLists !== undefined
      ? { categoryLists: Object.fromEntries(Object.entries(snapshot.categoryLists).map(([slug, ids]) => [slug, sortedSet(ids)])) }
      : {}),
  });
}

function sortedSet(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort(compareIds);
}
