import { expect } from "chai";
import { readFileSync } from "node:fs";
import { computeTargets } from "../../../keeper/core/index.js";
import { gasModelFromBench } from "../../../keeper/backtest/gasModel.js";
import { parseDataset } from "../../../keeper/backtest/parseDataset.js";
import { createPointInTimeView, LookAheadError } from "../../../keeper/backtest/pointInTimeView.js";
import { isScheduled, runBacktest, type RunBacktestParameters } from "../../../keeper/backtest/runBacktest.js";
import { summarizeBacktest } from "../../../keeper/backtest/summarizeBacktest.js";
import { syntheticDataset } from "../../../keeper/backtest/syntheticDataset.js";
import type { Dataset, ExecutionModel } from "../../../keeper/backtest/types.js";
import { backtestSyntheticAssets } from "../../../devnet/backtestSyntheticAssets.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS } from "../../../season/runSeason.js";

const gas = gasModelFromBench({ bench: JSON.parse(readFileSync(new URL("../../../bench/gas.json", import.meta.url), "utf8")), gasPriceGwei: 10, nativeUsd: 3000 });
const execution: ExecutionModel = { liquidity: "devnet", gas, managementFeeBps: 150, executionLagDays: 0 };

function market(tokens: number, days: number, seed = 3): Dataset {
  const specs = backtestSyntheticAssets(tokens, seed);
  return syntheticDataset({ seed, assets: specs.assets, days, phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, registry: specs.registry, decimals: specs.decimals });
}

function run(dataset: Dataset, overrides: Partial<RunBacktestParameters> = {}) {
  return runBacktest({
    dataset,
    fromDay: SEASON_WARM_UP_DAYS,
    toDay: dataset.dates.length - 1,
    frequencies: ["daily", "weekly", "monthly", "quarterly"],
    regimes: [true, false],
    methodology: { constituentCount: 10 },
    execution,
    capitalUsd: 1_000_000,
    ...overrides,
  });
}

/** A copy of the dataset in which every value after `day` is different (a crash, scrambled caps). */
function withDifferentFuture(dataset: Dataset, day: number): Dataset {
  const scramble = (column: readonly Float64Array[], factor: (i: number) => number) => column.map((row, d) => (d <= day ? row : row.map((v, i) => v * factor(i))));
  return { ...dataset, priceUsd: scramble(dataset.priceUsd, (i) => 0.2 + (i % 5) * 0.4), marketCapUsd: scramble(dataset.marketCapUsd, (i) => 5 - (i % 7) * 0.7), volumeUsd: scramble(dataset.volumeUsd, () => 0.1) };
}

