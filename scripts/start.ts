/**
 * `npm start [-- --weeks N --tokens N --seed N --out DIR --network NAME]`: the embedded demo. Runs a simulated
 * season of the index (default 26 weeks, 30 tokens) on Hardhat's in-process chain, or on a running node with
 * `--network localhost` (after `npm run devnet`), and writes a report folder: report.md, nav.png, treemap.png,
 * summary.json and report.json.
 */
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { writeSeasonReport } from "../keeper/report/index.js";
import { runSeason } from "./season/runSeason.js";
import { parseIntegerOption } from "./cliOptions.js";

let values;
try {
  ({ values } = parseArgs({
    options: {
      weeks: { type: "string", default: "26" },
      tokens: { type: "string", default: "30" },
      seed: { type: "string", default: "1" },
      out: { type: "string", default: "report" },
      network: { type: "string", default: "default" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}
if (values.help) {
  console.log("Usage: npm start -- [--weeks N (26)] [--tokens N (30, up to 100)] [--seed N (1)] [--out DIR (report)] [--network NAME (in-process; localhost after npm run devnet)]");
  process.exit(0);
}
const weeks = parseIntegerOption("--weeks", values.weeks, 1, 520);
const tokens = parseIntegerOption("--tokens", values.tokens, 2, 100);
const seed = parseIntegerOption("--seed", values.seed, 0, 2 ** 32 - 1);

let connection;
try {
  connection = await network.create(values.network);
  await connection.ethers.provider.getBlockNumber();
} catch (error) {
  console.error(`error: cannot use network "${values.network}": ${(error as Error).message.split("\n")[0]}`);
  if (values.network === "localhost") console.error("Start a node first with `npm run devnet` (it listens on 127.0.0.1:8545).");
  process.exit(2);
}
const { ethers } = connection;
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
