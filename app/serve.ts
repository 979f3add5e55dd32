/**
 * `npm run app [-- --port 5173 --devnet devnet.json | --rpc URL --vault ADDR [--queue ADDR] | --config FILE] [--prod]`:
 * serves the web app on 127.0.0.1 with its runtime config.json, the chain's token list and the snapshot
 * folder. By default it points at the devnet `npm run devnet` wrote (devnet.json, devnet.tokenlist.json, the
 * KEEPER_SNAPSHOT_DIR of devnet.env). --prod serves the production build (building it first).
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { EXIT } from "../keeper/cli/exitCodes.js";
import type { Connect, Plugin } from "vite";
import { build, createServer, preview } from "vite";
import { parseConfig, type AppConfig } from "./src/config.js";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

const appDir = path.dirname(fileURLToPath(import.meta.url));

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(EXIT.usage);
}

const values = parseScriptOptions<{ port: number; devnet: string; rpc?: string; vault?: string; queue?: string; config?: string; snapshots?: string; tokenList?: string; explorer?: string; prod: boolean }>(
  new Command("npm run app --")
    .description("Serves the web app on 127.0.0.1 with its runtime config.json, the token list and the published snapshots.")
    .option("--port <n>", "the port on 127.0.0.1", integerInRange(1, 65535), 5173)
    .option("--devnet <file>", "the devnet to point at (written by npm run devnet)", "devnet.json")
    .option("--rpc <url>", "any chain's JSON-RPC URL (with --vault)")
    .option("--vault <address>", "the vault (with --rpc)")
    .option("--queue <address>", "the vault's ERC-7540 request queue, if it has one (with --rpc)")
    .option("--config <file>", "a config.json to serve as is")
    .option("--snapshots <dir>", "the published snapshots folder (default: KEEPER_SNAPSHOT_DIR of the devnet's .env)")
    .option("--token-list <file>", "the chain's token list (default: the devnet's)")
    .option("--explorer <url>", "a block explorer's base URL")
    .option("--prod", "serve the production build (built first when missing)", false)
    .addHelpText("after", "\nExample:\n  $ npm run app\n  $ npm run app -- --rpc http://127.0.0.1:8545 --vault 0x... --snapshots report/snapshots --token-list report/tokenlist.json"),
);
const port = values.port;

/** What the server serves besides the app: the config, and the local files the config's URLs point at. */
interface Served {
  config: AppConfig;
  tokenListFile: string | null;
  snapshotsDir: string | null;
}

async function resolveServed(): Promise<Served> {
  if (values.config !== undefined) {
    const text = await readFile(values.config, "utf8").catch(() => fail(`cannot read --config ${values.config}`));
    try {
      return { config: parseConfig(JSON.parse(text)), tokenListFile: values.tokenList ?? null, snapshotsDir: values.snapshots ?? null };
    } catch (error) {
      fail(`${values.config}: ${(error as Error).message}`);
    }
  }
  if (values.rpc !== undefined || values.vault !== undefined) {
    if (values.rpc === undefined || values.vault === undefined) fail("--rpc and --vault go together");
    const chainId = await rpcChainId(values.rpc);
    return {
      config: parseConfig({
        chainId,
        chainName: `chain ${chainId}`,
        rpcUrl: values.rpc,
        vault: values.vault,
        queue: values.queue ?? null,
        explorerUrl: values.explorer ?? null,
        tokenListUrl: "tokenlist.json",
        snapshotsUrl: "snapshots",
        faucet: null,
      }),
      tokenListFile: values.tokenList ?? null,
      snapshotsDir: values.snapshots ?? null,
    };
  }
  if (!existsSync(values.devnet)) fail(`${values.devnet} not found: start a devnet with \`npm run devnet\`, or give --rpc URL --vault ADDR or --config FILE`);
  const devnet = JSON.parse(readFileSync(values.devnet, "utf8"));
  const base = values.devnet.replace(/\.json$/, "");
  const env = existsSync(`${base}.env`) ? readFileSync(`${base}.env`, "utf8") : "";
  const snapshotsDir = values.snapshots ?? /^KEEPER_SNAPSHOT_DIR=(.*)$/m.exec(env)?.[1] ?? "snapshots/devnet";
  await rpcChainId(devnet.rpcUrl);
  return {
    config: parseConfig({
      chainId: devnet.chainId,
      chainName: "Devnet",
      rpcUrl: devnet.rpcUrl,
      vault: devnet.vault.vault,
      queue: devnet.vault.queue ?? null,
      fromBlock: devnet.vault.deployedAtBlock,
      explorerUrl: values.explorer ?? null,
      tokenListUrl: "tokenlist.json",
      snapshotsUrl: "snapshots",
      faucet: { minter: devnet.deployer, amount: "10000" },
    }),
    tokenListFile: values.tokenList ?? `${base}.tokenlist.json`,
    snapshotsDir,
  };
}

async function rpcChainId(url: string): Promise<number> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    return Number(((await response.json()) as { result: string }).result);
  } catch {
    fail(`the RPC ${url} is unreachable (is the devnet running? \`npm run devnet\`)`);
  }
}

/** Serves config.json, tokenlist.json and snapshots/* from disk, read on each request (the keeper adds files). */
function runtimeFiles(served: Served): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = (req.url ?? "").split("?")[0]!.replace(/^.*?\/(config\.json|tokenlist\.json|snapshots\/)/, "/$1");
    const send = (status: number, body: string) => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.setHeader("cache-control", "no-store");
      res.end(body);
    };
    if (url === "/config.json") return send(200, JSON.stringify(served.config, null, 2));
    let file: string | null = null;
    if (url === "/tokenlist.json" && served.tokenListFile !== null) file = served.tokenListFile;
    const snapshot = /^\/snapshots\/((?:\d+|index)\.json)$/.exec(url);
    if (snapshot !== null && served.snapshotsDir !== null) file = path.join(served.snapshotsDir, snapshot[1]!);
    if (file === null) return next();
    readFile(file, "utf8").then(
      (text) => send(200, text),
      () => send(404, JSON.stringify({ error: `${url} not found` })),
    );
  };
  return {
    name: "index-vault-runtime-files",
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

const served = await resolveServed();
const configFile = path.join(appDir, "vite.config.ts");
const options = { configFile, plugins: [runtimeFiles(served)], logLevel: "warn" as const };
if (values.prod) {
  if (!existsSync(path.join(appDir, "dist", "index.html"))) await build({ configFile, logLevel: "warn" });
  const server = await preview({ ...options, preview: { host: "127.0.0.1", port, strictPort: true } });
} else {
  const server = await createServer({ ...options, server: { host: "127.0.0.1", port, strictPort: true } });
  await server.listen();
}
console.log(`app on http://127.0.0.1:${port}/ (${values.prod ? "production build" : "development server"})`);
console.log(`vault ${served.config.vault} on ${served.config.rpcUrl} (chain ${served.config.chainId}); snapshots from ${served.snapshotsDir ?? "(none)"}`);