describe("backtest", function () {
  this.timeout(120_000);
  const dataset = market(12, 180);

  describe("point-in-time view", () => {
    it("refuses every read after the simulated day, and moving the clock back", () => {
      const view = createPointInTimeView(dataset, 70);
      expect(view.priceUsd(0, 70)).to.be.greaterThan(0);
      expect(view.priceUsd(0, 12)).to.be.greaterThan(0);
      expect(() => view.priceUsd(0, 71)).to.throw(LookAheadError, /read day 71/);
      expect(() => view.marketCapUsd(3, 200)).to.throw(LookAheadError);
      expect(() => view.advanceTo(69)).to.throw(LookAheadError);
      view.advanceTo(71);
      expect(view.priceUsd(0, 71)).to.equal(dataset.priceUsd[71]![0]);
      expect(view.regimeHistory([dataset.assets[0]!.id], 10).map((o) => o.asOf.slice(0, 10))).to.deep.equal(dataset.dates.slice(62, 72));
    });

    it("gives the universe of the simulated day, largest first", () => {
      const view = createPointInTimeView(dataset, 100);
      const universe = view.universe(5);
      expect(universe).to.have.length(5);
      const caps = dataset.marketCapUsd[100]!;
      const top = [...caps].map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
      expect(universe.map((a) => a.id)).to.deep.equal(top.map(([, i]) => dataset.assets[i]!.id));
    });

    it("makes every decision up to a day independent of the data after it (the whole replay, end to end)", () => {
      const cut = SEASON_WARM_UP_DAYS + 70;
      const original = run(dataset);
      const altered = run(withDifferentFuture(dataset, cut));
      for (let p = 0; p < original.portfolios.length; p++) {
        const a = original.portfolios[p]!;
        const b = altered.portfolios[p]!;
        expect(b.series.slice(0, 71)).to.deep.equal(a.series.slice(0, 71));
        expect(b.rebalances.filter((r) => r.date <= dataset.dates[cut]!)).to.deep.equal(a.rebalances.filter((r) => r.date <= dataset.dates[cut]!));
        // The altered future does change what comes after, so the comparison above is not vacuous.
        expect(b.series[a.series.length - 1]!.navPerShare).to.not.equal(a.series[a.series.length - 1]!.navPerShare);
      }
      expect(altered.regimePath.slice(0, 71)).to.deep.equal(original.regimePath.slice(0, 71));
    });
  });

  describe("replay", () => {
    const result = run(dataset);

    it("shares one pass without cross-talk: each portfolio equals the same portfolio run alone", () => {
      const alone = run(dataset, { frequencies: ["monthly"], regimes: [true] });
      const together = result.portfolios.find((p) => p.frequency === "monthly" && p.regimeOn)!;
      expect(alone.portfolios[0]!.series).to.deep.equal(together.series);
      expect(alone.portfolios[0]!.rebalances).to.deep.equal(together.rebalances);
    });

    it("holds the keeper's own targets after a scheduled rebalance, net of the cash buffer", () => {
      const weekly = result.portfolios.find((p) => p.frequency === "weekly" && !p.regimeOn)!;
      const first = weekly.rebalances[0]!;
      const day = result.dates.indexOf(first.date) + SEASON_WARM_UP_DAYS;
      const view = createPointInTimeView(dataset, day);
      const { weightsBps } = computeTargets({ universe: view.universe(250), registry: dataset.registry, methodology: { constituentCount: 10 } });
      expect([...weightsBps.values()].filter((b) => b > 0)).to.have.length(10);
      // Traded about 98 % of NAV into the ten constituents (2 % cash buffer), paying fees and impact on it.
      expect(first.tradedUsd / first.navUsd).to.be.within(0.95, 0.99);
      expect(first.feeUsd).to.be.greaterThan(0);
      expect(first.impactUsd).to.be.greaterThan(0);
    });

    it("rebalances on the schedule only, and goes to cash in bear when the regime model is on", () => {
      for (const p of result.portfolios) {
        for (const r of p.rebalances.filter((r) => r.kind === "scheduled")) expect(isScheduled(p.frequency, r.date), `${p.frequency} ${r.date}`).to.equal(true);
      }
      expect(result.regimePath).to.include("bear");
      const on = result.portfolios.find((p) => p.frequency === "weekly" && p.regimeOn)!;
      const bearDays = on.series.filter((s) => s.regime === "bear");
      expect(bearDays.length).to.be.greaterThan(0);
      // In bear the vault holds only the stablecoin: its NAV does not move with the market (the fee accrues only in shares).
      const i = on.series.findIndex((s) => s.regime === "bear");
      expect(on.series[i + 5]!.navUsd).to.equal(on.series[i + 1]!.navUsd);
      expect(on.rebalances.some((r) => r.kind === "switch-to-bear")).to.equal(true);
      expect(result.portfolios.filter((p) => !p.regimeOn).every((p) => p.rebalances.every((r) => !r.kind.startsWith("switch")))).to.equal(true);
    });

    it("costs more gas the more often it rebalances, and on the theoretical index's daily schedule captures less than it", () => {
      const summary = summarizeBacktest(result);
      const off = summary.frequencyRows.filter((r) => !r.regimeOn);
      const byFrequency = new Map(off.map((r) => [r.frequency, r]));
      expect(byFrequency.get("daily")!.annualGasCost).to.be.greaterThan(byFrequency.get("weekly")!.annualGasCost);
      expect(byFrequency.get("weekly")!.annualGasCost).to.be.greaterThan(byFrequency.get("quarterly")!.annualGasCost);
      // The theoretical index is rebalanced daily at zero cost: the daily portfolio, on the same schedule, pays
      // costs it does not. A less frequent schedule may beat it (it rebalances into losers less often).
      expect(byFrequency.get("daily")!.capture).to.be.lessThan(1);
      const on = summary.regimeRows.find((r) => r.regimeOn && r.frequency === "weekly")!;
      expect(on.switches).to.be.greaterThan(0);
      expect(on.costPerSwitch).to.be.greaterThan(0);
    });

    it("trades one day late with the execution lag, at that day's prices", () => {
      const lagged = run(dataset, { frequencies: ["weekly"], regimes: [false], execution: { ...execution, executionLagDays: 1 } });
      const launch = lagged.portfolios[0]!.rebalances[0]!;
      expect(launch.date).to.equal(lagged.dates[1]);
      expect(lagged.portfolios[0]!.series[0]!.navUsd).to.equal(1_000_000);
    });
  });

  describe("dataset", () => {
    const sample = readFileSync(new URL("../../../data/backtest-sample.csv", import.meta.url), "utf8");

    it("reads the shipped sample and sees that it keeps a coin that died", () => {
      const data = parseDataset(sample, "sample.csv");
      expect(data.dates[0]).to.equal("2022-03-01");
      expect(data.dates).to.have.length(214);
      expect(data.survivorshipBiased).to.equal(false);
      expect(data.registry.has("tether")).to.equal(false);
      expect(data.registry.has("wrapped-bitcoin")).to.equal(false);
      const luna = data.assets.findIndex((a) => a.id === "terra-luna");
      expect(Number.isNaN(data.priceUsd[data.dates.indexOf("2022-05-14")]![luna]!)).to.equal(true);
    });

    it("flags data where every asset survives as survivor-biased", () => {
      const survivors = sample.split("\n").filter((line) => !line.includes("terra-luna")).join("\n");
      expect(parseDataset(survivors, "survivors.csv").survivorshipBiased).to.equal(true);
    });

    it("names the line and the bad value of a broken file", () => {
      const header = "date,id,symbol,price_usd,market_cap_usd,volume_24h_usd,is_stablecoin,derivative_of";
      expect(() => parseDataset(`${header}\n2022-01-01,bitcoin,BTC,-3,1,1,,\n`, "bad.csv")).to.throw(/bad.csv line 2: price_usd must be a positive number, got "-3"/);
      expect(() => parseDataset(`${header}\n2022-13-01,bitcoin,BTC,3,1,1,,\n`, "bad.csv")).to.throw(/date must be YYYY-MM-DD, got "2022-13-01"/);
      expect(() => parseDataset(`${header}\n2022-01-01,bitcoin,BTC,3,1,1,,\n2022-01-03,bitcoin,BTC,3,1,1,,\n`, "gap.csv")).to.throw(/no rows for 2022-01-02/);
      expect(() => parseDataset(`date,id\n`, "h.csv")).to.throw(/the CSV header must be/);
      expect(() => parseDataset(`{"schema":"open-index-backtest/1","rows":[{"date":"2022-01-01","id":"x","symbol":"X","priceUsd":0,"marketCapUsd":1,"volume24hUsd":1}]}`, "bad.json")).to.throw(/bad.json: rows.0.priceUsd/);
    });
  });
});
