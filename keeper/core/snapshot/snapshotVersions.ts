/**
 * The snapshot formats this code derives targets from. The audit re-derives old epochs with today's code, so
 * a snapshot whose version is not listed is refused rather than read with rules it was not written for.
 */
export const SNAPSHOT_VERSIONS: readonly number[] = Object.freeze([1, 2]);
