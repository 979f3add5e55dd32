/**
 * The largest fall from a running peak, as a fraction of that peak: 0.25 means the series once stood 25% below
 * the highest value it had reached before. 0 for an empty, single-point or never-falling series.
 * Values must be positive (a NAV, a price, an index level); a peak of zero or less has no relative fall.
 */
export function maxDrawdown(values: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const value of values) {
    if (value > peak) peak = value;
    else if (peak > 0) worst = Math.max(worst, (peak - value) / peak);
  }
  return worst;
}
