/**
 * `npm run bench:regime`: how often the regime model switches, and how fast it leaves a bear market. It runs
 * the keeper's daily regime check (the same history request and evaluateRegime call as keeper/run) over
 * the seeded synthetic market, day by day, tracking the state and the last switch as the vault would.
 * - switches_per_year_random: median over 12 seeded 4-year paths, 100 tokens, drift 0, no regime schedule,
 *   annual volatility spread evenly over 60-80 % (goal <= 2);
 * - season_bear_exit_days: days from the default season's bear start to the switch (goal <= 10);
 * - whipsaw_cost_bps_per_year: those random switches (all of them whipsaw: the paths have no trend) times
 *   the cost of one switch, taken as 150 bps of NAV, the top of the 0.5-1.5 % a switch was measured to cost
 *   (goal <= 300).
 * Writes bench/regime.json and prints a table. `--before` runs the parameters main had (h 2 %, k 2, no
 * cool-down, no minimum breadth sample) on the same signal, for comparison, and writes nothing.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dataCutoffFor, DEFAULT_REGIME_CONFIG, evaluateRegime, regimeUniverse, type RegimeConfig, type RegimeState } from "../keeper/core/index.js";
import { SyntheticMarket, type MarketPhase } from "../keeper/data/syntheticMarket.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { devnetSyntheticAssets } from "../devnet/marketTokenList.js";
import { SEASON_PHASES } from "../season/runSeason.js";

const PATHS = 12;
const YEARS = 4;
const COST_PER_SWITCH_BPS = 150;
const REGIME_UNIVERSE = 100;
const before = process.argv.includes("--before");
const config: RegimeConfig = before ? { ...DEFAULT_REGIME_CONFIG, hysteresisBps: 200, confirmations: 2, minDwellDays: 0, minBreadthSample: 0 } : DEFAULT_REGIME_CONFIG;

/** The daily check over `days` days of `market`: the days on which the state switched. */
async function switchDays(market: SyntheticMarket, days: number): Promise<number[]> {
  const provider = market.provider();
  let state: RegimeState = "bull";
  let lastSwitchAsOf: string | null = null;
  const switches: number[] = [];
  for (let d = 0; d <= days; d++) {
    if (d > 0) market.step();
    // The keeper's daily check at day start reads closes up to its cut-off, the day before.
    const cutoff = dataCutoffFor(new Date(market.nowIso));
    const ids = regimeUniverse(await provider.getUniverse(250, cutoff), REGIME_UNIVERSE);
    const history = await provider.getRegimeHistory(ids, config.window + config.confirmations + config.maxDataAgeDays, cutoff);
    const decision = evaluateRegime({ history, previous: state, lastSwitchAsOf, asOf: cutoff.toISOString(), constituents: ids, config });
    if (decision.changed) {
      state = decision.state;
      lastSwitchAsOf = decision.asOf;
      switches.push(d);
    }
  }
  return switches;
}

const perPath: { seed: number; volatility: number; switches: number }[] = [];
for (let i = 0; i < PATHS; i++) {
  const seed = 1_000 + i;
  const volatility = 0.6 + (0.2 * i) / (PATHS - 1);
  const phases: MarketPhase[] = [{ days: YEARS * 365, driftAnnual: 0, volatilityAnnual: volatility }];
  const market = new SyntheticMarket({ seed, assets: devnetSyntheticAssets({ tokens: defaultTokenSpecs({ count: 100, seed }) }), phases, warmUpDays: config.window + 10 });
  const switches = (await switchDays(market, YEARS * 365)).length;
  perPath.push({ seed, volatility: Number(volatility.toFixed(3)), switches });
  process.stdout.write(`path ${i + 1}/${PATHS}: seed ${seed}, vol ${(volatility * 100).toFixed(1)} %, ${switches} switches in ${YEARS} years\n`);
}
const rates = perPath.map((p) => p.switches / YEARS).sort((a, b) => a - b);
const median = (rates[PATHS / 2 - 1]! + rates[PATHS / 2]!) / 2;

// The default season (npm start): 30 tokens, seed 1, the bear phase starting on day SEASON_PHASES[0].days.
const season = new SyntheticMarket({ seed: 1, assets: devnetSyntheticAssets({ tokens: defaultTokenSpecs({ count: 30, seed: 1 }) }), phases: SEASON_PHASES, warmUpDays: config.window + 10 });
const bearStart = SEASON_PHASES[0]!.days;
const seasonSwitches = await switchDays(season, 26 * 7);
const bearSwitch = seasonSwitches.find((d) => d >= bearStart);

const results = {
  model: before ? "main's parameters: h 2 %, k 2, no cool-down, no minimum breadth sample" : "default",
  config,
  switches_per_year_random: median,
  switches_per_year_random_max: rates[PATHS - 1]!,
  season_bear_exit_days: bearSwitch === undefined ? null : bearSwitch - bearStart,
  season_switch_days: seasonSwitches,
  whipsaw_cost_bps_per_year: median * COST_PER_SWITCH_BPS,
  cost_per_switch_bps: COST_PER_SWITCH_BPS,
  paths: perPath,
};
if (!before) {
  await mkdir("bench", { recursive: true });
  await writeFile("bench/regime.json", `${JSON.stringify(results, null, 2)}\n`);
}
console.log(`\n| regime | measured | goal |\n|---|---|---|`);
console.log(`| switches per year, driftless random paths (median of ${PATHS}) | ${median} (max ${rates[PATHS - 1]}) | <= 2 |`);
console.log(`| days from the season's bear start to the switch | ${results.season_bear_exit_days} (switches on days ${seasonSwitches.join(", ")}) | <= 10 |`);
console.log(`| whipsaw cost per year at ${COST_PER_SWITCH_BPS} bps a switch | ${results.whipsaw_cost_bps_per_year} bps | <= 300 |`);
