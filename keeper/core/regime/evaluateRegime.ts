import { InsufficientHistoryError, InvalidInputError } from "../errors.js";
import { DEFAULT_REGIME_CONFIG, type MovingAverageRegimeInputs, type RegimeConfig, type RegimeDecision, type RegimeObservation, type RegimeState } from "./types.js";

export interface EvaluateRegimeParameters {
  /** Oldest first; at least `window` daily closes, `window + confirmations - 1` to be able to switch; regimeHistoryDays(config) to read the whole run and volatility window. */
  readonly history: readonly RegimeObservation[];
  /** The state in force (committed on-chain); default "bull" because the index starts invested. */
  readonly previous?: RegimeState;
  /** When the state in force began (its switch), for the cool-down; null or absent when unknown. */
  readonly lastSwitchAsOf?: string | null;
  /** The day the decision is for; default the latest observation's. Data older than maxDataAgeDays is a gap. */
  readonly asOf?: string;
  /** Ids breadth is measured on; default every id priced in the latest observation. */
  readonly constituents?: readonly string[];
  readonly config?: Partial<RegimeConfig>;
}

export type EvaluateRegimeReturnType = RegimeDecision<MovingAverageRegimeInputs>;

type Condition = Pick<MovingAverageRegimeInputs, "marketCapUsd" | "movingAverageUsd" | "distanceBps" | "breadthBps" | "breadthSampleSize">;

const DAY_MS = 86_400_000;

/**
 * The open regime model, on daily closes (the first observation of each UTC day; an intraday point later
 * that day is ignored). Signal S = the screened universe's total market cap, summed over the assets with
 * data on every day read, so an asset whose chart starts, stops or has a hole cannot move it. On each
 * close: trend distance d = S / SMA_W(S) - 1, and breadth = share of assets whose price is above their own
 * SMA_W (strictly). Both averages include the close itself.
 * - The band is volatility-scaled: sigma = the standard deviation of S's latest daily log changes (at most
 *   volatilityWindow, at least minDailyVolatilityBps), u = sigma x sqrt(W) (how far a driftless market
 *   typically strays from its W-day average), band = bandSigmas x u.
 * - The run: the latest consecutive closes past the band in the direction of a switch (bull: d < -band and
 *   breadth < bearBreadth; bear: d > +band and breadth > bullBreadth). Its evidence = the sum over the run of
 *   (|d| - band) / u, so the confirmation a switch needs shrinks as the signal moves further past the band.
 * - A switch needs a run of at least k closes and evidence of at least evidenceSigmaDays;
 * - no switch within minDwellDays of the last one (the cool-down), whatever the signal says;
 * - breadth measured on fewer than minBreadthSample assets confirms nothing (without any price data the
 *   trend decides alone);
 * - a day with missing data (the latest close older than maxDataAgeDays, the assets with complete data
 *   covering less than minCoverageBps of the market, a missing day inside the run) never decides a switch:
 *   the previous state is kept and `dataGap` says why.
 * A market inside the band meets neither condition, so the state holds.
 */
