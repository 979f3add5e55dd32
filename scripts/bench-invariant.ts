/**
 * `npm run bench:invariant [-- --deep]`: what the vault's stateful invariant campaign
 * (test/contracts/IndexVault.invariant.t.sol) costs. Times `hardhat test solidity` over every Solidity test
 * file without the campaign and with it (npm test's `default` profile: 256 runs of depth 50); with `--deep`,
 * also `npm run test:invariant`'s `deep` profile (2,000 runs of depth 200) on the campaign alone. Writes
 * bench/invariant.json and prints a table. Needs a build (`npm run build`): the runs pass --no-compile.
 *
 * Wall time depends on what else the machine runs, so each run also records the CPU time of the test process
 * (the children's user + system time from /proc, Linux only) and the load average before it.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";
import { parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";

exitOnUncaughtError();

const { deep } = parseScriptOptions<{ deep: boolean }>(
  new Command("npm run bench:invariant --")
    .description("Times the Solidity tests without and with the vault's invariant campaign; writes bench/invariant.json.")
    .option("--deep", "also time npm run test:invariant's deep profile (2,000 runs of depth 200) on the campaign alone", false)
    .addHelpText("after", "\nExample:\n  $ npm run bench:invariant -- --deep"),
);

const CAMPAIGN = "test/contracts/IndexVault.invariant.t.sol";
const SOLIDITY_TEST_DIR = "test/contracts";
/** Linux's USER_HZ: /proc reports CPU times in ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

interface Run {
  name: string;
  args: string[];
  wallSeconds: number;
  cpuSeconds: number;
  loadAverage1m: number;
}

/** User + system time of this process's finished children, in seconds (fields 16 and 17 of /proc/self/stat). */
function childrenCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

function time(name: string, args: string[]): Run {
  const loadAverage1m = loadavg()[0];
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const result = spawnSync("npx", ["hardhat", "test", "solidity", "--no-compile", ...args], { encoding: "utf8" });
  const wallSeconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`bench:invariant: "${name}" failed with exit code ${result.status}`);
  }
  return { name, args, wallSeconds, cpuSeconds: childrenCpuSeconds() - cpuBefore, loadAverage1m };
}

const otherFiles = readdirSync(SOLIDITY_TEST_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".t.sol"))
  .map((file) => path.join(SOLIDITY_TEST_DIR, file))
  .filter((file) => file !== CAMPAIGN)
  .sort();

const runs = [time("solidity tests without the campaign", otherFiles), time("solidity tests with the campaign (256 x 50)", [])];
if (deep) runs.push(time("npm run test:invariant (2,000 x 200)", ["--test-profile", "deep", CAMPAIGN]));
const added = { wallSeconds: runs[1].wallSeconds - runs[0].wallSeconds, cpuSeconds: runs[1].cpuSeconds - runs[0].cpuSeconds };

const report = { measuredAt: new Date().toISOString(), cpus: cpus().length, runs, campaignAdds: added };
await mkdir("bench", { recursive: true });
await writeFile("bench/invariant.json", `${JSON.stringify(report, null, 2)}\n`);
console.table(
  [...runs, { name: "the campaign adds", ...added, loadAverage1m: Number.NaN }].map((r) => ({
    run: r.name,
    "wall (s)": r.wallSeconds.toFixed(1),
    "CPU (s)": r.cpuSeconds.toFixed(1),
    "load (1 min)": Number.isNaN(r.loadAverage1m) ? "" : r.loadAverage1m.toFixed(1),
  })),
);
