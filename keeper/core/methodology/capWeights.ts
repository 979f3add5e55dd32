import { InfeasibleCapError, InvalidInputError } from "../errors.js";
import { compareIds } from "./compareIds.js";

export interface CapWeightsParameters {
  /** id -> market cap (USD, > 0). */
  readonly marketCaps: ReadonlyMap<string, number>;
  /** Largest weight of one asset (0.1 = 10%); omitted or null for pure market-cap weights. */
  readonly capFraction?: number | null;
  /** id -> that asset's own largest weight (tiered caps); with `capFraction` too, the smaller applies. */
  readonly capById?: ReadonlyMap<string, number>;
}

export interface CapWeightsReturnType {
  /** id -> weight as a fraction; sums to 1 (to float precision); same key order as the input. */
  readonly weights: ReadonlyMap<string, number>;
  /** Ids held at exactly the cap. */
  readonly capped: ReadonlySet<string>;
}

// Tolerance for "above the cap": a weight that equals the cap up to float noise must not be capped again,
// or an asset sitting exactly at the cap would flip between iterations.
const RELATIVE_EPSILON = 1e-12;

/**
 * Market-cap weights, each at most `capFraction`. The excess of capped assets is redistributed pro rata
 * to market cap over the uncapped ones, repeatedly, until no uncapped weight exceeds the cap: the result
 * is the unique w_i = min(cap_i, lambda x mcap_i) that sums to 1 (cap_i: the uniform cap, or the asset's own
 * tier, whichever is smaller). Throws when the caps sum to less than 1 because the weight would then have
 * nowhere to go. Sums run in id order so the result never depends on input order.
 */
export function capWeights({ marketCaps, capFraction = null, capById }: CapWeightsParameters): CapWeightsReturnType {
  const ids = [...marketCaps.keys()].sort(compareIds);
  if (ids.length === 0) throw new InvalidInputError("Cannot weight an empty set of assets.");
  for (const id of ids) {
    const cap = marketCaps.get(id)!;
    if (!(Number.isFinite(cap) && cap > 0)) throw new InvalidInputError("Market caps must be finite and positive.", { details: `${id}: ${cap}` });
  }
  if (capFraction !== null) {
    if (!(Number.isFinite(capFraction) && capFraction > 0 && capFraction <= 1)) {
      throw new InvalidInputError("Cap fraction must be in (0, 1].", { details: `capFraction: ${capFraction}` });
    }
    if (capById === undefined && capFraction * ids.length < 1 - RELATIVE_EPSILON) {
      throw new InfeasibleCapError("Cap is too small for the number of assets.", {
        details: [`capFraction: ${capFraction}`, `assets: ${ids.length}`, `needs capFraction x assets >= 1`],
      });
    }
  }
  for (const [id, cap] of capById ?? []) {
    if (!(Number.isFinite(cap) && cap > 0 && cap <= 1)) throw new InvalidInputError("Per-asset caps must be in (0, 1].", { details: `${id}: ${cap}` });
  }
  const capOf = (id: string): number | null => {
    const own = capById?.get(id);
    if (own === undefined) return capFraction;
    return capFraction === null ? own : Math.min(own, capFraction);
  };
  if (capById !== undefined) {
    const room = ids.reduce((sum, id) => sum + (capOf(id) ?? 1), 0);
    if (room < 1 - RELATIVE_EPSILON) {
      throw new InfeasibleCapError("Caps are too small for the number of assets.", { details: [`sum of caps: ${room}`, `assets: ${ids.length}`, "needs the caps to sum to >= 1"] });
    }
  }

  const capped = new Set<string>();
  let scale = 0;
  for (;;) {
    const uncapped = ids.filter((id) => !capped.has(id));
    const remaining = 1 - [...capped].reduce((sum, id) => sum + capOf(id)!, 0);
    const uncappedTotal = uncapped.reduce((sum, id) => sum + marketCaps.get(id)!, 0);
    scale = uncapped.length === 0 ? 0 : remaining / uncappedTotal;
    const newlyCapped = uncapped.filter((id) => {
      const cap = capOf(id);
      return cap !== null && marketCaps.get(id)! * scale > cap * (1 + RELATIVE_EPSILON);
    });
    if (newlyCapped.length === 0) break;
    for (const id of newlyCapped) capped.add(id);
  }

  const weights = new Map<string, number>();
  for (const id of marketCaps.keys()) weights.set(id, capped.has(id) ? capOf(id)! : marketCaps.get(id)! * scale);
  return { weights, capped };
}