export function evaluateRegime({ history: observations, previous = "bull", lastSwitchAsOf = null, asOf, constituents, config }: EvaluateRegimeParameters): EvaluateRegimeReturnType {
  const cfg = resolveRegimeConfig(config);
  for (let i = 0; i < observations.length; i++) {
    const { asOf: at, marketCapUsd } = observations[i]!;
    if (!(Number.isFinite(marketCapUsd) && marketCapUsd > 0)) throw new InvalidInputError("Market cap must be finite and positive.", { details: `${at}: ${marketCapUsd}` });
    if (i > 0 && !(observations[i - 1]!.asOf < at)) throw new InvalidInputError("History must be strictly increasing in asOf.", { details: `${observations[i - 1]!.asOf} then ${at}` });
  }
  const history = dailyCloses(observations);
  if (history.length < cfg.window) {
    throw new InsufficientHistoryError("Not enough daily closes for the moving average.", {
      details: [`daily closes: ${history.length}`, `window: ${cfg.window}`],
    });
  }
  const last = history.length - 1;
  const decisionDay = dayOf(asOf ?? history[last]!.asOf);
  if (Number.isNaN(decisionDay)) throw new InvalidInputError("asOf is not a date.", { details: `asOf: ${asOf}` });
  const ids = constituents ?? Object.keys(history[last]!.pricesUsd ?? {});

  const { signal, assets: signalAssets, coverageBps } = signalSeries(history);
  const dailyVolatilityBps = Math.max(cfg.minDailyVolatilityBps, dailyVolatility(signal, cfg.volatilityWindow) * 10_000);
  const typicalDistanceBps = dailyVolatilityBps * Math.sqrt(cfg.window);
  const bandBps = cfg.bandSigmas * typicalDistanceBps;
  const conditionAt = (end: number): Condition => condition(history, signal, end, cfg.window, ids);
  const breadthOk = (c: Condition): boolean => ids.length === 0 || c.breadthSampleSize >= cfg.minBreadthSample;
  // How far past the band the close is, towards a switch from `previous` (negative when it is not past it).
  const beyondBand = (c: Condition): number => (previous === "bull" ? -c.distanceBps : c.distanceBps) - bandBps;
  const breadthAgrees = (c: Condition): boolean =>
    breadthOk(c) && (c.breadthBps === null || (previous === "bull" ? c.breadthBps < cfg.bearBreadthBps : c.breadthBps > cfg.bullBreadthBps));

  const latest = conditionAt(last);
  let confirmations = 0;
  let evidence = 0;
  let brokenByGap = false;
  for (let end = last; end >= cfg.window - 1; end--) {
    if (end < last && dayOf(history[end + 1]!.asOf) - dayOf(history[end]!.asOf) !== 1) {
      brokenByGap = true;
      break;
    }
    const c = end === last ? latest : conditionAt(end);
    const past = beyondBand(c);
    if (!(past > 0 && breadthAgrees(c))) break;
    confirmations++;
    evidence += past / typicalDistanceBps;
  }

  const ageDays = decisionDay - dayOf(history[last]!.asOf);
  const gaps: string[] = [];
  if (ageDays > cfg.maxDataAgeDays) gaps.push(`the latest daily close is ${ageDays} days old (at most ${cfg.maxDataAgeDays})`);
  if (coverageBps < cfg.minCoverageBps) gaps.push(`assets with complete data cover ${(coverageBps / 100).toFixed(1)} % of the market (at least ${cfg.minCoverageBps / 100} %)`);
  if (brokenByGap) gaps.push("a day is missing inside the run past the band");
  if (ids.length > 0 && !breadthOk(latest)) gaps.push(`breadth measured on ${latest.breadthSampleSize} assets (at least ${cfg.minBreadthSample})`);
  const dataGap = gaps.join("; ");
  const switchDay = lastSwitchAsOf === null ? NaN : dayOf(lastSwitchAsOf);
  const dwellDaysLeft = Number.isNaN(switchDay) ? 0 : Math.max(0, cfg.minDwellDays - (decisionDay - switchDay));

  // The fast exit: a fall from the recent high far beyond what the market's own volatility makes of a few weeks,
  // with most assets below their averages, leaves without waiting for the 50-day average to turn.
  const lookbackStart = Math.max(0, last - cfg.fastExitLookbackDays);
  let high = signal[last]!;
  let lookbackComplete = true;
  for (let i = lookbackStart; i < last; i++) {
    high = Math.max(high, signal[i]!);
    if (dayOf(history[i + 1]!.asOf) - dayOf(history[i]!.asOf) !== 1) lookbackComplete = false;
  }
  const drawdownBps = high > 0 ? (1 - signal[last]! / high) * 10_000 : 0;
  const fastExitDrawdownBps = cfg.fastExitDrawdownSigmas * dailyVolatilityBps;
  const fastExit =
    previous === "bull" &&
    cfg.fastExitDrawdownSigmas > 0 &&
    lookbackComplete &&
    drawdownBps >= fastExitDrawdownBps &&
    breadthOk(latest) &&
    latest.breadthBps !== null &&
    latest.breadthBps < cfg.fastExitBreadthBps;
  const confirmed = confirmations >= cfg.confirmations && evidence >= cfg.evidenceSigmaDays;
  const changed = (confirmed || fastExit) && dataGap === "" && dwellDaysLeft === 0;
  const state: RegimeState = changed ? (previous === "bull" ? "bear" : "bull") : previous;
  return {
    state,
    previous,
    changed,
    asOf: asOf ?? history[last]!.asOf,
    source: "moving-average",
    inputs: {
      ...latest,
      signalAssets,
      coverageBps,
      dailyVolatilityBps,
      bandBps,
      confirmations,
      evidenceSigmaDays: evidence,
      requiredConfirmations: cfg.confirmations,
      requiredEvidenceSigmaDays: cfg.evidenceSigmaDays,
      lastSwitchAsOf,
      dwellDaysLeft,
      dataGap,
      drawdownBps,
      fastExitDrawdownBps,
      fastExit: fastExit && !confirmed,
      window: cfg.window,
      bandSigmas: cfg.bandSigmas,
      bearBreadthBps: cfg.bearBreadthBps,
      bullBreadthBps: cfg.bullBreadthBps,
      minBreadthSample: cfg.minBreadthSample,
      minDwellDays: cfg.minDwellDays,
    },
  };
}

