import type { Flow } from "../keeper/backtest/types.js";
import { seededRandom } from "../keeper/data/seededRandom.js";

/**
 * What the season's depositors do, day by day, as data, so that the backtest's cross-check replays exactly the
 * same flows: "launch" (the first depositor) seeds the vault on day 0, then on the Thursday of each week "b"
 * deposits $100-300k in odd weeks, "launch" redeems half of what it can redeem in cash every third week, "c"
 * deposits $500k in week 3 and takes half of its shares out in kind mid-season. The season sends b's first
 * deposit through the queue (IndexQueue: requested Thursday, settled by the keeper's Friday 00:00 run, claimed
 * then); the backtest counts it on the Friday, when the vault receives the cash (queuedSeasonFlow).
 */
export function seasonFlows(weeks: number, seed: number): Flow[] {
  const random = seededRandom(seed ^ 0x5eed);
  const flows: Flow[] = [];
  for (let day = 3; day < weeks * 7; day += 7) {
    const week = Math.floor(day / 7);
    if (week % 2 === 1) flows.push({ day, kind: "deposit", depositor: "b", amountUsd: Math.round(100_000 + 200_000 * random.next()) });
    if (week % 3 === 2) flows.push({ day, kind: "redeem-cash", depositor: "launch", fractionOfHolding: 0.5 });
    if (week === 3) flows.push({ day, kind: "deposit", depositor: "c", amountUsd: 500_000 });
    if (week === Math.max(4, Math.floor(weeks / 2))) flows.push({ day, kind: "redeem-in-kind", depositor: "c", fractionOfHolding: 0.5 });
  }
  return flows;
}

/**
 * The flow the season sends through the queue: b's first deposit. It is requested on its day and settled by the
 * keeper's next 00:00 run, so the vault receives the cash a day later, after that day's keeper run.
 */
export function queuedSeasonFlow(flows: readonly Flow[]): Flow | undefined {
  return flows.find((f) => f.kind === "deposit" && f.depositor === "b");
}
