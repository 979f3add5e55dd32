import { InsufficientHistoryError, InvalidInputError } from "../errors.js";
import { DEFAULT_REGIME_CONFIG, type MovingAverageRegimeInputs, type RegimeConfig, type RegimeDecision, type RegimeObservation, type RegimeState } from "./types.js";

export interface EvaluateRegimeParameters {
  /** Oldest first; at least `window` observations, `window + confirmations - 1` to be able to switch. */
  readonly history: readonly RegimeObservation[];
  /** The state in force (committed on-chain); default "bull" because the index starts invested. */
  readonly previous?: RegimeState;
  /** Ids breadth is measured on; default every id priced in the latest observation. */
  readonly constituents?: readonly string[];
  readonly config?: Partial<RegimeConfig>;
}

export type EvaluateRegimeReturnType = RegimeDecision<MovingAverageRegimeInputs>;

interface Condition {
  readonly marketCapUsd: number;
  readonly movingAverageUsd: number;
  readonly distanceBps: number;
  readonly breadthBps: number | null;
  readonly breadthSampleSize: number;
}

/**
 * The open regime model. On each observation: trend distance d = signal / SMA_W(signal) - 1, and breadth
 * = share of constituents whose price is above their own SMA_W (strictly). Both averages include the
 * observation itself.
 * - bull -> bear when d < -h and breadth < bearBreadth, on each of the last k observations;
 * - bear -> bull when d > +h and breadth > bullBreadth, on each of the last k observations.
 * A market hovering around its average meets neither condition (the dead band), so the state holds.
 * Without breadth data (no constituent has W prices) the trend decides alone.
 */
export function evaluateRegime({ history, previous = "bull", constituents, config }: EvaluateRegimeParameters): EvaluateRegimeReturnType {
  const cfg = resolveRegimeConfig(config);
  if (history.length < cfg.window) {
    throw new InsufficientHistoryError("Not enough observations for the moving average.", {
      details: [`observations: ${history.length}`, `window: ${cfg.window}`],
    });
  }
  for (let i = 0; i < history.length; i++) {
    const { asOf, marketCapUsd } = history[i]!;
    if (!(Number.isFinite(marketCapUsd) && marketCapUsd > 0)) throw new InvalidInputError("Market cap must be finite and positive.", { details: `${asOf}: ${marketCapUsd}` });
    if (i > 0 && !(history[i - 1]!.asOf < asOf)) throw new InvalidInputError("History must be strictly increasing in asOf.", { details: `${history[i - 1]!.asOf} then ${asOf}` });
  }
  const last = history.length - 1;
  const ids = constituents ?? Object.keys(history[last]!.pricesUsd ?? {});
  const switches = (condition: Condition): boolean =>
    previous === "bull"
      ? condition.distanceBps < -cfg.hysteresisBps && (condition.breadthBps === null || condition.breadthBps < cfg.bearBreadthBps)
      : condition.distanceBps > cfg.hysteresisBps && (condition.breadthBps === null || condition.breadthBps > cfg.bullBreadthBps);

  const latest = conditionAt(history, last, cfg.window, ids);
  let confirmations = 0;
  for (let end = last; end >= cfg.window - 1 && confirmations < cfg.confirmations; end--) {
    const condition = end === last ? latest : conditionAt(history, end, cfg.window, ids);
    if (!switches(condition)) break;
    confirmations++;
  }
  const changed = confirmations >= cfg.confirmations;
  const state: RegimeState = changed ? (previous === "bull" ? "bear" : "bull") : previous;
  return {
    state,
    previous,
    changed,
    asOf: history[last]!.asOf,
    source: "moving-average",
    inputs: {
      ...latest,
      confirmations,
      requiredConfirmations: cfg.confirmations,
      window: cfg.window,
      hysteresisBps: cfg.hysteresisBps,
      bearBreadthBps: cfg.bearBreadthBps,
      bullBreadthBps: cfg.bullBreadthBps,
    },
  };
}

function conditionAt(history: readonly RegimeObservation[], end: number, window: number, ids: readonly string[]): Condition {
  const start = end - window + 1;
  let sum = 0;
  for (let i = start; i <= end; i++) sum += history[i]!.marketCapUsd;
  const movingAverageUsd = sum / window;
  const marketCapUsd = history[end]!.marketCapUsd;

  let sampled = 0;
  let above = 0;
  for (const id of ids) {
    let priceSum = 0;
    let complete = true;
    for (let i = start; i <= end && complete; i++) {
      const price = history[i]!.pricesUsd?.[id];
      // A constituent without a full window (newly listed, data gap) is left out rather than guessed.
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
    distanceBps: (marketCapUsd / movingAverageUsd - 1) * 10_000,
    breadthBps: sampled === 0 ? null : (above / sampled) * 10_000,
    breadthSampleSize: sampled,
  };
}

function resolveRegimeConfig(config: Partial<RegimeConfig> = {}): RegimeConfig {
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const cfg: RegimeConfig = { ...DEFAULT_REGIME_CONFIG, ...defined };
  const problems: string[] = [];
  if (!Number.isSafeInteger(cfg.window) || cfg.window < 1) problems.push(`window: ${cfg.window} (a positive integer)`);
  if (!Number.isSafeInteger(cfg.confirmations) || cfg.confirmations < 1) problems.push(`confirmations: ${cfg.confirmations} (a positive integer)`);
  if (!(Number.isFinite(cfg.hysteresisBps) && cfg.hysteresisBps >= 0)) problems.push(`hysteresisBps: ${cfg.hysteresisBps} (>= 0)`);
  if (!(cfg.bearBreadthBps >= 0 && cfg.bearBreadthBps <= cfg.bullBreadthBps && cfg.bullBreadthBps <= 10_000)) {
    problems.push(`bearBreadthBps ${cfg.bearBreadthBps} <= bullBreadthBps ${cfg.bullBreadthBps} within [0, 10000]`);
  }
  if (problems.length > 0) throw new InvalidInputError("Invalid regime configuration.", { details: problems });
  return cfg;
}
