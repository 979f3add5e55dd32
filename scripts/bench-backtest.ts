/**
 * `npm run bench:backtest`: (1) the backtester's speed and memory on 5 years of daily data for 1,000 tokens, every
 * frequency with the regime model on and off in one pass (goal: under 20 s and 1 GB); (2) the cross-check on the
 * default season (`npm start`: 26 weeks, 30 tokens, seed 1): how far the backtest's NAV per share is from the
 * chain's. Writes bench/backtest.json and prints it. `--skip-season` measures (1) only.
 * The run's CPU time is the figure to compare on a shared machine (its wall time depends on the load, recorded
 * beside it); `output_sha256_5y_1000_tokens` digests everything the run returned, so a change meant to be a pure
 * speed-up can show that it changed no figure.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { network } from "hardhat";
import { parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { gasModelFromBench } from "../keeper/backtest/gasModel.js";
import { runBacktest } from "../keeper/backtest/runBacktest.js";
import { syntheticDataset } from "../keeper/backtest/syntheticDataset.js";
import { FREQUENCIES } from "../keeper/backtest/types.js";
import { backtestSyntheticAssets } from "../devnet/backtestSyntheticAssets.js";
import { backtestSeason, seasonGap } from "../season/backtestSeason.js";
import { runSeason, SEASON_PHASES, SEASON_WARM_UP_DAYS } from "../season/runSeason.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

const { skipSeason } = parseScriptOptions<{ skipSeason: boolean }>(
  new Command("npm run bench:backtest --")
    .description("Times the backtester on 5 years x 1,000 tokens and cross-checks it against the default season; writes bench/backtest.json.")
    .option("--skip-season", "measure the backtester only, keeping the season cross-check figures of bench/backtest.json", false)
    .addHelpText("after", "\nExample:\n  $ npm run bench:backtest -- --skip-season"),
);

const results: Record<string, number | string> = {};
const out = new URL("../bench/backtest.json", import.meta.url);
const previous = (() => {
  try {
    return JSON.parse(readFileSync(out, "utf8")) as Record<string, number | string>;
  } catch {
    return {};
  }
})();

{
  const years = 5;
  const tokens = 1000;
  const specs = backtestSyntheticAssets(tokens, 1);
  const buildStart = performance.now();
  const dataset = syntheticDataset({ seed: 1, assets: specs.assets, days: years * 365 + 1, phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, registry: specs.registry, decimals: specs.decimals });
  results.dataset_build_s_5y_1000_tokens = round((performance.now() - buildStart) / 1000);
  const bench = JSON.parse(readFileSync(new URL("../bench/gas.json", import.meta.url), "utf8")) as Record<string, unknown>;
  const loadStart = loadavg()[0]!;
  const cpuStart = process.cpuUsage();
  const runStart = performance.now();
  const result = runBacktest({
    dataset,
    fromDay: SEASON_WARM_UP_DAYS,
    toDay: dataset.dates.length - 1,
    frequencies: FREQUENCIES,
    regimes: [true, false],
    methodology: { constituentCount: 100 },
    execution: { liquidity: "devnet", gas: gasModelFromBench({ bench, gasPriceGwei: 10, nativeUsd: 3000 }), managementFeeBps: 150, executionLagDays: 0 },
    capitalUsd: 10_000_000,
    onProgress: (day, days) => {
      if (day % 365 === 0) console.error(`bench:backtest: day ${day}/${days}`);
    },
  });
  const cpu = process.cpuUsage(cpuStart);
  results.wall_s_5y_1000_tokens = round((performance.now() - runStart) / 1000);
  results.cpu_s_5y_1000_tokens = round((cpu.user + cpu.system) / 1e6);
  results.load_average_1m_start = round(loadStart);
  results.load_average_1m_end = round(loadavg()[0]!);
  results.portfolios_5y_1000_tokens = result.portfolios.length;
  results.days_5y_1000_tokens = result.dates.length;
  results.trades_5y_1000_tokens = result.portfolios.reduce((n, p) => n + p.trades, 0);
  results.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  results.output_sha256_5y_1000_tokens = createHash("sha256").update(JSON.stringify(result, (_key, value: unknown) => (value instanceof Set ? [...value] : value))).digest("hex");
}

if (skipSeason) {
  for (const key of ["season_vs_backtest_bps", "season_vs_backtest_max_daily_bps", "season_vs_backtest_max_daily_date", "season_vs_backtest_days"]) if (previous[key] !== undefined) results[key] = previous[key]!;
} else {
  const { ethers } = await network.create();
  const signers = await ethers.getSigners();
  const weeks = 26;
  const tokens = 30;
  const seed = 1;
  const season = await runSeason({
    provider: ethers.provider,
    signers: signers.slice(0, 7),
    weeks,
    tokens,
    seed,
    network: "hardhat (in-process)",
    publishDir: await mkdtemp(path.join(tmpdir(), "bench-backtest-season-")),
    setNextBlockTimestamp: async (seconds) => {
      await ethers.provider.send("evm_setNextBlockTimestamp", [seconds]);
    },
    onProgress: (line) => console.error(`bench:backtest: season ${line}`),
  });
  const gap = seasonGap(season.series, backtestSeason({ weeks, tokens, seed, startDate: season.series[0]!.date }));
  results.season_vs_backtest_bps = round(gap.finalBps);
  results.season_vs_backtest_max_daily_bps = round(gap.maxDailyBps);
  results.season_vs_backtest_max_daily_date = gap.maxDailyDate;
  results.season_vs_backtest_days = gap.days;
}

await writeFile(out, JSON.stringify(results, null, 2) + "\n");
console.log(JSON.stringify(results, null, 2));

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
