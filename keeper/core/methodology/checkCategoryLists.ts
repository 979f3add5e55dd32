import { InvalidInputError } from "../errors.js";

export interface CheckCategoryListsParameters {
  /** Slug -> member ids, as the provider listed them for this snapshot. */
  readonly current: Readonly<Record<string, readonly string[]>>;
  /** Last week's lists (the previous snapshot's); absent for the first snapshot. */
  readonly previous?: Readonly<Record<string, readonly string[]>>;
  /** Largest |symmetric difference| / |last week's list| accepted. */
  readonly maxChangeFraction: number;
}

/**
 * Refuses to build targets on category data that looks broken: a list that came back empty (a failed or
 * renamed category would let every stablecoin in), or one that changed by more than `maxChangeFraction`
 * of its members since last week. Throws naming every bad category.
 */
export function checkCategoryLists({ current, previous, maxChangeFraction }: CheckCategoryListsParameters): void {
  const problems: string[] = [];
  for (const [slug, ids] of Object.entries(current)) {
    if (ids.length === 0) {
      problems.push(`category "${slug}" came back empty`);
      continue;
    }
    const before = previous?.[slug];
    if (before === undefined || before.length === 0) continue;
    const now = new Set(ids);
    const then = new Set(before);
    const changed = [...now].filter((id) => !then.has(id)).length + [...then].filter((id) => !now.has(id)).length;
    const share = changed / then.size;
    if (share > maxChangeFraction) {
      problems.push(`category "${slug}" changed by ${(share * 100).toFixed(1)} % since last week (${then.size} -> ${now.size} members, ${changed} differ); the limit is ${(maxChangeFraction * 100).toFixed(1)} %`);
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError("Category data failed its sanity check; refusing to build targets.", { details: [...problems, "Check the provider, or raise maxCategoryChangeFraction if the change is real."] });
  }
}
