import { readFile } from "node:fs/promises";
import { Command, CommanderError } from "commander";
import { KeeperError } from "../core/index.js";
import type { MarketPhase, SyntheticAssetSpec } from "../data/syntheticMarket.js";
import { gasModelFromBench } from "./gasModel.js";
import { parseDataset } from "./parseDataset.js";
import { runBacktest } from "./runBacktest.js";
import { summarizeBacktest } from "./summarizeBacktest.js";
import { syntheticDataset } from "./syntheticDataset.js";
import { FREQUENCIES, type Dataset, type ExecutionModel, type Frequency, type VenueLayout } from "./types.js";
import { writeBacktestReport, type BacktestRun } from "./writeBacktestReport.js";
import { EXIT } from "../cli/exitCodes.js";

/** What the synthetic market needs from the devnet (its tokens for a seed), handed in by the script. */
export interface SyntheticMarketSource {
  assets(tokens: number, seed: number): { assets: SyntheticAssetSpec[]; registry: string[]; decimals: Map<string, number> };
  readonly phases: readonly MarketPhase[];
  readonly warmUpDays: number;
  /** The index's size for a market of `tokens` tokens, as npm start sizes it. */
  constituentCount(tokens: number): number;
}

/**
 * The command line of `npm run backtest`, on commander like `keeper`: `--help` lists these flags with an example,
 * an unknown flag is refused with the usage (exit 2). Values are checked after parsing, each with a message naming it.
 */
function backtestProgram(): Command {
  return new Command("npm run backtest --")
    .description("Replays the keeper's methodology, regime model and planner over daily history: a point-in-time dataset or the seeded synthetic market.")
    .option("--data <file>", 'a point-in-time dataset (CSV or JSON, see README "Backtest"); or')
    .option("--synthetic", "the seeded synthetic market of npm start (default: seed 1, 1 seed, 2 years, 30 tokens)")
    .option("--seed <s>", "the synthetic market's seed", "1")
    .option("--seeds <k>", "run seeds S .. S+K-1 and report the median and range of every figure", "1")
    .option("--years <y>", "years of synthetic history", "2")
    .option("--tokens <n>", "tokens of the synthetic market", "30")
    .option("--from <date>", "the first simulated day, YYYY-MM-DD (the days before still warm the regime model up)")
    .option("--to <date>", "the last simulated day, YYYY-MM-DD")
    .option("--frequencies <list>", `rebalance frequencies, from ${FREQUENCIES.join(", ")}`, FREQUENCIES.join(","))
    .option("--regime <list>", "with the regime model (on), without it (off), or both", "on,off")
    .option("--out <dir>", "report.md, backtest.json, nav.png, drawdown.png", "backtest-report")
    .option("--capital <usd>", "the vault's size at the start, in the vault's stablecoin", "1000000")
    .option("--constituents <n>", "top N (default: 100; synthetic: 2/3 of the tokens up to 100, as npm start)")
    .option("--gas-gwei <g>", "gas price for gas costs", "10")
    .option("--eth-usd <p>", "ETH price for gas costs", "3000")
    .option("--lag <days>", "days between the data a decision reads and the prices it trades at: 0 or 1", "0")
    .option("--management-fee-bps <b>", "the management fee (the devnet vault's by default)", "150")
    .option("--liquidity <mode>", "devnet: pools fixed at the first day's prices (synthetic default); recentred: follow the market (data default)")
    .option("--venues <layout>", "direct: one V3 pool per asset against the stablecoin (the default devnet); realistic: the devnet's --liquidity realistic layout, routed through WETH, V2 and fee tiers", "direct")
    .option("--min-depth-usd <usd>", "the methodology's on-chain depth screen (within 2 % of the oracle, on the liquidity model); 0 turns it off (default: the keeper's)")
    .addHelpText(
      "after",
      `
Example:
  $ npm run backtest -- --synthetic --seeds 5
  $ npm run backtest -- --data data/backtest-sample.csv --frequencies weekly --out my-backtest

Progress goes to stderr. Exit codes: ${EXIT.ok} ok, ${EXIT.unexpected} unexpected error, ${EXIT.usage} bad flag or bad data.`,
    )
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
}

