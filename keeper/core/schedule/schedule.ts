const DAY_MS = 86_400_000;

/**
 * An epoch is the unix time, in seconds, of the moment its targets describe. The keeper only ever passes a
 * scheduled moment: Monday 00:00 UTC for a weekly rebalance, the day's 00:00 UTC for a regime switch. So the
 * epoch is strictly increasing, a restarted run computes the same one (and finds it committed), and an
 * auditor reads the date off the number.
 */
export function epochFor(asOf: Date): bigint {
  return BigInt(Math.floor(asOf.getTime() / 1000));
}

/** The last Monday 00:00 UTC at or before `now`. */
export function lastWeeklyRebalance(now: Date): Date {
  const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const weekday = new Date(midnight).getUTCDay(); // 0 = Sunday, 1 = Monday
  return new Date(midnight - ((weekday + 6) % 7) * DAY_MS);
}

/** The first Monday 00:00 UTC strictly after `now`. */
export function nextWeeklyRebalance(now: Date): Date {
  return new Date(lastWeeklyRebalance(now).getTime() + 7 * DAY_MS);
}

/** 00:00 UTC of `now`'s day: the as-of time of a daily regime check. */
export function startOfDay(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/**
 * The data cut-off of the snapshot for an epoch: the daily close a full day before it (Sunday 00:00 UTC for
 * a Monday epoch). Fixed per epoch, so the Sunday-noon notice, the Monday run and a later catch-up build the
 * same snapshot, and the close is final at every one of them.
 */
export function dataCutoffFor(epochAsOf: Date): Date {
  return new Date(startOfDay(epochAsOf).getTime() - DAY_MS);
}
