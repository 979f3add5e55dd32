import { medianOfSorted } from "../core/stats/medianOfSorted.js";
import { maxDrawdown } from "../report/maxDrawdown.js";
import type { PortfolioResult, RunBacktestReturnType } from "./runBacktest.js";
import type { Frequency } from "./types.js";

/** One row of the frequency table, for one portfolio of one run. */
export interface FrequencyRow {
  readonly frequency: Frequency;
  readonly regimeOn: boolean;
  /** NAV per share at the end / at the start - 1 (after pool fees, impact and the management fee; gas is the keeper's). */
  readonly totalReturn: number;
  readonly annualReturn: number;
  /** (1 + R) / (1 + R_theoretical). */
  readonly capture: number;
  /** Each cost per year as a fraction of the average NAV. */
  readonly annualFeeCost: number;
  readonly annualImpactCost: number;
  readonly annualGasCost: number;
  readonly annualCost: number;
  /** One-way turnover a year: (buys + sells) / 2 / average NAV. */
  readonly annualTurnover: number;
  readonly maxDrawdown: number;
  readonly rebalances: number;
  readonly trades: number;
}

/** One row of the regime table: the regime model on or off at one frequency. */
export interface RegimeRow {
  readonly frequency: Frequency;
  readonly regimeOn: boolean;
  readonly maxDrawdown: number;
  /** Compounded return over the months the theoretical index rose, over the index's own over them. */
  readonly upsideCapture: number;
  /** The same over the months it fell (lower is better). */
  readonly downsideCapture: number;
  /** One-way switches (bull -> bear or bear -> bull). */
  readonly switches: number;
  /** Mean cost of one one-way switch (fees + impact + gas) as a fraction of NAV; null without switches. */
  readonly costPerSwitch: number | null;
}

export interface BacktestSummary {
  readonly from: string;
  readonly to: string;
  readonly years: number;
  readonly theoreticalReturn: number;
  readonly frequencyRows: readonly FrequencyRow[];
  readonly regimeRows: readonly RegimeRow[];
}

/** The frequency and regime tables of one run. */
export function summarizeBacktest(result: RunBacktestReturnType): BacktestSummary {
  const { dates, theoretical, portfolios } = result;
  const years = (dates.length - 1) / 365;
  const theoreticalReturn = theoretical[theoretical.length - 1]! / theoretical[0]! - 1;
  const months = monthEnds(dates);
  const frequencyRows = portfolios.map((p): FrequencyRow => {
    const totalReturn = p.series[p.series.length - 1]!.navPerShare - 1;
    const averageNav = p.series.reduce((sum, point) => sum + point.navUsd, 0) / p.series.length;
    const perYear = (usd: number): number => usd / averageNav / years;
    return {
      frequency: p.frequency,
      regimeOn: p.regimeOn,
      totalReturn,
      annualReturn: (1 + totalReturn) ** (1 / years) - 1,
      capture: (1 + totalReturn) / (1 + theoreticalReturn),
      annualFeeCost: perYear(p.feeUsd),
      annualImpactCost: perYear(p.impactUsd),
      annualGasCost: perYear(p.gasUsd),
      annualCost: perYear(p.feeUsd + p.impactUsd + p.gasUsd),
      annualTurnover: perYear(p.tradedUsd / 2),
      maxDrawdown: maxDrawdown(p.series.map((point) => point.navPerShare)),
      rebalances: p.rebalances.length,
      trades: p.trades,
    };
  });
  const regimeRows = portfolios.map((p): RegimeRow => {
    const switches = p.rebalances.filter((r) => r.kind === "switch-to-bear" || r.kind === "switch-to-bull");
    return {
      frequency: p.frequency,
      regimeOn: p.regimeOn,
      maxDrawdown: maxDrawdown(p.series.map((point) => point.navPerShare)),
      upsideCapture: periodCapture(p, theoretical, months, (r) => r > 0),
      downsideCapture: periodCapture(p, theoretical, months, (r) => r < 0),
      switches: switches.length,
      costPerSwitch: switches.length === 0 ? null : switches.reduce((sum, r) => sum + (r.feeUsd + r.impactUsd + r.gasUsd) / r.navUsd, 0) / switches.length,
    };
  });
  return { from: dates[0]!, to: dates[dates.length - 1]!, years, theoreticalReturn, frequencyRows, regimeRows };
}

/** Indices of the last day of each calendar month (and of the run), the first day opening the first month. */
function monthEnds(dates: readonly string[]): number[] {
  const ends = [0];
  for (let i = 1; i < dates.length; i++) if (i === dates.length - 1 || dates[i]!.slice(0, 7) !== dates[i + 1]!.slice(0, 7)) ends.push(i);
  return ends;
}

function periodCapture(p: PortfolioResult, theoretical: readonly number[], ends: readonly number[], selects: (indexReturn: number) => boolean): number {
  let portfolio = 1;
  let index = 1;
  for (let k = 1; k < ends.length; k++) {
    const [a, b] = [ends[k - 1]!, ends[k]!];
    const indexReturn = theoretical[b]! / theoretical[a]! - 1;
    if (!selects(indexReturn)) continue;
    index *= 1 + indexReturn;
    portfolio *= p.series[b]!.navPerShare / p.series[a]!.navPerShare;
  }
  return index === 1 ? Number.NaN : (portfolio - 1) / (index - 1);
}

/** Median and range of each numeric field over runs (seeds), row by row. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: medianOfSorted(finite), min: finite[0]!, max: finite[finite.length - 1]! };
}
