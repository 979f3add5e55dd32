import { InvalidInputError } from "../errors.js";
import { compareIds } from "./compareIds.js";

export interface ToBasisPointsParameters {
  /** id -> weight (any non-negative scale; normalised by the sum). */
  readonly weights: ReadonlyMap<string, number>;
  /** Integer the result sums to; default 10,000 bps. */
  readonly total?: number;
  /** Largest integer an asset may get, kept wherever the total still fits under it. */
  readonly maxBps?: number | undefined;
  /** id -> its own largest integer (tiered caps); applies instead of `maxBps` for that id. */
  readonly maxBpsById?: ReadonlyMap<string, number>;
}

/** id -> integer bps, same key order as the input, summing exactly to `total`. */
export type ToBasisPointsReturnType = ReadonlyMap<string, number>;

// Floors w x total with a little slack so 0.3 x 10000 = 2999.9999999999995 counts as 3000; the sum of
// the floors still cannot pass the total (it would take a slack of 1 unit).
const FLOOR_EPSILON = 1e-9;

/**
 * Largest-remainder rounding: every asset gets floor(w x total), then the units left go one each to the
 * largest fractional parts, ties by id, so the result is deterministic. Assets already at `maxBps` are
 * passed over for a unit while anyone else can take it; only when the cap cannot hold
 * (maxBps x count < total) do they get one too, still at most one unit above the floor.
 */
export function toBasisPoints({ weights, total = 10_000, maxBps, maxBpsById }: ToBasisPointsParameters): ToBasisPointsReturnType {
  if (!Number.isSafeInteger(total) || total < 1) throw new InvalidInputError("Basis-point total must be a positive integer.", { details: `total: ${total}` });
  if (maxBps !== undefined && !(Number.isSafeInteger(maxBps) && maxBps >= 0)) {
    throw new InvalidInputError("maxBps must be a non-negative integer.", { details: `maxBps: ${maxBps}` });
  }
  const ids = [...weights.keys()].sort(compareIds);
  for (const id of ids) {
    const weight = weights.get(id)!;
    if (!(Number.isFinite(weight) && weight >= 0)) throw new InvalidInputError("Weights must be finite and non-negative.", { details: `${id}: ${weight}` });
  }
  const sum = ids.reduce((acc, id) => acc + weights.get(id)!, 0);
  if (!(sum > 0)) throw new InvalidInputError("Weights must have a positive sum.");

  const bps = new Map<string, number>();
  const fractions = new Map<string, number>();
  let left = total;
  for (const id of ids) {
    const exact = (weights.get(id)! / sum) * total;
    const floor = Math.floor(exact + FLOOR_EPSILON);
    bps.set(id, floor);
    fractions.set(id, exact - floor);
    left -= floor;
  }
  const order = [...ids].sort((a, b) => fractions.get(b)! - fractions.get(a)! || compareIds(a, b));
  const bumped = new Set<string>();
  const bump = (allowAboveCap: boolean): void => {
    for (const id of order) {
      if (left === 0) return;
      const max = maxBpsById?.get(id) ?? maxBps;
      if (bumped.has(id) || (!allowAboveCap && max !== undefined && bps.get(id)! >= max)) continue;
      bps.set(id, bps.get(id)! + 1);
      bumped.add(id);
      left -= 1;
    }
  };
  bump(false);
  bump(true);
  // Unreachable by arithmetic (the fractional parts sum to fewer than `ids.length` units); kept so that a
  // future change to the rounding cannot silently publish weights that do not sum to the total.
  if (left !== 0) throw new InvalidInputError("Rounding failed to reach the total.", { details: `left: ${left}` });

  const result = new Map<string, number>();
  for (const id of weights.keys()) result.set(id, bps.get(id)!);
  return result;
}
