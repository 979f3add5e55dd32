import { readFileSync } from "node:fs";
import { gasModelFromBench } from "../keeper/backtest/gasModel.js";
import { runBacktest, type PortfolioResult } from "../keeper/backtest/runBacktest.js";
import { syntheticDataset } from "../keeper/backtest/syntheticDataset.js";
import type { SeriesPoint } from "../keeper/report/types.js";
import { DEVNET_VAULT_SETTINGS } from "../devnet/deployVault.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS, seasonConstituentCount } from "./seasonSettings.js";
import { queuedSeasonFlow, seasonFlows } from "./seasonFlows.js";
import type { Flow } from "../keeper/backtest/types.js";
import { backtestSyntheticAssets } from "../devnet/backtestSyntheticAssets.js";

export interface BacktestSeasonParameters {
  readonly weeks: number;
  readonly tokens: number;
  readonly seed: number;
  /** The season's day 0 (a Monday), YYYY-MM-DD: `npm start` takes it from the chain's clock. */
  readonly startDate: string;
}

/**
 * The backtest of exactly what `npm start` runs: the same seeded market from the same day, the devnet vault's
 * fees, the season's planner setting and constituent count, its depositors' flows, weekly with the regime
 * model on, on pools modelled as the devnet mints them.
 */
export function backtestSeason({ weeks, tokens, seed, startDate }: BacktestSeasonParameters): PortfolioResult {
  const specs = backtestSyntheticAssets(tokens, seed);
  const days = weeks * 7;
  const dataset = syntheticDataset({ seed, assets: specs.assets, days, phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, startIso: `${startDate}T00:00:00.000Z`, registry: specs.registry, decimals: specs.decimals });
  const bench = JSON.parse(readFileSync(new URL("../bench/gas.json", import.meta.url), "utf8")) as Record<string, unknown>;
  const result = runBacktest({
    dataset,
    fromDay: SEASON_WARM_UP_DAYS,
    toDay: SEASON_WARM_UP_DAYS + days - 1,
    frequencies: ["weekly"],
    regimes: [true],
    methodology: { constituentCount: seasonConstituentCount(tokens) },
    keeper: { maxSlippageBps: DEVNET_VAULT_SETTINGS.maxSlippageBps },
    execution: { liquidity: "devnet", gas: gasModelFromBench({ bench, gasPriceGwei: 10, nativeUsd: 3000 }), managementFeeBps: DEVNET_VAULT_SETTINGS.managementFeeBps, executionLagDays: 0 },
    capitalUsd: 1_000_000,
    entryFeeBps: DEVNET_VAULT_SETTINGS.entryFeeBps,
    exitFeeBps: DEVNET_VAULT_SETTINGS.exitFeeBps,
    flows: settledFlows(seasonFlows(weeks, seed)),
  });
  return result.portfolios[0]!;
}

/** The season's flows on the days the vault receives them: the queued deposit on its settlement day, a day late. */
function settledFlows(flows: Flow[]): Flow[] {
  const queued = queuedSeasonFlow(flows);
  return flows.map((f) => (f === queued ? { ...f, day: f.day + 1 } : f));
}

export interface SeasonGap {
  /** |backtest / season - 1| of the final NAV per share, in bps. */
  readonly finalBps: number;
  /** The largest daily |backtest / season - 1|, in bps, and its day. */
  readonly maxDailyBps: number;
  readonly maxDailyDate: string;
  readonly days: number;
}

/** How far the backtest's NAV per share path is from the season's, day by day (both start at 1). */
export function seasonGap(season: readonly SeriesPoint[], backtest: PortfolioResult): SeasonGap {
  const byDate = new Map(backtest.series.map((p) => [p.date, p.navPerShare]));
  let maxDailyBps = 0;
  let maxDailyDate = season[0]!.date;
  for (const point of season) {
    const modelled = byDate.get(point.date);
    if (modelled === undefined) throw new Error(`the backtest has no day ${point.date}: the season and the backtest must start on the same day`);
    const gap = Math.abs(modelled / point.navPerShare - 1) * 10_000;
    if (gap > maxDailyBps) [maxDailyBps, maxDailyDate] = [gap, point.date];
  }
  const last = season[season.length - 1]!;
  return { finalBps: Math.abs(byDate.get(last.date)! / last.navPerShare - 1) * 10_000, maxDailyBps, maxDailyDate, days: season.length };
}