function dayOf(iso: string): number {
  return Math.floor(Date.parse(iso) / DAY_MS);
}

/** The first observation of each UTC day: the day's close as daily charts publish it; later intraday points are dropped. */
function dailyCloses(observations: readonly RegimeObservation[]): RegimeObservation[] {
  const closes: RegimeObservation[] = [];
  for (const o of observations) {
    if (closes.length > 0 && dayOf(closes[closes.length - 1]!.asOf) === dayOf(o.asOf)) continue;
    closes.push(o);
  }
  return closes;
}

/**
 * The signal on every close: the sum of the market caps of the assets present on every close read, or the
 * given totals when the observations carry no per-asset caps.
 */
function signalSeries(history: readonly RegimeObservation[]): { signal: number[]; assets: number; coverageBps: number } {
  const last = history[history.length - 1]!;
  if (last.marketCapsUsd === undefined) return { signal: history.map((o) => o.marketCapUsd), assets: 0, coverageBps: 10_000 };
  const valid = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
  const basket = Object.keys(last.marketCapsUsd).sort().filter((id) => history.every((o) => valid(o.marketCapsUsd?.[id])));
  const signal = history.map((o) => basket.reduce((sum, id) => sum + (o.marketCapsUsd?.[id] ?? 0), 0));
  // The market the signal should cover: every asset seen in the span at its latest known cap, so an asset
  // whose chart stops short still counts against the coverage instead of silently leaving the market.
  const latestCap = new Map<string, number>();
  for (const o of history) for (const [id, v] of Object.entries(o.marketCapsUsd ?? {})) if (valid(v)) latestCap.set(id, v);
  const total = [...latestCap.values()].reduce((sum, v) => sum + v, 0);
  return { signal, assets: basket.length, coverageBps: total > 0 ? Math.round((signal[signal.length - 1]! / total) * 10_000) : 0 };
}

/** The standard deviation of the latest `window` daily log changes of the signal (0 with fewer than two). */
function dailyVolatility(signal: readonly number[], window: number): number {
  const changes: number[] = [];
  // A signal of 0 (no asset with data on every close) has no change to measure: log(0 / 0) is left out, not NaN.
  for (let i = Math.max(1, signal.length - window); i < signal.length; i++) if (signal[i]! > 0 && signal[i - 1]! > 0) changes.push(Math.log(signal[i]! / signal[i - 1]!));
  if (changes.length < 2) return 0;
  const mean = changes.reduce((sum, x) => sum + x, 0) / changes.length;
  return Math.sqrt(changes.reduce((sum, x) => sum + (x - mean) ** 2, 0) / changes.length);
}

