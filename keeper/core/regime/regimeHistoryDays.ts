import type { RegimeConfig } from "./types.js";

/**
 * How many daily closes a regime decision reads: the moving average's window plus the volatility window (so
 * a run past the band can be followed back that far), and the days the latest close may lag the decision.
 */
export function regimeHistoryDays(config: Pick<RegimeConfig, "window" | "volatilityWindow" | "maxDataAgeDays">): number {
  return config.window + config.volatilityWindow + config.maxDataAgeDays;
}
