import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_PLANNER_CONFIG, formatNumber, resolveMethodologyConfigV2, type PlannerConfig } from "../core/index.js";
import { markdownTable } from "../report/markdownTable.js";
import { bearPeriods, drawdownChartOption, timeSeriesChartOption, type ChartLine } from "../charts/index.js";
import { renderPng } from "../report/chart/renderPng.js";
import { HOP_GAS } from "../core/routing/legGasUnits.js";
import { DEFAULT_SPLIT_SLICES } from "../core/routing/splitOrder.js";
import { DEVNET_LIQUIDITY } from "./devnetLiquidityLayout.js";
import type { RunBacktestReturnType } from "./runBacktest.js";
import { spreadOf, type BacktestSummary, type FrequencyRow, type RegimeRow } from "./summarizeBacktest.js";
import type { Dataset, ExecutionModel, Frequency } from "./types.js";

export interface BacktestRun {
  /** The synthetic market's seed; undefined for a data file. */
  readonly seed?: number;
  readonly result: RunBacktestReturnType;
  readonly summary: BacktestSummary;
}

export interface WriteBacktestReportParameters {
  readonly outDir: string;
  /** The command line that reproduces the report. */
  readonly command: string;
  readonly dataset: Pick<Dataset, "source" | "survivorshipBiased" | "assets">;
  readonly execution: ExecutionModel;
  readonly planner: Partial<PlannerConfig>;
  readonly capitalUsd: number;
  readonly runs: readonly BacktestRun[];
}

const CHART_SIZE = { width: 1100, height: 560 };
const FREQUENCY_COLORS: Record<Frequency, string> = { daily: "#d62728", weekly: "#1f77b4", monthly: "#2ca02c", quarterly: "#9467bd" };

const pct = (x: number, digits = 1): string => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : "n/a");
const num = (x: number): string => (Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(1)) : "n/a");

/**
 * Writes report.md (both tables and the stated execution model), backtest.json (every figure, per run and
 * aggregated) and nav.png / drawdown.png (the first run). With several seeds every cell is "median (min to max)".
 */
