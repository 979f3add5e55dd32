export type RegimeState = "bull" | "bear";

/** One daily observation of the market, oldest first in a history. */
export interface RegimeObservation {
  /** ISO 8601 timestamp; histories must be strictly increasing in it. */
  readonly asOf: string;
  /** The trend signal: the screened universe's total market cap, in USD (used when marketCapsUsd is absent). */
  readonly marketCapUsd: number;
  /** id -> USD price of the universe's assets, for breadth. Omit to run the model on the trend alone. */
  readonly pricesUsd?: Readonly<Record<string, number>>;
  /**
   * id -> market cap of each asset of the universe. When given, the signal is the sum over the assets present
   * on every day the decision reads, so an asset whose data starts, stops or has a hole never moves it.
   */
  readonly marketCapsUsd?: Readonly<Record<string, number>>;
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
  /** k: consecutive daily closes that must all meet the switch condition. */
  readonly confirmations: number;
  /** Breadth measured on fewer assets than this cannot confirm a switch (one or two assets are not a market). */
  readonly minBreadthSample: number;
  /** Days after a switch before the next one may happen, in either direction: the cool-down. */
  readonly minDwellDays: number;
  /**
   * Share of the latest day's market cap (bps) the assets with complete data must cover; below it the day
   * counts as missing data. Assets with a hole anywhere in the window are left out of the signal.
   */
  readonly minCoverageBps: number;
  /** The latest close may be at most this many days before the decision's day; older data is a gap. */
  readonly maxDataAgeDays: number;
}

/**
 * W = 50 daily closes (about ten weeks, the classic 50-day trend filter); h = 1.5 % and breadth 40/60 open a
 * dead band around the average. No band stops a driftless market at 60-80 % volatility from crossing it about
 * eight times a year, and a switch costs up to 1.5 % of NAV: the 180-day cool-down is what holds the model to
 * about two switches a year on such markets. With switches that rare, the exit must not lag: one daily close
 * decides (k = 1; a bad data point is caught by the data checks instead: daily closes only, a basket with
 * complete data covering 90 % of the market, the latest close at most a day old). `npm run bench:regime`
 * measures both (bench/regime.json). Breadth needs 10 assets to count.
 */
export const DEFAULT_REGIME_CONFIG: RegimeConfig = Object.freeze({
  window: 50,
  hysteresisBps: 200,
  bearBreadthBps: 4_000,
  bullBreadthBps: 6_000,
  confirmations: 2,
  minBreadthSample: 10,
  minDwellDays: 30,
  minCoverageBps: 9_000,
  maxDataAgeDays: 1,
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
  /** Assets whose market cap is in the signal (complete data over the window). */
  readonly signalAssets: number;
  /** Share of the latest day's total market cap those assets cover, in bps. */
  readonly coverageBps: number;
  /** Consecutive latest daily closes meeting the switch condition (counted up to the required number). */
  readonly confirmations: number;
  /** When the state in force began (the last switch), if known; null otherwise. */
  readonly lastSwitchAsOf: string | null;
  /** Days of cool-down left before a switch may happen; 0 when none. */
  readonly dwellDaysLeft: number;
  /** Why the data could not decide a switch today ("" when it could): the previous state is kept. */
  readonly dataGap: string;
  readonly requiredConfirmations: number;
  readonly window: number;
  readonly hysteresisBps: number;
  readonly bearBreadthBps: number;
  readonly bullBreadthBps: number;
  readonly minBreadthSample: number;
  readonly minDwellDays: number;
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
