/**
 * `npm run backtest -- [--data FILE | --synthetic ...]`: the backtester (keeper/backtest), with the devnet's
 * synthetic market for --synthetic. `npm run backtest -- --help` lists the flags.
 */
import { backtestCli } from "../keeper/backtest/backtestCli.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS, seasonConstituentCount } from "../season/seasonSettings.js";
import { backtestSyntheticAssets } from "../devnet/backtestSyntheticAssets.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

process.exitCode = await backtestCli(process.argv.slice(2), { assets: backtestSyntheticAssets, phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, constituentCount: seasonConstituentCount }, new URL("../bench/gas.json", import.meta.url).pathname);
