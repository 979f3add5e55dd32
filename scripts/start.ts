/**
 * `npm start [-- --weeks N --tokens N --seed N --out DIR --network NAME]`: the embedded demo. Runs a simulated
 * season of the index (default 26 weeks, 30 tokens) on Hardhat's in-process chain, or on a running node with
 * `--network localhost` (after `npm run devnet`), and writes a report folder: report.md, nav.png, treemap.png,
 * summary.json and report.json.
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { EXIT } from "../keeper/cli/exitCodes.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

/** Hardhat's and the usual local nodes' chain ids. */
const DEV_CHAIN_IDS = [31337, 1337];

exitOnUncaughtError();

/** Checks once a second until `ready` says so; false when the deadline passes first. Says once that it waits. */
async function waitUntil(ready: () => Promise<boolean>, deadline: number, waiting: string): Promise<boolean> {
  for (let told = false; !(await ready()); told = true) {
    if (Date.now() >= deadline) return false;
    if (!told) console.log(`${waiting} ...`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return true;
}

/**
 * `npm run devnet` marks its addresses file "deploying" until its market is up. Moving the clock before then
 * would leave its feeds stale mid-deployment, so the demo waits while the file says so for this node's URL.
 */
async function devnetReady(file: string, url: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(file, "utf8")) as { status?: string; rpcUrl?: string };
    return !(marker.status === "deploying" && marker.rpcUrl === url.replace(/\/$/, ""));
  } catch {
    return true;
  }
}

const values = parseScriptOptions<{ weeks: number; tokens: number; seed: number; out: string; network: string; devnetFile: string; wait: number }>(
  new Command("npm start --")
    .description("Runs a simulated season of the index on a chain and writes the report folder.")
    .option("--weeks <n>", "weeks to simulate", integerInRange(1, 520), 26)
    .option("--tokens <n>", "tokens in the market (up to 100)", integerInRange(2, 100), 30)
    .option("--seed <n>", "the synthetic market's seed", integerInRange(0, 2 ** 32 - 1), 1)
    .option("--out <dir>", "the report folder", "report")
    .option("--network <name>", "a Hardhat network; localhost after `npm run devnet` (its URL from DEVNET_RPC_URL, default http://127.0.0.1:8545)", "default")
    .option("--devnet-file <file>", "the devnet's addresses file: while it says the devnet is deploying, the demo waits", "devnet.json")
    .option("--wait <seconds>", "how long to wait for the node to answer and the devnet to finish deploying", integerInRange(0, 86_400), 600)
    .addHelpText("after", "\nExample:\n  $ npm start -- --weeks 8 --tokens 100 --seed 7 --out my-report\n  $ npm run devnet & npm start -- --network localhost"),
);
const { weeks, tokens, seed } = values;
if (existsSync(values.out) && !statSync(values.out).isDirectory()) {
  console.error(`error: --out ${values.out} is a file; the report needs a directory`);
  process.exit(EXIT.usage);
}
// Hardhat, the season and its report (ECharts) load once the options are valid: --help and a refused option
// answer without them.
const [{ network }, { runSeason }, { writeSeasonReport }] = await Promise.all([import("hardhat"), import("../season/runSeason.js"), import("../keeper/report/index.js")]);

let connection;
try {
  connection = await network.create(values.network);
} catch (error) {
  console.error(`error: cannot use network "${values.network}": ${(error as Error).message.split("\n")[0]}`);
  process.exit(EXIT.usage);
}
const { ethers } = connection;
// A node of its own (--network localhost, DEVNET_RPC_URL) may still be starting or deploying: `npm run devnet & npm start -- --network localhost`.
const url = "url" in connection.networkConfig ? String(await connection.networkConfig.url.get()) : undefined;
const deadline = Date.now() + values.wait * 1000;
if (url !== undefined && !(await waitUntil(() => ethers.provider.getBlockNumber().then(() => true, () => false), deadline, `waiting for the node at ${url} (--network ${values.network})`))) {
  console.error(`error: no node answers at ${url} (--network ${values.network}) after ${values.wait} s; start one with \`npm run devnet\` (DEVNET_RPC_URL=URL for one on another port)`);
  process.exit(EXIT.keeper);
}
// The season deploys a test market and moves its prices: only on a development chain, checked before any transaction.
const chainId = Number((await ethers.provider.getNetwork()).chainId);
if (!DEV_CHAIN_IDS.includes(chainId)) {
  console.error(`error: --network ${values.network} is chain ${chainId}, not a local development chain (${DEV_CHAIN_IDS.join(" or ")}); the demo deploys a test market and refuses to run there`);
  process.exit(EXIT.usage);
}
if (url !== undefined && !(await waitUntil(() => devnetReady(values.devnetFile, url), deadline, `waiting for the devnet at ${url} to finish deploying (${values.devnetFile})`))) {
  console.error(`error: the devnet at ${url} is still deploying after ${values.wait} s (${values.devnetFile} says so)`);
  process.exit(EXIT.keeper);
}
const signers = await ethers.getSigners();
const data = await runSeason({
  provider: ethers.provider,
  signers: signers.slice(0, 7),
  weeks,
  tokens,
  seed,
  network: values.network === "default" ? "hardhat (in-process)" : values.network,
  publishDir: values.out,
  setNextBlockTimestamp: async (seconds) => {
    await ethers.provider.send("evm_setNextBlockTimestamp", [seconds]);
  },
  onProgress: (line) => console.log(line),
});
const { files } = await writeSeasonReport({ data, outDir: values.out });
const f = data.final;
console.log(`\nSeason done in ${data.wallSeconds} s: ${data.rebalances.length} rebalances, ${data.rebalances.filter((r) => r.kind !== "weekly").length} regime switches, ${data.trades.length} trades.`);
console.log(`NAV per share ${f.navPerShare.toFixed(4)}, max drawdown ${(f.maxDrawdown * 100).toFixed(1)}% (buy-and-hold ${(f.buyAndHoldMaxDrawdown * 100).toFixed(1)}%, BTC ${(f.btcMaxDrawdown * 100).toFixed(1)}%). Vault ${data.vault}.`);
console.log(`Report: ${files.join(", ")}`);
console.log(`Published snapshots and token list for auditors in ${values.out}/snapshots and ${values.out}/tokenlist.json.`);
if (values.network !== "default") {
  console.log(`Audit it while the node runs: npx keeper audit --rpc <node URL> --vault ${data.vault} --snapshots ${values.out}/snapshots --token-list ${values.out}/tokenlist.json`);
}
