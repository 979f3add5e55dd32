/**
 * `npm run bench:app:devnet [-- --weeks 52 --tokens 100 --port 8546 | --rpc URL | --serve] [--out bench-devnet]
 * [--depth-screen off|on]`: the history that `npm run bench:app` is measured on. Starts a JSON-RPC node (or uses
 * the one at --rpc, which then outlives this script; --serve starts only that node), plays a simulated season on
 * it (the demo's runSeason: the keeper's own jobs through real Uniswap V3 trades, depositors, daily market moves;
 * 52 weekly epochs of 100 constituents by default), writes <out>/devnet.json for `npm run bench:app -- --devnet
 * <out>/devnet.json` as soon as the vault exists, and keeps its own node running until Ctrl-C.
 * What it leaves out to build faster: the keeper's on-chain depth screen (off unless --depth-screen on; the
 * season's pools hold $4M and more, so the $5,000 screen excludes nothing). Its reads go through
 * StaticCallBatchingProvider, as the app's do. Slow (README, Performance, for measured times): not part of CI.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import { network } from "hardhat";
import { runSeason } from "../season/runSeason.js";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { Agent } from "node:http";
import { FetchRequest, FunctionFragment, Interface } from "ethers";
import { uniswapArtifacts } from "../keeper/chain/uniswapArtifacts.js";
import { StaticCallBatchingProvider } from "../keeper/chain/StaticCallBatchingProvider.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";
import { ConfigError } from "../keeper/config.js";

exitOnUncaughtError();

const values = parseScriptOptions<{ weeks: number; tokens: number; port: number; rpc?: string; out: string; depthScreen: "on" | "off"; serve?: boolean }>(
  new Command("npm run bench:app:devnet --")
    .description("Plays a simulated season on a JSON-RPC node and keeps it running, for `npm run bench:app` to measure.")
    .option("--weeks <n>", "weeks of history (one epoch a week)", integerInRange(1, 520), 52)
    .option("--tokens <n>", "tokens in the market (up to 100)", integerInRange(2, 100), 100)
    .option("--port <n>", "the node's port on 127.0.0.1", integerInRange(1, 65535), 8546)
    .option("--rpc <url>", "play the season on this running node (e.g. one started with --serve) instead of starting one")
    .option("--serve", "only start the node and keep it running (a season played on it with --rpc can then be stopped at any week)")
    .option("--out <dir>", "devnet.json, snapshots/ and tokenlist.json go here", "bench-devnet")
    .addOption(new Option("--depth-screen <on|off>", "the keeper's on-chain depth screen in each day's snapshot (off: ~15 fewer eth_calls per token a day; the season's pools are deep, so it excludes nothing)").choices(["on", "off"]).default("off"))
    .addHelpText("after", "\nExample:\n  $ npm run bench:app:devnet -- --serve --port 8547 &\n  $ npm run bench:app:devnet -- --weeks 52 --tokens 100 --rpc http://127.0.0.1:8547\n  $ npm run bench:app -- --devnet bench-devnet/devnet.json --snapshots bench-devnet/snapshots --token-list bench-devnet/tokenlist.json"),
);
const { weeks, tokens, port } = values;
if (values.serve && values.rpc !== undefined) throw new ConfigError("--serve starts a node of its own: it does not take --rpc (play the season on that node with --rpc alone)");
const started = performance.now();

const server = values.rpc === undefined ? await network.createServer("default", "127.0.0.1", port) : null;
const rpcUrl = server === null ? values.rpc! : await server.listen().then(({ address, port: actualPort }) => `http://${address}:${actualPort}`);
console.log(`JSON-RPC node ${server === null ? "at" : "listening on"} ${rpcUrl}`);
const stopOnSignal = () => {
  const stop = () => void server?.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
};
if (values.serve && server !== null) {
  console.log("Ctrl-C stops the node.");
  stopOnSignal();
  await server.afterClosed();
  process.exit(0);
}
// A new connection per request: over an hour-long run on a busy machine, a kept-alive socket that the node
// closes while a request is being written ends the run with ECONNRESET.
const request = new FetchRequest(rpcUrl);
request.getUrlFunc = FetchRequest.createGetUrlFunc({ agent: new Agent({ keepAlive: false }) });
// The keeper's reads of one step (readVault alone is ~300 eth_calls at 100 tokens, several times a day) folded
// into a few eth_calls, as the app reads them: the node pays its per-request overhead once, not 300 times.
const quotes = new Interface(uniswapArtifacts.quoterV2.abi).fragments.filter((f) => f instanceof FunctionFragment).map((f) => f.selector);
const provider = new StaticCallBatchingProvider(request, undefined, { cacheTimeout: -1, pollingInterval: 20, batchStallTime: 0, batchMaxCount: 1000 }, { unfolded: quotes });
const signers = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((i) => provider.getSigner(i)));
const fromBlock = await provider.getBlockNumber();
const chainId = Number((await provider.getNetwork()).chainId);
await mkdir(values.out, { recursive: true });
const devnetFile = path.join(values.out, "devnet.json");
const data = await runSeason({
  provider,
  signers,
  weeks,
  tokens,
  seed: 1,
  network: rpcUrl,
  publishDir: values.out,
  depthScreen: values.depthScreen === "on",
  setNextBlockTimestamp: async (seconds) => {
    await provider.send("evm_setNextBlockTimestamp", [seconds]);
  },
  // Minutes since the start on each line: where a long build spends its time.
  onProgress: (line) => console.log(`${((performance.now() - started) / 60_000).toFixed(1).padStart(5)} min  ${line}`),
  // The shape `npm run app -- --devnet FILE` reads (rpcUrl, chainId, deployer, vault); no faucet minter here.
  onDeployed: async ({ vault, deployedAtBlock }) =>
    writeFile(devnetFile, JSON.stringify({ rpcUrl, chainId, deployer: await signers[0]!.getAddress(), deployedAtBlock: fromBlock, vault: { vault, deployedAtBlock } }, null, 2)),
});
console.log(`${data.rebalances.length} rebalances, ${data.trades.length} trades; vault ${data.vault}`);
console.log(`measure: npm run bench:app -- --devnet ${devnetFile} --snapshots ${values.out}/snapshots --token-list ${values.out}/tokenlist.json`);
if (server === null) process.exit(0);
console.log("Ctrl-C stops the node.");
stopOnSignal();
await server.afterClosed();
