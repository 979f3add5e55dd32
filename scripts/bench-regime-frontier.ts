/**
 * `npm run bench:regime:frontier [-- season1|seasons|random 1000|random 2000]`: the regime model's trade-off between
 * leaving a bear market fast and not switching on driftless markets, over candidate rules, on the same paths as
 * `npm run bench:regime` (bench/regime.json): each candidate runs the keeper's daily check (evaluateRegime on the
 * same history reads) day by day, every candidate on the same market at once. Candidates: the model without the fast
 * exit; an asymmetric band and evidence (a narrower band and less evidence to leave, more to re-enter); and the fast
 * exit (fall from the H-day high >= k daily sigma with breadth under a threshold) over a grid of H, k and breadth.
 * Per part it prints one JSON line: random paths (12 seeds from the given one) -> median and max switches a year;
 * seasons (the default season's phases, seed 1 or seeds 2-41) -> median days from the bear start to the bear switch
 * (a season that never switches counts its whole length), how many within 10 days, how many switched to bear
 * before the bear started, how many ended in bear. Without an argument it runs all four parts (about an hour of CPU)
 * and writes bench/regime-frontier.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Argument, Command } from "commander";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { dataCutoffFor, DEFAULT_REGIME_CONFIG, evaluateRegime, medianOfSorted, regimeHistoryDays, regimeUniverse, type RegimeConfig, type RegimeState } from "../keeper/core/index.js";
import { SyntheticMarket, type MarketPhase } from "../keeper/data/syntheticMarket.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { devnetSyntheticAssets } from "../devnet/marketTokenList.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS } from "../season/runSeason.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

interface Candidate {
  name: string;
  /** The configuration while invested (it decides bull -> bear). */
  exit: Partial<RegimeConfig>;
  /** The configuration while in stablecoins (it decides bear -> bull). */
  entry: Partial<RegimeConfig>;
}

const NO_FAST_EXIT = { fastExitDrawdownSigmas: 0 };
const candidates: Candidate[] = [{ name: "no fast exit (band 0.5, evidence 1.5 both ways)", exit: NO_FAST_EXIT, entry: NO_FAST_EXIT }];
for (const band of [0.25, 0.35]) {
  candidates.push({ name: `asymmetric: exit band ${band} evidence 0.5, re-entry evidence 2`, exit: { ...NO_FAST_EXIT, bandSigmas: band, evidenceSigmaDays: 0.5 }, entry: { ...NO_FAST_EXIT, evidenceSigmaDays: 2 } });
}
const fast = (H: number, k: number, breadth: number, entry: Partial<RegimeConfig> = {}): Candidate => ({
  name: `fast exit H ${H} k ${k} breadth ${breadth / 100} %${entry.evidenceSigmaDays === undefined ? "" : `, re-entry evidence ${entry.evidenceSigmaDays}`}`,
  exit: { fastExitLookbackDays: H, fastExitDrawdownSigmas: k, fastExitBreadthBps: breadth },
  entry,
});
for (const [H, k] of [[10, 5], [10, 6], [10, 7], [20, 6], [20, 7], [20, 8], [20, 9]] as const) candidates.push(fast(H, k, 3_000));
for (const k of [7, 8]) candidates.push(fast(20, k, 2_500));
candidates.push(fast(20, 8, 3_000, { evidenceSigmaDays: 3 }));

const HISTORY_DAYS = regimeHistoryDays(DEFAULT_REGIME_CONFIG);
const SEASON_DAYS = 26 * 7;
const YEARS = 4;

interface Switch {
  day: number;
  to: RegimeState;
}

/** Every candidate's switches over `days` days of `market`, as bench:regime tracks one. */
async function switchesOver(market: SyntheticMarket, days: number): Promise<Switch[][]> {
  const provider = market.provider();
  const tracks = candidates.map(() => ({ state: "bull" as RegimeState, lastSwitchAsOf: null as string | null, switches: [] as Switch[] }));
  for (let d = 0; d <= days; d++) {
    if (d > 0) market.step();
    const cutoff = dataCutoffFor(new Date(market.nowIso));
    const ids = regimeUniverse(await provider.getUniverse(250, cutoff), 100);
    const history = await provider.getRegimeHistory(ids, HISTORY_DAYS, cutoff);
    candidates.forEach((c, i) => {
      const t = tracks[i]!;
      const config = t.state === "bull" ? c.exit : c.entry;
      const decision = evaluateRegime({ history, previous: t.state, lastSwitchAsOf: t.lastSwitchAsOf, asOf: cutoff.toISOString(), constituents: ids, config });
      if (!decision.changed) return;
      t.state = decision.state;
      t.lastSwitchAsOf = decision.asOf;
      t.switches.push({ day: d, to: t.state });
    });
  }
  return tracks.map((t) => t.switches);
}

