export type RegimeState = "bull" | "bear";

/** One daily observation of the market, oldest first in a history. */
export interface RegimeObservation {
  /** ISO 8601 timestamp; histories must be strictly increasing in it. */
  readonly asOf: string;
  /** The trend signal: total crypto market cap (or the screened universe's sum), in USD. */
  readonly marketCapUsd: number;
  /** id -> USD price of the constituents, for breadth. Omit to run the model on the trend alone. */
  readonly pricesUsd?: Readonly<Record<string, number>>;
}

export interface RegimeConfig {
  /** W: observations in each simple moving average. */
  readonly window: number;
  /** h: how far past its average the signal must be before a switch counts, in bps of the average. */
  readonly hysteresisBps: number;
  /** bull -> bear needs breadth below this (bps of constituents above their own average). */
  readonly bearBreadthBps: number;
  /** bear -> bull needs breadth above this. */
  readonly bullBreadthBps: number;
  /** k: consecutive observations that must all meet the switch condition. */
  readonly confirmations: number;
}

/**
 * W = 50 daily observations (about ten weeks: slow enough to ignore a week's noise, fast enough to
 * leave before most of a crypto drawdown, the classic 50-day trend filter); h = 2% and breadth 40/60
 * open a dead band around the average so the state cannot flip back and forth while the market hovers
 * near it; k = 2 days of confirmation absorbs a single-day spike or a bad data point.
 */
export const DEFAULT_REGIME_CONFIG: RegimeConfig = Object.freeze({
  window: 50,
  hysteresisBps: 200,
  bearBreadthBps: 4_000,
  bullBreadthBps: 6_000,
  confirmations: 2,
});

/** Values a source reports as the inputs of its decision; JSON-safe so the snapshot can publish them. */
export type RegimeInputs = Readonly<Record<string, string | number | boolean | null>>;

export interface RegimeDecision<TInputs extends RegimeInputs = RegimeInputs> {
  readonly state: RegimeState;
  readonly previous: RegimeState;
  readonly changed: boolean;
  readonly asOf: string;
  /** Which model decided ("moving-average", "token-metrics", ...). */
  readonly source: string;
  readonly inputs: TInputs;
}

export interface MovingAverageRegimeInputs extends RegimeInputs {
  readonly marketCapUsd: number;
  readonly movingAverageUsd: number;
  /** (signal - average) / average, in bps; negative below the average. */
  readonly distanceBps: number;
  /** Share of constituents above their own average, in bps; null when no constituent had W prices. */
  readonly breadthBps: number | null;
  /** How many constituents breadth was measured on. */
  readonly breadthSampleSize: number;
  /** Consecutive latest observations meeting the switch condition (counted up to the required number). */
  readonly confirmations: number;
  readonly requiredConfirmations: number;
  readonly window: number;
  readonly hysteresisBps: number;
  readonly bearBreadthBps: number;
  readonly bullBreadthBps: number;
}

/**
 * Anything that can decide the regime: the open moving-average model, or Token Metrics' market indicator
 * read through their API (implemented in keeper/data). `previous` is the state committed on-chain; the
 * source needs it to report `changed` and to apply its own hysteresis.
 */
export interface RegimeSource {
  readonly name: string;
  getRegime(asOf: string, previous: RegimeState): Promise<RegimeDecision>;
}