export async function writeBacktestReport({ outDir, command, dataset, execution, planner, capitalUsd, runs }: WriteBacktestReportParameters): Promise<{ files: string[] }> {
  await mkdir(outDir, { recursive: true });
  const first = runs[0]!;
  const many = runs.length > 1;
  const cell = (values: number[], format: (x: number) => string): string => {
    if (!many) return format(values[0]!);
    const s = spreadOf(values);
    return Number.isNaN(s.median) ? "n/a" : `${format(s.median)} (${format(s.min)} to ${format(s.max)})`;
  };
  const rowsAt = <T>(pick: (summary: BacktestSummary) => readonly T[], i: number): T[] => runs.map((r) => pick(r.summary)[i]!);

  const frequencyTable = markdownTable(
    ["frequency", "regime", "return", "capture", "cost / yr", "of which fees", "impact", "gas", "turnover / yr", "max drawdown", "rebalances"],
    first.summary.frequencyRows.map((row, i) => {
      const rows = rowsAt((s) => s.frequencyRows, i);
      const values = (key: keyof FrequencyRow) => rows.map((r) => r[key] as number);
      return [
        row.frequency,
        row.regimeOn ? "on" : "off",
        cell(values("totalReturn"), (x) => pct(x)),
        cell(values("capture"), (x) => pct(x)),
        cell(values("annualCost"), (x) => pct(x, 2)),
        cell(values("annualFeeCost"), (x) => pct(x, 2)),
        cell(values("annualImpactCost"), (x) => pct(x, 2)),
        cell(values("annualGasCost"), (x) => pct(x, 2)),
        cell(values("annualTurnover"), (x) => pct(x, 0)),
        cell(values("maxDrawdown"), (x) => pct(x)),
        cell(values("rebalances"), num),
      ];
    }),
    ["left", "left", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
  );
  const regimeTable = markdownTable(
    ["frequency", "regime", "max drawdown", "upside capture", "downside capture", "switches", "cost per switch"],
    first.summary.regimeRows.map((row, i) => {
      const rows = rowsAt((s) => s.regimeRows, i);
      const values = (key: keyof RegimeRow) => rows.map((r) => (r[key] ?? Number.NaN) as number);
      return [
        row.frequency,
        row.regimeOn ? "on" : "off",
        cell(values("maxDrawdown"), (x) => pct(x)),
        cell(values("upsideCapture"), (x) => pct(x)),
        cell(values("downsideCapture"), (x) => pct(x)),
        cell(values("switches"), num),
        cell(values("costPerSwitch"), (x) => pct(x, 2)),
      ];
    }),
    ["left", "left", "right", "right", "right", "right", "right"],
  );

  const cfg = { ...DEFAULT_PLANNER_CONFIG, ...planner };
  const v2 = resolveMethodologyConfigV2(first.result.methodology);
  const gas = execution.gas;
  const result = first.result;
  const seeds = runs.map((r) => r.seed).filter((s): s is number => s !== undefined);
  const markdown = `# Backtest: rebalancing frequency and regime switching

Produced by \`${command}\`. Every decision is the keeper's own code (computeTargets, evaluateRegime, planRebalance,
the weekly schedule) reading the data through a point-in-time view; nothing after the simulated day can be read.

## Data

- Source: ${dataset.source}${seeds.length > 0 ? ` (seeds ${seeds.join(", ")}; tables give the median and the range over them; charts show seed ${seeds[0]})` : ""}.
- ${result.dates[0]} to ${result.dates[result.dates.length - 1]} (${first.summary.years.toFixed(2)} years), ${dataset.assets.length} assets.
- Survivorship: ${dataset.survivorshipBiased ? "**SURVIVOR-BIASED.** Every asset is still listed at the end: coins that died are missing (CoinGecko's inactive-coin list needs a paid plan), so returns are flattered." : "not survivor-biased: the data keeps assets that stop trading (or it is synthetic, where nothing was selected for surviving)."}
- Theoretical index (the same methodology rebalanced daily at zero cost, no cash buffer, no fees, regime off): ${pct(first.summary.theoreticalReturn)}${many ? ` (seed ${seeds[0]})` : ""}.

## Rebalancing frequency

capture = (1 + R) / (1 + R_theoretical). Costs and turnover are per year, as a share of the average NAV; turnover is one-way
((buys + sells) / 2). Returns are after pool fees, price impact and the management fee; gas is paid by the keeper's
account, not by the vault, so it is listed as a cost but not deducted from the NAV.

${frequencyTable}

## Regime switching

Upside (downside) capture: the portfolio's compounded return over the calendar months in which the theoretical index
rose (fell), over the index's own. A switch is one way (bull to bear or back); its cost is its fees, impact and gas as a
share of NAV.

${regimeTable}

## Execution model

- Capital ${formatNumber(capitalUsd, 0)} USD at the start, in the vault's stablecoin (6 decimals).
- Methodology (snapshot v2, as the keeper): top ${v2.constituentCount}, buffer ${v2.bufferFraction}, cap ${v2.capFraction ?? "none"}, tiered caps ${v2.tieredCaps === null ? "none" : `${v2.tieredCaps.largestCapFraction * 100} % for the ${v2.tieredCaps.largestCount} largest, ${v2.tieredCaps.otherCapFraction * 100} % for the others`}, unclassified ids ${v2.unclassified}d, at least ${v2.minHistoryDays} days of history, from the ${result.keeper.universeSize} largest assets at each decision's data cut-off (the close a day before), classified with the shipped classification; regime model window ${result.regimeConfig.window} days, band ${result.regimeConfig.bandSigmas} x the ${result.regimeConfig.volatilityWindow}-day volatility (floor ${result.regimeConfig.minDailyVolatilityBps} bps a day) x sqrt(window), evidence ${result.regimeConfig.evidenceSigmaDays} over at least ${result.regimeConfig.confirmations} closes, breadth ${result.regimeConfig.bearBreadthBps}/${result.regimeConfig.bullBreadthBps} bps, cool-down ${result.regimeConfig.minDwellDays} days.
- Schedule: daily = every day, weekly = Mondays 00:00 UTC (the keeper's schedule), monthly = the 1st, quarterly = 1 Jan/Apr/Jul/Oct; a regime switch trades the same day whatever the frequency; in bear the index holds the stablecoin. Execution lag: ${execution.executionLagDays === 0 ? "none (decisions trade at the same day's prices)" : `${execution.executionLagDays} day (targets from one day's data trade at the next day's prices)`}.
- Planner: cash buffer ${cfg.cashBufferBps} bps, trades split above ${cfg.maxImpactBps} bps of modeled impact, dust ${Number(cfg.dustAsset) / 1e6} USD or ${result.keeper.minTradeBpsOfNav} bp of NAV, ${result.keeper.maxRounds} plan-and-trade rounds (sells, then buys from the cash they raised), a fill worse than ${result.keeper.maxSlippageBps} bps against the oracle is halved up to 4 times (the vault's bound). Oracle prices at 8 decimals, as a Chainlink USD feed; an asset missing from the data keeps its last price (a held one is sold at it by the next rebalance).
- Liquidity model (${execution.liquidity}, venues ${result.venues}), calibrated on the devnet's pools (devnet/deployMarket.ts, devnet/tokenSpecs.ts, keeper/backtest/devnetLiquidityLayout.ts): each asset's liquidity is worth ${DEVNET_LIQUIDITY.liquidityShareOfMarketCap * 100} % of its market cap within ${DEVNET_LIQUIDITY.minLiquidityUsd / 1e6}M to ${DEVNET_LIQUIDITY.maxLiquidityUsd / 1e6}M USD, each V3 pool ${DEVNET_LIQUIDITY.layout.map((l) => `${l.share * 100} % ${l.band === null ? "full range" : `within +-${l.band * 100} %`}`).join(", ")}; fee tier 0.05 % for ranks 1-2, 0.3 % to rank 30, 1 % below. ${result.venues === "direct" ? "Venues: one Uniswap V3 pool per asset against the stablecoin (the default devnet and the season)." : "Venues: the devnet's realistic layout (`--liquidity realistic`), by rank in tenths: a direct stablecoin pool; two V3 fee tiers against the stablecoin (60/40); a V3 stablecoin pool with a V2 pair against WETH holding 30 %; only a WETH pool (4 in 10); a thin 1 % WETH pool of at most 2M USD; WETH/stablecoin a 300M USD 0.05 % pool at a constant WETH price."} ${execution.liquidity === "devnet" ? "Pools are minted at the prices of the run's first day (or of an asset's later listing) and never re-centred (as on the devnet), so bands fall out of range as prices move." : "Pools follow each day's market cap and are re-centred on each day's price (active LPs)."} Every order goes over the routes the keeper would use (its own route enumeration: each pool and V2 pair direct, each two-hop route via WETH) and is split as the keeper's splitOrder does (${DEFAULT_SPLIT_SLICES} slices, each to the route whose next slice returns the most after an unopened route's gas); each hop pays its fee tier on its input and fills on the constant product of the venue's active virtual reserves (L x sqrtP), which the same rebalance's earlier legs have moved; arbitrage restores each venue overnight. A leg is one vault trade (gas per trade, plus ${formatNumber(Number(HOP_GAS), 0)} per extra hop). Price impact and chunking read this model, not a chain.
- On-chain depth screen (the keeper's, issue 13): ${v2.minOnChainDepthUsd > 0 ? `on, at ${formatNumber(v2.minOnChainDepthUsd, 0)} USD within ${v2.depthBandBps / 100} % of the oracle price. No chain runs here, so each registered asset's depth (\`onChainDepthUsd\`) comes from the liquidity model at each decision's data cut-off: the stablecoin its routes trade while its price stays within the band, buys (fees included) and sells each summed over the routes, then the smaller side; the token's venues against WETH add up, capped by what the WETH/stablecoin venues take within their own band, as the live keeper counts routes via WETH. ${runs.every((r) => r.result.depthScreened.length === 0) ? `It excluded no asset on any decision day of ${many ? "any seed" : "this run"}.` : `It excluded ${first.result.depthScreened.length} asset(s) on at least one decision day${many ? ` (seed ${seeds[0]}; per seed: ${runs.map((r) => r.result.depthScreened.length).join(", ")})` : ""}: ${first.result.depthScreened.slice(0, 10).map((d) => `${d.id} (${d.days} days)`).join(", ")}${first.result.depthScreened.length > 10 ? ", ..." : ""}.`}` : "off (`--min-depth-usd 0`)."}
- Gas (${gas.source}): ${formatNumber(gas.gasPerTrade, 0)} per trade, per batch ${gas.batchFixedGas.map(([n, g]) => `${formatNumber(g, 0)} at ${n}`).join(", ")} tokens, commit ${gas.commitGas.map(([n, g]) => `${formatNumber(g, 0)} at ${n}`).join(", ")}; batches of at most ${formatNumber(gas.txGasBudget, 0)} gas; ${gas.gasPriceGwei} gwei at ${gas.nativeUsd} USD per ETH.
- Management fee ${execution.managementFeeBps} bps a year, accrued daily by minting shares as the vault does.
`;

  const json = {
    command,
    data: { source: dataset.source, survivorshipBiased: dataset.survivorshipBiased, assets: dataset.assets.length, from: result.dates[0], to: result.dates[result.dates.length - 1] },
    execution,
    planner: { ...cfg, dustAsset: cfg.dustAsset.toString(), depthAsset: undefined },
    capitalUsd,
    methodology: result.methodology,
    regimeConfig: result.regimeConfig,
    keeper: result.keeper,
    depthScreen: {
      minOnChainDepthUsd: v2.minOnChainDepthUsd,
      bandBps: v2.depthBandBps,
      source: "liquidity model (no chain): each registered asset's routes within the band at the data cut-off",
      excluded: runs.map((r) => ({ seed: r.seed, assets: r.result.depthScreened })),
    },
    runs: runs.map((r) => ({ seed: r.seed, summary: r.summary })),
    series: {
      seed: first.seed,
      dates: result.dates,
      theoretical: result.theoretical.map((v) => v / result.theoretical[0]!),
      regime: result.regimePath,
      portfolios: result.portfolios.map((p) => ({ frequency: p.frequency, regimeOn: p.regimeOn, navPerShare: p.series.map((s) => s.navPerShare), rebalances: p.rebalances })),
    },
  };
  const days = result.dates.map((date) => Date.parse(date));
  // Regime-on portfolios share one regime path: its bear spans are shaded. Rebalances differ by frequency: none marked.
  const charted = {
    widthPx: CHART_SIZE.width,
    bearPeriods: bearPeriods(days, result.regimePath),
    lines: result.portfolios.map((p): ChartLine => ({
      name: `${p.frequency}, regime ${p.regimeOn ? "on" : "off"}`,
      points: p.series.map((s, i) => [days[i]!, s.navPerShare]),
      color: FREQUENCY_COLORS[p.frequency],
      dashed: !p.regimeOn,
      width: p.regimeOn ? 1.6 : 1.2,
    })),
  };
  const theoretical: ChartLine = {
    name: "theoretical (daily, zero cost)",
    points: result.theoretical.map((v, i) => [days[i]!, v / result.theoretical[0]!]),
    color: "#333333",
    dashed: true,
    width: 1.2,
  };
  // ECharts (some 600 modules) is loaded here, when the charts are drawn, not with the backtest: `npm run backtest`
  // answers --help and refuses bad flags or data without it.
  const { renderChartSvg } = await import("../report/chart/renderChartSvg.js");
  const title = `${dataset.source}${first.seed !== undefined ? `, seed ${first.seed}` : ""}`;
  const files = [
    ["report.md", markdown],
    ["backtest.json", JSON.stringify(json, null, 2)],
    ["nav.png", await renderPng(renderChartSvg(timeSeriesChartOption({ ...charted, lines: [...charted.lines, theoretical], yName: "NAV per share", title: `NAV per share: ${title}` }), CHART_SIZE))],
    ["drawdown.png", await renderPng(renderChartSvg(drawdownChartOption({ ...charted, title: `Drawdown: ${title}` }), CHART_SIZE))],
  ] as const;
  // Each file is written whole (temp file, then rename), so an interrupted run leaves no half-written report.
  for (const [name, content] of files) {
    const file = path.join(outDir, name);
    await writeFile(`${file}.tmp`, content);
    await rename(`${file}.tmp`, file);
  }
  return { files: files.map(([name]) => path.join(outDir, name)) };
}