class UsageError extends Error {}

/** `npm run backtest`: parses flags, loads or generates the data, runs every seed, writes the report. Returns the exit code. */
export async function backtestCli(argv: readonly string[], synthetic: SyntheticMarketSource, gasBenchFile: string): Promise<number> {
  try {
    const options = parseOptions(argv);
    const bench = JSON.parse(await readFile(gasBenchFile, "utf8")) as Record<string, unknown>;
    const execution: ExecutionModel = {
      liquidity: options.liquidity ?? (options.dataFile === undefined ? "devnet" : "recentred"),
      venues: options.venues,
      gas: gasModelFromBench({ bench, gasPriceGwei: options.gasGwei, nativeUsd: options.ethUsd }),
      managementFeeBps: options.managementFeeBps,
      executionLagDays: options.lag,
    };
    const runs: BacktestRun[] = [];
    let dataset: Dataset | undefined;
    const seeds = options.dataFile === undefined ? Array.from({ length: options.seeds }, (_, i) => options.seed + i) : [undefined];
    const constituents = options.constituents ?? (options.dataFile === undefined ? synthetic.constituentCount(options.tokens) : 100);
    // The keeper's own planner defaults (the season runs with them too).
    const planner = {};
    for (const seed of seeds) {
      if (seed === undefined) {
        dataset = parseDataset(await readDataFile(options.dataFile!), options.dataFile!);
      } else {
        const specs = synthetic.assets(options.tokens, seed);
        dataset = syntheticDataset({ seed, assets: specs.assets, days: Math.round(options.years * 365) + 1, phases: synthetic.phases, warmUpDays: synthetic.warmUpDays, registry: specs.registry, decimals: specs.decimals });
      }
      const { fromDay, toDay } = dayRange(dataset, options.from, options.to, seed === undefined ? 0 : synthetic.warmUpDays);
      const label = seed === undefined ? options.dataFile! : `seed ${seed}`;
      let lastTenth = -1;
      const result = runBacktest({
        dataset,
        fromDay,
        toDay,
        frequencies: options.frequencies,
        regimes: options.regimes,
        methodology: { constituentCount: constituents, minOnChainDepthUsd: options.minDepthUsd },
        planner,
        execution,
        capitalUsd: options.capital,
        onProgress: (day, days) => {
          const tenth = Math.floor((day / days) * 10);
          if (tenth !== lastTenth) console.error(`backtest ${label}: ${tenth * 10} % (${dataset!.dates[fromDay + day - 1]})`);
          lastTenth = tenth;
        },
      });
      runs.push({ seed, result, summary: summarizeBacktest(result) });
    }
    const { files } = await writeBacktestReport({ outDir: options.out, command: `npm run backtest -- ${argv.join(" ")}`.trim(), dataset: dataset!, execution, planner, capitalUsd: options.capital, runs });
    console.error(`backtest: wrote ${files.join(", ")}`);
    return EXIT.ok;
  } catch (error) {
    // Commander has printed its message and the usage; --help ends here with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof KeeperError) {
      console.error(`error: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}

interface BacktestOptions {
  dataFile?: string;
  seed: number;
  seeds: number;
  years: number;
  tokens: number;
  from?: string;
  to?: string;
  frequencies: Frequency[];
  regimes: boolean[];
  out: string;
  capital: number;
  constituents?: number;
  gasGwei: number;
  ethUsd: number;
  lag: number;
  managementFeeBps: number;
  liquidity?: "devnet" | "recentred";
  venues: VenueLayout;
  minDepthUsd?: number;
}

interface BacktestFlags {
  data?: string;
  synthetic?: boolean;
  seed: string;
  seeds: string;
  years: string;
  tokens: string;
  from?: string;
  to?: string;
  frequencies: string;
  regime: string;
  out: string;
  capital: string;
  constituents?: string;
  gasGwei: string;
  ethUsd: string;
  lag: string;
  managementFeeBps: string;
  liquidity?: string;
  venues: string;
  minDepthUsd?: string;
}

function parseOptions(argv: readonly string[]): BacktestOptions {
  const flags = backtestProgram().parse([...argv], { from: "user" }).opts<BacktestFlags>();
  const values = { ...flags, "gas-gwei": flags.gasGwei, "eth-usd": flags.ethUsd, "management-fee-bps": flags.managementFeeBps };
  if (values.data !== undefined && values.synthetic) throw new UsageError("--data and --synthetic exclude each other: pick one");
  if (values.data === undefined && !values.synthetic) throw new UsageError("give --data FILE or --synthetic");
  const integer = (name: string, raw: string, min: number, max: number): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return Number(raw);
  };
  const positive = (name: string, raw: string, max: number): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value <= 0 || value > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max}, got "${raw}"`);
    return value;
  };
  const date = (name: string, raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw new UsageError(`--${name} must be a date YYYY-MM-DD, got "${raw}"`);
    return raw;
  };
  const frequencies = values.frequencies.split(",").map((f) => f.trim());
  for (const f of frequencies) if (!FREQUENCIES.includes(f as Frequency)) throw new UsageError(`--frequencies: unknown frequency "${f}" (use ${FREQUENCIES.join(", ")})`);
  const regimes = values.regime.split(",").map((r) => r.trim());
  for (const r of regimes) if (r !== "on" && r !== "off") throw new UsageError(`--regime: "${r}" is not on or off`);
  if (values.liquidity !== undefined && values.liquidity !== "devnet" && values.liquidity !== "recentred") throw new UsageError(`--liquidity must be devnet or recentred, got "${values.liquidity}"`);
  if (values.venues !== "direct" && values.venues !== "realistic") throw new UsageError(`--venues must be direct or realistic, got "${values.venues}"`);
  const minDepthUsd = values.minDepthUsd === undefined ? undefined : values.minDepthUsd.trim() === "0" ? 0 : positive("min-depth-usd", values.minDepthUsd, 1e12);
  const from = date("from", values.from);
  const to = date("to", values.to);
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError(`--from ${from} must be before --to ${to}`);
  return {
    dataFile: values.data,
    seed: integer("seed", values.seed, 0, 2 ** 32 - 1),
    seeds: integer("seeds", values.seeds, 1, 100),
    years: positive("years", values.years, 20),
    tokens: integer("tokens", values.tokens, 2, 5_000),
    from,
    to,
    frequencies: [...new Set(frequencies)] as Frequency[],
    regimes: [...new Set(regimes)].map((r) => r === "on"),
    out: values.out,
    capital: positive("capital", values.capital, 1e12),
    constituents: values.constituents === undefined ? undefined : integer("constituents", values.constituents, 1, 1_000),
    gasGwei: values["gas-gwei"] === "0" ? 0 : positive("gas-gwei", values["gas-gwei"], 10_000),
    ethUsd: positive("eth-usd", values["eth-usd"], 1e7),
    lag: integer("lag", values.lag, 0, 1),
    managementFeeBps: values["management-fee-bps"] === "0" ? 0 : integer("management-fee-bps", values["management-fee-bps"], 0, 1_000),
    liquidity: values.liquidity as BacktestOptions["liquidity"],
    venues: values.venues,
    minDepthUsd,
  };
}

async function readDataFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`--data ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

/** The simulated days: --from/--to inside the data (the days before --from still warm the regime model up). */
function dayRange(dataset: Dataset, from: string | undefined, to: string | undefined, defaultFrom: number): { fromDay: number; toDay: number } {
  const first = dataset.dates[0]!;
  const last = dataset.dates[dataset.dates.length - 1]!;
  const index = (name: string, date: string): number => {
    const i = dataset.dates.indexOf(date);
    if (i < 0) throw new UsageError(`--${name} ${date} is outside the data (${first} to ${last})`);
    return i;
  };
  const fromDay = from === undefined ? defaultFrom : index("from", from);
  const toDay = to === undefined ? dataset.dates.length - 1 : index("to", to);
  if (toDay <= fromDay) throw new UsageError(`the range ${dataset.dates[fromDay]} to ${dataset.dates[toDay]} has fewer than two days`);
  return { fromDay, toDay };
}