const median = (values: readonly number[]): number => medianOfSorted([...values].sort((a, b) => a - b));

async function randomPaths(firstSeed: number) {
  const rates: number[][] = candidates.map(() => []);
  for (let i = 0; i < 12; i++) {
    const seed = firstSeed + i;
    const volatility = 0.6 + (0.2 * i) / 11;
    const phases: MarketPhase[] = [{ days: YEARS * 365, driftAnnual: 0, volatilityAnnual: volatility }];
    const market = new SyntheticMarket({ seed, assets: devnetSyntheticAssets({ tokens: defaultTokenSpecs({ count: 100, seed }) }), phases, warmUpDays: SEASON_WARM_UP_DAYS });
    (await switchesOver(market, YEARS * 365)).forEach((s, j) => rates[j]!.push(s.length / YEARS));
    process.stderr.write(`random path seed ${seed} done\n`);
  }
  return Object.fromEntries(candidates.map((c, j) => [c.name, { median: median(rates[j]!), max: Math.max(...rates[j]!) }]));
}

async function seasons(seeds: readonly number[]) {
  const bearStart = SEASON_PHASES[0]!.days;
  const exits: number[][] = candidates.map(() => []);
  const falseBear = candidates.map(() => 0);
  const endsInBear = candidates.map(() => 0);
  for (const seed of seeds) {
    const market = new SyntheticMarket({ seed, assets: devnetSyntheticAssets({ tokens: defaultTokenSpecs({ count: 30, seed }) }), phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS });
    (await switchesOver(market, SEASON_DAYS)).forEach((switches, j) => {
      const bear = switches.find((s) => s.day >= bearStart && s.to === "bear");
      exits[j]!.push(bear === undefined ? SEASON_DAYS : bear.day - bearStart);
      if (switches.some((s) => s.day < bearStart && s.to === "bear")) falseBear[j]!++;
      if (switches.length > 0 && switches[switches.length - 1]!.to === "bear") endsInBear[j]!++;
    });
  }
  return Object.fromEntries(
    candidates.map((c, j) => [c.name, { medianExitDays: median(exits[j]!), within10Days: exits[j]!.filter((x) => x <= 10).length, bearBeforeBearStart: falseBear[j], endsInBear: endsInBear[j], seasons: seeds.length }]),
  );
}

const program = new Command("npm run bench:regime:frontier --")
  .description("The regime model's trade-off between a fast bear exit and rare switching, over candidate rules; without a part, all four and bench/regime-frontier.json.")
  .addArgument(new Argument("[part]", "one part only, printed as a JSON line").choices(["season1", "seasons", "random"]))
  .addArgument(new Argument("[first-seed]", "random: the first of its 12 seeds").argParser(integerInRange(0, Number.MAX_SAFE_INTEGER)).default(1_000))
  .addHelpText("after", "\nExample:\n  $ npm run bench:regime:frontier -- random 2000");
parseScriptOptions(program);
const [part, firstSeed] = program.processedArgs as [keyof typeof run | undefined, number];
const run = {
  season1: () => seasons([1]),
  seasons: () => seasons(Array.from({ length: 40 }, (_, i) => i + 2)),
  random: () => randomPaths(firstSeed),
};
if (part !== undefined) {
  console.log(JSON.stringify(await run[part]()));
} else {
  const results = {
    candidates: candidates.map((c) => ({ name: c.name, exit: c.exit, entry: c.entry })),
    bench_random_paths_1000: await randomPaths(1_000),
    held_out_random_paths_2000: await randomPaths(2_000),
    default_season_seed_1: await seasons([1]),
    held_out_seasons_2_to_41: await seasons(Array.from({ length: 40 }, (_, i) => i + 2)),
  };
  await mkdir("bench", { recursive: true });
  await writeFile("bench/regime-frontier.json", `${JSON.stringify(results, null, 2)}\n`);
}
