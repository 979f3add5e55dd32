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

/** One UTC day's first reading of the vault's oracle: the series the regime falls back on in a data outage. */
export interface OracleClose {
  /** 00:00 UTC of the day, ISO 8601. */
  asOf: string;
  /** Token address (lower case) -> USD price. */
  pricesUsd: Record<string, number>;
}

export interface RegimeConfig {
  /** W: observations in each simple moving average. */
  readonly window: number;
  /**
   * The band, in units of the typical distance u = sigma x sqrt(W) of a driftless market from its W-day average
   * (sigma: the signal's daily volatility). The signal must be further than bandSigmas x u past its average.
   */
  readonly bandSigmas: number;
  /**
   * How much evidence a switch needs: the sum, over the current run of consecutive closes past the band, of how
   * far past the band each close is, in units of u. A close far past the band confirms faster than one just past it.
   */
  readonly evidenceSigmaDays: number;
  /** Daily log changes sigma is measured on (the latest ones, fewer when the history is shorter). */
  readonly volatilityWindow: number;
  /** sigma is never taken below this (bps a day): a calm spell must not shrink the band to nothing. */
  readonly minDailyVolatilityBps: number;
  /** bull -> bear needs breadth below this (bps of constituents above their own average). */
  readonly bearBreadthBps: number;
  /** bear -> bull needs breadth above this. */
  readonly bullBreadthBps: number;
  /** k: at least this many consecutive daily closes past the band, however far (one close never decides). */
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
  /**
   * The fast exit (bull -> bear only): the signal's fall from its highest close of the latest
   * fastExitLookbackDays + 1 closes, in units of sigma (the band's daily volatility), at which the index leaves at
   * once, with breadth below fastExitBreadthBps, without waiting for the 50-day average. 0 turns it off.
   */
  readonly fastExitDrawdownSigmas: number;
  readonly fastExitLookbackDays: number;
  readonly fastExitBreadthBps: number;
}

/**
 * W = 50 daily closes (about ten weeks, the classic 50-day trend filter). The band is volatility-scaled: half the
 * typical distance of a driftless market from its average (bandSigmas 0.5, sigma over 90 days, at least 2 % a
 * day), so it means the same thing in a 45 %-vol market and an 80 %-vol one; a fixed 2 % band is crossed every
 * few weeks at crypto volatility. A switch needs 1.5 units of evidence (three closes each half a u past the
 * band's edge, or fifteen closes 0.1 u past it) on at least 2 consecutive closes, with breadth 40/60 agreeing.
 * The cool-down (30 days) is a safety net. `npm run bench:regime` measures the model (bench/regime.json);
 * docs/METHODOLOGY.md says why these numbers and what they cost.
 */
export const DEFAULT_REGIME_CONFIG: RegimeConfig = Object.freeze({
  window: 50,
  bandSigmas: 0.5,
  evidenceSigmaDays: 1.5,
  volatilityWindow: 90,
  minDailyVolatilityBps: 200,
  bearBreadthBps: 4_000,
  bullBreadthBps: 6_000,
  confirmations: 2,
  minBreadthSample: 10,
  minDwellDays: 30,
  minCoverageBps: 9_000,
  maxDataAgeDays: 1,
  fastExitDrawdownSigmas: 8,
  fastExitLookbackDays: 20,
  fastExitBreadthBps: 3_000,
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
  /** Consecutive latest daily closes past the band (with breadth agreeing): the current run. */
  readonly confirmations: number;
  /** The signal's daily volatility sigma used for the band, in bps (floored at minDailyVolatilityBps). */
  readonly dailyVolatilityBps: number;
  /** The band: how far past its average the signal must be, in bps of the average (bandSigmas x sigma x sqrt(W)). */
  readonly bandBps: number;
  /** Evidence accumulated over the run, in units of u = sigma x sqrt(W); a switch needs evidenceSigmaDays. */
  readonly evidenceSigmaDays: number;
  /** When the state in force began (the last switch), if known; null otherwise. */
  readonly lastSwitchAsOf: string | null;
  /** Days of cool-down left before a switch may happen; 0 when none. */
  readonly dwellDaysLeft: number;
  /** Why the data could not decide a switch today ("" when it could): the previous state is kept. */
  readonly dataGap: string;
  /** The signal's fall from its highest close of the fast exit's lookback, in bps (0 at a high). */
  readonly drawdownBps: number;
  /** The fast exit's threshold: fastExitDrawdownSigmas x sigma, in bps; 0 when it is off. */
  readonly fastExitDrawdownBps: number;
  /** Whether this decision's switch (or the one it would make but for the cool-down) came from the fast exit. */
  readonly fastExit: boolean;
  readonly requiredConfirmations: number;
  readonly requiredEvidenceSigmaDays: number;
  readonly window: number;
  readonly bandSigmas: number;
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
