/**
 * The bear spans of a daily regime path, as [from, to] times in ms: from the first bear day to the first day after
 * the run (or the last day, when the path ends bearish), so the shading ends where the regime switched back.
 */
export function bearPeriods(daysMs: readonly number[], regimes: readonly string[]): [number, number][] {
  const periods: [number, number][] = [];
  let start: number | null = null;
  regimes.forEach((regime, i) => {
    if (regime === "bear" && start === null) start = daysMs[i]!;
    if (start !== null && (regime !== "bear" || i === regimes.length - 1)) {
      periods.push([start, daysMs[i]!]);
      start = null;
    }
  });
  return periods;
}
