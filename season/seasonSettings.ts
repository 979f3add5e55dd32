// The season's market phases, warm-up and index size, apart from runSeason.ts so that the backtest (and its
// command line, `npm run backtest`) reads them without loading the chain stack (Hardhat, the contracts' bindings).
import { DEFAULT_REGIME_CONFIG, regimeHistoryDays } from "../keeper/core/index.js";
import type { MarketPhase } from "../keeper/data/syntheticMarket.js";

/**
 * A bull run, a bear market deep and long enough for the trend filter to switch to stablecoins, then a
 * recovery that switches back: the default season shows both regime switches.
 */
export const SEASON_PHASES: readonly MarketPhase[] = [
  { days: 56, driftAnnual: 1.0, volatilityAnnual: 0.45 },
  { days: 42, driftAnnual: -3.0, volatilityAnnual: 0.55 },
  { days: 120, driftAnnual: 2.2, volatilityAnnual: 0.45 },
];
/**
 * Days of made-up history before day 0, so the regime model reads a full history (its moving average and its
 * volatility window) from the first day, on the chain and in the backtest alike.
 */
export const SEASON_WARM_UP_DAYS = regimeHistoryDays(DEFAULT_REGIME_CONFIG) + 10;

/** The season's index: two thirds of the market's tokens (at least 1, at most the vault's 100), so some wait outside it. */
export function seasonConstituentCount(tokens: number): number {
  return Math.min(100, Math.max(1, Math.round(tokens * 0.67)));
}