function condition(history: readonly RegimeObservation[], signal: readonly number[], end: number, window: number, ids: readonly string[]): Condition {
  const start = end - window + 1;
  let sum = 0;
  for (let i = start; i <= end; i++) sum += signal[i]!;
  const movingAverageUsd = sum / window;
  const marketCapUsd = signal[end]!;

  let sampled = 0;
  let above = 0;
  for (const id of ids) {
    let priceSum = 0;
    let complete = true;
    for (let i = start; i <= end && complete; i++) {
      const price = history[i]!.pricesUsd?.[id];
      // An asset without a full window (newly listed, data gap) is left out rather than guessed.
      if (price === undefined || !(Number.isFinite(price) && price > 0)) complete = false;
      else priceSum += price;
    }
    if (!complete) continue;
    sampled++;
    if (history[end]!.pricesUsd![id]! > priceSum / window) above++;
  }
  return {
    marketCapUsd,
    movingAverageUsd,
    distanceBps: movingAverageUsd > 0 ? (marketCapUsd / movingAverageUsd - 1) * 10_000 : 0,
    breadthBps: sampled === 0 ? null : (above / sampled) * 10_000,
    breadthSampleSize: sampled,
  };
}

function resolveRegimeConfig(config: Partial<RegimeConfig> = {}): RegimeConfig {
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const cfg: RegimeConfig = { ...DEFAULT_REGIME_CONFIG, ...defined };
  const problems: string[] = [];
  const nonNegativeInt = (value: number) => Number.isSafeInteger(value) && value >= 0;
  if (!Number.isSafeInteger(cfg.window) || cfg.window < 1) problems.push(`window: ${cfg.window} (a positive integer)`);
  if (!Number.isSafeInteger(cfg.confirmations) || cfg.confirmations < 1) problems.push(`confirmations: ${cfg.confirmations} (a positive integer)`);
  if (!(Number.isFinite(cfg.bandSigmas) && cfg.bandSigmas >= 0)) problems.push(`bandSigmas: ${cfg.bandSigmas} (>= 0)`);
  if (!(Number.isFinite(cfg.evidenceSigmaDays) && cfg.evidenceSigmaDays >= 0)) problems.push(`evidenceSigmaDays: ${cfg.evidenceSigmaDays} (>= 0)`);
  if (!Number.isSafeInteger(cfg.volatilityWindow) || cfg.volatilityWindow < 2) problems.push(`volatilityWindow: ${cfg.volatilityWindow} (an integer >= 2)`);
  if (!(Number.isFinite(cfg.minDailyVolatilityBps) && cfg.minDailyVolatilityBps > 0)) problems.push(`minDailyVolatilityBps: ${cfg.minDailyVolatilityBps} (> 0)`);
  if (!(cfg.bearBreadthBps >= 0 && cfg.bearBreadthBps <= cfg.bullBreadthBps && cfg.bullBreadthBps <= 10_000)) {
    problems.push(`bearBreadthBps ${cfg.bearBreadthBps} <= bullBreadthBps ${cfg.bullBreadthBps} within [0, 10000]`);
  }
  if (!nonNegativeInt(cfg.minBreadthSample)) problems.push(`minBreadthSample: ${cfg.minBreadthSample} (an integer >= 0)`);
  if (!nonNegativeInt(cfg.minDwellDays)) problems.push(`minDwellDays: ${cfg.minDwellDays} (an integer >= 0)`);
  if (!(nonNegativeInt(cfg.minCoverageBps) && cfg.minCoverageBps <= 10_000)) problems.push(`minCoverageBps: ${cfg.minCoverageBps} (an integer in [0, 10000])`);
  if (!nonNegativeInt(cfg.maxDataAgeDays)) problems.push(`maxDataAgeDays: ${cfg.maxDataAgeDays} (an integer >= 0)`);
  if (!(Number.isFinite(cfg.fastExitDrawdownSigmas) && cfg.fastExitDrawdownSigmas >= 0)) problems.push(`fastExitDrawdownSigmas: ${cfg.fastExitDrawdownSigmas} (>= 0; 0 turns it off)`);
  if (!Number.isSafeInteger(cfg.fastExitLookbackDays) || cfg.fastExitLookbackDays < 1) problems.push(`fastExitLookbackDays: ${cfg.fastExitLookbackDays} (a positive integer)`);
  if (!(nonNegativeInt(cfg.fastExitBreadthBps) && cfg.fastExitBreadthBps <= 10_000)) problems.push(`fastExitBreadthBps: ${cfg.fastExitBreadthBps} (an integer in [0, 10000])`);
  if (problems.length > 0) throw new InvalidInputError("Invalid regime configuration.", { details: problems });
  return cfg;
}
