import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";
import { deployMarket } from "../../devnet/deployMarket.js";
import { deployVault } from "../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../devnet/tokenSpecs.js";
import { devnetSyntheticAssets, marketTokenList } from "../../devnet/marketTokenList.js";
import { DEVNET_ACCOUNTS } from "../../devnet/accounts.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { EXIT } from "../../keeper/cli/exitCodes.js";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const KEEPER_BIN = path.resolve("bin/keeper.js");

/** Runs the `keeper` bin as a user would; `killOn` SIGKILLs it as soon as stderr shows that text. */
function keeper(args: string[], env: Record<string, string>, killOn?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KEEPER_BIN, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (killOn !== undefined && stderr.includes(killOn)) child.kill("SIGKILL");
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs bin/keeper.js as the shell and `npx keeper` do: as an executable, through its `#!` line. */
function keeperExecutable(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(KEEPER_BIN, args, { env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`, HOME: process.env.HOME ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("keeper CLI usage (the real binary, no chain)", function () {
  it("--env-file after the command is the keeper's flag, not Node's: a missing file is exit 2 with one line naming it", async function () {
    // After the command, and before it too (the README's other spelling): independent processes, run at once.
    const [result, before] = await Promise.all([keeperExecutable(["status", "--env-file", "nope.env"]), keeperExecutable(["--env-file", "nope.env", "status"])]);
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr.trim()).to.equal("keeper: --env-file nope.env: no such file");
    expect(before.code, before.stderr).to.equal(2);
    expect(before.stderr.trim()).to.equal("keeper: --env-file nope.env: no such file");
  });

  it("reads the configuration from --env-file given after the command", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-env-"));
    await writeFile(path.join(dir, "bad.env"), "KEEPER_VAULT=0x1234\n");
    const result = await keeperExecutable(["status", "--env-file", path.join(dir, "bad.env")]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('KEEPER_VAULT="0x1234"');
  });

  it("gives every command its own --help with its flags and an example, exit 0", async function () {
    const flags: Record<string, string[]> = { status: ["--json"], plan: ["--mode", "--as-of"], rebalance: ["--dry-run", "--mode", "--as-of"], run: ["--log-json"], audit: ["--rpc", "--vault", "--from-block", "--snapshots", "--token-list", "--report"], roles: ["--rpc", "--vault", "--json"] };
    // The offline commands too.
    const offline: Record<string, string[]> = { classify: ["--json", "<ids...>"], "data fetch": ["--from", "--to", "--top", "--out", "--cache"] };
    // Every command's --help in its own process, all at once (they read nothing and share nothing).
    const help = new Map(await Promise.all([...Object.keys(flags), ...Object.keys(offline)].map(async (command) => [command, await keeperExecutable([...command.split(" "), "--help"])] as const)));
    for (const [command, expected] of Object.entries(flags)) {
      const result = help.get(command)!;
      expect(result.code, command).to.equal(0);
      expect(result.stdout).to.include(`Usage: keeper ${command} [options]`).and.include("Example:").and.include(`$ keeper ${command}`).and.include("--env-file");
      for (const flag of expected) expect(result.stdout, `${command} --help`).to.include(flag);
    }
    expect(help.get("status")!.stdout).to.not.include("--mode").and.not.include("--rpc");
    for (const [command, expected] of Object.entries(offline)) {
      const result = help.get(command)!;
      expect(result.code, command).to.equal(0);
      expect(result.stdout).to.include(`Usage: keeper ${command} [options]`).and.include("Example:").and.include(`keeper ${command} --`);
      for (const flag of expected) expect(result.stdout, `${command} --help`).to.include(flag);
    }
  });

  it("rejects a flag the command does not take with that command's usage, exit 2", async function () {
    const [result, classify, fetch] = await Promise.all([
      keeperExecutable(["status", "--rpc", "http://127.0.0.1:8545"]),
      keeperExecutable(["classify", "--rpc", "http://127.0.0.1:8545", "bitcoin"]),
      keeperExecutable(["data", "fetch", "--vault", "0x12"]),
    ]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("keeper: unknown option '--rpc'").and.include("Usage: keeper status [options]");
    expect(classify.code).to.equal(2);
    expect(classify.stderr.split("\n")[0]).to.equal("keeper: unknown option '--rpc'");
    expect(classify.stderr).to.include("Usage: keeper classify [options] <ids...>");
    expect(fetch.code).to.equal(2);
    expect(fetch.stderr.split("\n")[0]).to.equal("keeper: unknown option '--vault'");
    expect(fetch.stderr).to.include("Usage: keeper data fetch [options]");
  });

  it("a chain it cannot reach is exit 3 with one line naming KEEPER_RPC_URL", async function () {
    const result = await keeperExecutable(["status"], {
      KEEPER_RPC_URL: "http://127.0.0.1:9",
      KEEPER_VAULT: DEVNET_ACCOUNTS.depositor.address,
      KEEPER_ADAPTER: DEVNET_ACCOUNTS.depositor.address,
      KEEPER_QUOTER_V2: DEVNET_ACCOUNTS.depositor.address,
      KEEPER_TOKEN_LIST: "tokenlist.json",
    });
    expect(result.code, result.stderr).to.equal(3);
    expect(result.stderr.trim()).to.equal("keeper: cannot reach the chain at KEEPER_RPC_URL=http://127.0.0.1:9 (ECONNREFUSED)");
  });

  it("exits with each code of the README's exit-code table, with one line on stderr and no stack trace (4: the audit test below)", async function () {
    // The README's table lists exactly the codes exitCodes.ts defines.
    const readme = await readFile("README.md", "utf8");
    const table = readme.slice(readme.indexOf("| exit code |"));
    const rows = [...table.slice(0, table.indexOf("\n\n")).matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    expect(rows).to.deep.equal(Object.values(EXIT));
    const oneLine = (result: CliResult) => {
      expect(result.stderr.trim().split("\n"), result.stderr).to.have.length(1);
      expect(result.stderr).to.not.match(/^\s+at /m);
    };
    // 0, 2 and 3 need nothing but the binary: started now, checked below, while 1's node is set up and asked.
    const others = Promise.all([
      keeperExecutable(["classify", "bitcoin"]),
      keeperExecutable(["status", "--env-file", "nope.env"]),
      keeperExecutable(["roles", "--rpc", "http://127.0.0.1:9", "--vault", DEVNET_ACCOUNTS.depositor.address]),
    ]);
    // 1: an error nobody anticipated. A node that answers every call with one word (no vault's ABI decodes it).
    const node = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const answer = (r: { id: number; method: string }) => ({ jsonrpc: "2.0", id: r.id, result: r.method === "eth_chainId" ? "0x7a69" : r.method === "eth_getCode" ? "0x6000" : `0x${"00".repeat(31)}01` });
        const request = JSON.parse(body);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(request) ? request.map(answer) : answer(request)));
      });
    });
    await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "keeper-exit-1-"));
      const token = { chainId: 31337, address: `0x${"00".repeat(19)}01`, name: "USD Coin", symbol: "USDC", decimals: 6, extensions: { providerId: "usd-coin" } };
      await writeFile(path.join(dir, "tokenlist.json"), JSON.stringify({ name: "one", timestamp: "2026-01-01T00:00:00Z", version: { major: 1, minor: 0, patch: 0 }, tokens: [token] }));
      const unexpected = await keeperExecutable(["status"], {
        KEEPER_RPC_URL: `http://127.0.0.1:${(node.address() as { port: number }).port}`,
        KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey,
        KEEPER_VAULT: DEVNET_ACCOUNTS.depositor.address,
        KEEPER_ADAPTER: DEVNET_ACCOUNTS.depositor.address,
        KEEPER_QUOTER_V2: DEVNET_ACCOUNTS.depositor.address,
        KEEPER_TOKEN_LIST: path.join(dir, "tokenlist.json"),
        KEEPER_DATA_SOURCE: "synthetic",
      });
      expect(unexpected.code, unexpected.stderr).to.equal(EXIT.unexpected);
      oneLine(unexpected);
      expect(unexpected.stderr.trim()).to.match(/^keeper: unexpected error: could not decode result data \(at keeper\/[\w/]+\.ts:\d+\)$/);
    } finally {
      node.close();
    }
    const [ok, usage, unreachable] = await others;
    expect(ok.code, ok.stderr).to.equal(EXIT.ok);
    expect(ok.stdout).to.match(/^bitcoin\s+eligible\s+curated/m);
    expect(usage.code).to.equal(EXIT.usage);
    oneLine(usage);
    expect(unreachable.code, unreachable.stderr).to.equal(EXIT.keeper);
    oneLine(unreachable);
  });

  it("rejects a bad value naming the flag and its allowed values, exit 2", async function () {
    const [mode, asOf, vault] = await Promise.all([
      keeperExecutable(["plan", "--mode", "monthly"]),
      keeperExecutable(["rebalance", "--as-of", "yesterday"]),
      keeperExecutable(["audit", "--rpc", "http://127.0.0.1:1", "--vault", "0x12"]),
    ]);
    expect(mode.code).to.equal(2);
    expect(mode.stderr).to.include("'--mode <mode>' argument 'monthly' is invalid").and.include("weekly, regime-check").and.include("Usage: keeper plan");
    expect(asOf.code).to.equal(2);
    expect(asOf.stderr).to.include("'yesterday' is invalid").and.include("ISO-8601");
    expect(vault.code).to.equal(2);
    expect(vault.stderr).to.include('--vault (KEEPER_VAULT)="0x12"');
  });
});

describe("keeper CLI against a JSON-RPC devnet", function () {
  let server: Awaited<ReturnType<typeof network.createServer>>;
  let env: Record<string, string>;
  let vault: string;
  let rpcUrl: string;
  let deployment: Awaited<ReturnType<typeof deployVault>>;

  before(async function () {
    server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    const provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
    const deployer = await provider.getSigner(0);
    const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 8 }) });
    deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
    vault = deployment.vault;
    const depositor = new Wallet(DEVNET_ACCOUNTS.depositor.privateKey, provider);
    await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, 500_000n * 10n ** 6n)).wait();
    await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(vault, 500_000n * 10n ** 6n)).wait();
    await (await IndexVault__factory.connect(vault, depositor).deposit(500_000n * 10n ** 6n, depositor.address)).wait();
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-cli-"));
    await writeFile(path.join(dir, "devnet.json"), JSON.stringify({ syntheticAssets: devnetSyntheticAssets(market) }));
    await writeFile(path.join(dir, "tokenlist.json"), JSON.stringify(marketTokenList(market)));
    env = {
      KEEPER_RPC_URL: rpcUrl,
      KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey,
      KEEPER_VAULT: vault,
      KEEPER_ADAPTER: deployment.adapter,
      KEEPER_QUOTER_V2: market.quoterV2,
      KEEPER_TOKEN_LIST: path.join(dir, "tokenlist.json"),
      KEEPER_DATA_SOURCE: "synthetic",
      KEEPER_DATA_FILE: path.join(dir, "devnet.json"),
      KEEPER_CONSTITUENTS: "6",
      KEEPER_SNAPSHOT_DIR: path.join(dir, "snapshots"),
    };
  });

  after(async () => server.close());

  it("stops at start-up with exit code 2 and a message naming each bad variable", async function () {
    const result = await keeper(["status"], { ...env, KEEPER_VAULT: "0x1234", KEEPER_SLIPPAGE_BPS: "lots" });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('KEEPER_VAULT="0x1234"').and.include("KEEPER_SLIPPAGE_BPS").and.include(".env.example");
  });

  it("rejects an unknown command with the usage and exit code 2", async function () {
    const result = await keeper(["rebalnce"], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('unknown command "rebalnce"').and.include("Usage: keeper");
  });

  it("reads the whole configuration from --env-file after the command", async function () {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "keeper-env-")), "devnet.env");
    await writeFile(file, Object.entries(env).map(([name, value]) => `${name}=${value}`).join("\n"));
    const result = await keeperExecutable(["status", "--env-file", file]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/NAV\s+500,000\.00 USDC/);
  });

  it("resolves a relative path in an --env-file against the file's folder, not the current directory", async function () {
    const folder = await mkdtemp(path.join(tmpdir(), "keeper-env-"));
    await writeFile(path.join(folder, "list.json"), await readFile(env.KEEPER_TOKEN_LIST!, "utf8"));
    const file = path.join(folder, "devnet.env");
    await writeFile(file, Object.entries({ ...env, KEEPER_TOKEN_LIST: "list.json" }).map(([name, value]) => `${name}=${value}`).join("\n"));
    const result = await keeperExecutable(["status", "--env-file", file]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/NAV\s+500,000\.00 USDC/);
  });

  it("prints the vault's status as a table and as JSON", async function () {
    const table = await keeper(["status"], env);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.match(/NAV\s+500,000\.00 USDC/).and.include("Next rebalance");
    const json = await keeper(["status", "--json"], env);
    expect(JSON.parse(json.stdout)).to.include({ vault, regime: "bull", epoch: "0", navAsset: "500000000000" });
  });

  it("refuses a future --as-of with exit code 2 before publishing or sending anything", async function () {
    const result = await keeper(["rebalance", "--as-of", "2030-01-09T00:00:00Z"], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("--as-of 2030-01-09T00:00:00.000Z is after the chain's time").and.include("nothing was sent");
    expect(await IndexVault__factory.connect(vault, createJsonRpcProvider({ url: rpcUrl })).currentEpoch()).to.equal(0n);
  });

  it("refuses a key without KEEPER_ROLE at start-up: exit 2, one line naming the account and the vault, nothing written or sent", async function () {
    const result = await keeper(["rebalance"], { ...env, KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.depositor.privateKey });
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(`keeper: KEEPER_PRIVATE_KEY: account ${DEVNET_ACCOUNTS.depositor.address} does not hold KEEPER_ROLE on the vault ${vault} (chain 31337); nothing was sent`);
    expect(existsSync(env.KEEPER_SNAPSHOT_DIR!)).to.equal(false);
    expect(await IndexVault__factory.connect(vault, createJsonRpcProvider({ url: rpcUrl })).currentEpoch()).to.equal(0n);
  });

  it("a token list for another chain, or not a token list, and a broken KEEPER_DATA_FILE: exit 2, one line naming the variable", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-inputs-"));
    const list = JSON.parse(await readFile(env.KEEPER_TOKEN_LIST!, "utf8"));
    await writeFile(path.join(dir, "mainnet.json"), JSON.stringify({ ...list, tokens: list.tokens.map((t: object) => ({ ...t, chainId: 1 })) }));
    await writeFile(path.join(dir, "broken.json"), JSON.stringify({ ...list, tokens: [{ ...list.tokens[0], address: "0x12" }, ...list.tokens.slice(1)] }));
    await writeFile(path.join(dir, "market.json"), JSON.stringify({ assets: [{ id: "bitcoin", symbol: "BTC", marketCapUsd: -1, volume24hUsd: 1, priceUsd: 1 }] }));
    // Four refusals at start-up, each its own process with its own input: run at once.
    const [otherChain, broken, data, missing] = await Promise.all([
      keeper(["plan"], { ...env, KEEPER_TOKEN_LIST: path.join(dir, "mainnet.json") }),
      keeper(["plan"], { ...env, KEEPER_TOKEN_LIST: path.join(dir, "broken.json") }),
      keeper(["plan"], { ...env, KEEPER_DATA_SOURCE: "file", KEEPER_DATA_FILE: path.join(dir, "market.json") }),
      keeper(["plan"], { ...env, KEEPER_DATA_SOURCE: "file", KEEPER_DATA_FILE: path.join(dir, "nope.json") }),
    ]);
    expect(otherChain.code).to.equal(2);
    expect(otherChain.stderr.trim()).to.equal(`keeper: KEEPER_TOKEN_LIST: ${path.join(dir, "mainnet.json")} has no token for chain 31337 (its tokens are for chain 1): a list for another chain?`);
    expect(broken.code).to.equal(2);
    expect(broken.stderr.trim()).to.equal(`keeper: KEEPER_TOKEN_LIST: ${path.join(dir, "broken.json")} is not a valid token list: tokens.0.address: must be a 20-byte hex address`);
    expect(data.code).to.equal(2);
    expect(data.stderr.trim()).to.equal(`keeper: KEEPER_DATA_FILE: ${path.join(dir, "market.json")} is not a market data file: assets.0.marketCapUsd: Number must be greater than or equal to 0`);
    expect(missing.code).to.equal(2);
    expect(missing.stderr.trim()).to.match(/^keeper: KEEPER_DATA_FILE: cannot read market data file .*nope\.json/);
  });

  it("plans without sending anything", async function () {
    const result = await keeper(["plan"], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("commit dry-run").and.include("Cost preview");
    // It publishes nothing, and says so instead of naming a file it did not write.
    expect(result.stdout).to.include("(dry run: not published, nothing written)").and.not.include("published at");
    expect(existsSync(env.KEEPER_SNAPSHOT_DIR!)).to.equal(false);
    const dry = await keeper(["rebalance", "--dry-run", "--json"], env);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(JSON.parse(dry.stdout)).to.include({ commit: "dry-run" }).and.not.have.property("snapshotPath");
    expect(existsSync(env.KEEPER_SNAPSHOT_DIR!)).to.equal(false);
    expect(await IndexVault__factory.connect(vault, createJsonRpcProvider({ url: rpcUrl })).currentEpoch()).to.equal(0n);
  });

  it("a rebalance killed (SIGKILL) right after its commit resumes on the next start without trading twice", async function () {
    const killed = await keeper(["rebalance", "--log-json"], env, '"msg":"targets committed"');
    expect(killed.code).to.equal(null);
    const provider = createJsonRpcProvider({ url: rpcUrl });
    const vaultContract = IndexVault__factory.connect(vault, provider);
    expect(await vaultContract.currentEpoch()).to.not.equal(0n);
    expect(await vaultContract.queryFilter(vaultContract.filters.TradeExecuted())).to.have.length(0);

    const resumed = await keeper(["rebalance", "--json"], env);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.commit).to.equal("already-committed");
    expect(summary.complete).to.equal(true);
    const trades = await vaultContract.queryFilter(vaultContract.filters.TradeExecuted());
    // N = 6, of which at least one off-chain asset ranks in without a token here: at least 4 constituents to buy.
    expect(trades.length).to.be.greaterThanOrEqual(4);
    expect(await vaultContract.queryFilter(vaultContract.filters.TargetsCommitted())).to.have.length(1);

    const again = await keeper(["rebalance", "--json"], env);
    expect(JSON.parse(again.stdout).batches).to.have.length(0);
    expect(await vaultContract.queryFilter(vaultContract.filters.TradeExecuted())).to.have.length(trades.length);
  });

  it("after the rebalance: status shows the stablecoin's target with the cash buffer, and plan says there is nothing to trade", async function () {
    const status = await keeper(["status"], env);
    expect(status.code, status.stderr).to.equal(0);
    // The default 200 bps buffer: the plan keeps 2% in USDC, and the target column says so.
    expect(status.stdout).to.match(/^USDC\s+[\d,.]+\s+[\d,.]+\s+[\d.]+%\s+2\.00%/m);
    const plan = await keeper(["plan"], env);
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.include("Plan: nothing to trade").and.not.include("Cost preview");
    // --json: integer base units only, decimals given once.
    const json = JSON.parse((await keeper(["status", "--json"], env)).stdout);
    expect(json.assetDecimals).to.equal(6);
    for (const h of json.holdings) {
      expect(h.balance, h.symbol).to.match(/^\d+$/);
      expect(h.valueAsset, h.symbol).to.match(/^\d+$/);
      expect(h.decimals, h.symbol).to.be.a("number");
    }
    expect(json.holdings.find((h: { symbol: string }) => h.symbol === "USDC").targetBps).to.equal(200);
    // offchain-1 ($40B, third by market cap) ranks into the top 6 without a token here: status names it. Whether
    // offchain-2 ($8B) does too depends on which devnet tokens the screens leave above it.
    expect(json.unregistered[0]).to.equal("offchain-1");
    expect(status.stdout).to.match(/Not on the vault\s+offchain-1(, offchain-2)? rank into the index/);
  });

  it("refuses a truncated token list that lacks tokens the vault holds: exit 2, one line naming KEEPER_TOKEN_LIST", async function () {
    const list = JSON.parse(await readFile(env.KEEPER_TOKEN_LIST!, "utf8"));
    const file = path.join(await mkdtemp(path.join(tmpdir(), "keeper-list-")), "truncated.json");
    await writeFile(file, JSON.stringify({ ...list, tokens: list.tokens.slice(0, 2) }));
    const result = await keeper(["plan"], { ...env, KEEPER_TOKEN_LIST: file });
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.match(new RegExp(`^keeper: KEEPER_TOKEN_LIST=${file} lacks \\d+ of the 8 tokens the vault registers and holds \\(0x[0-9a-fA-F]{40}.*\\): a truncated or outdated list\\?$`));
    expect(result.stdout).to.equal("");
  });

  it("audits from the vault's deployment block with progress on stderr, and records that block in the report", async function () {
    const report = path.join(await mkdtemp(path.join(tmpdir(), "keeper-audit-")), "report.json");
    const args = ["audit", "--rpc", rpcUrl, "--vault", vault, "--snapshots", env.KEEPER_SNAPSHOT_DIR!, "--token-list", env.KEEPER_TOKEN_LIST!, "--report", report];
    const result = await keeper(args, {});
    expect(result.code, result.stderr).to.equal(0);
    const deploymentBlock = Number(await IndexVault__factory.connect(vault, createJsonRpcProvider({ url: rpcUrl })).deploymentBlock());
    expect(deploymentBlock).to.be.greaterThan(0);
    expect(result.stderr).to.include(`blocks ${deploymentBlock}-`).and.include("(from the vault's deployment block)").and.include("vault events: blocks").and.include("(100 %)");
    expect(result.stdout).to.include("PASS");
    expect(JSON.parse(await readFile(report, "utf8")).fromBlock).to.equal(deploymentBlock);
  });

  it("colours the audit's verdicts on a terminal (util-linux script's pseudo-terminal), not with NO_COLOR set, not into a pipe", async function () {
    expect(spawnSync("script", ["--version"]).status, "this test needs util-linux's `script` for a pseudo-terminal").to.equal(0);
    const args = ["audit", "--rpc", rpcUrl, "--vault", vault, "--snapshots", env.KEEPER_SNAPSHOT_DIR!, "--token-list", env.KEEPER_TOKEN_LIST!, "--report", path.join(await mkdtemp(path.join(tmpdir(), "keeper-tty-")), "report.json")];
    /** The keeper with stdout and stderr on a pseudo-terminal; its exit code is script's (-e). */
    const onTerminal = (extraEnv: Record<string, string>) =>
      new Promise<CliResult>((resolve) => {
        const command = [process.execPath, KEEPER_BIN, ...args].map((a) => `'${a}'`).join(" ");
        const environment: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm-256color", ...extraEnv };
        const child = spawn("script", ["-qfec", command, "/dev/null"], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
      });
    const coloured = await onTerminal({});
    expect(coloured.code, coloured.stdout).to.equal(0);
    expect(coloured.stdout).to.include("\u001b[32mPASS\u001b[39m");
    const noColor = await onTerminal({ NO_COLOR: "1" });
    expect(noColor.code, noColor.stdout).to.equal(0);
    expect(noColor.stdout).to.match(/ PASS\r?$/m).and.not.match(/\u001b\[/);
    const piped = await keeper(args, {});
    expect(piped.code, piped.stderr).to.equal(0);
    expect(piped.stdout).to.match(/ PASS$/m).and.not.match(/\u001b\[/);
  });

  it("an audit that finds a violation exits 4 (a published snapshot altered after its commit), FAIL uncoloured when stdout is not a terminal", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-audit-fail-"));
    const published = (await readdir(env.KEEPER_SNAPSHOT_DIR!)).filter((f) => /^\d+\.json$/.test(f));
    expect(published).to.have.length(1);
    // One byte more than what was committed: the hash no longer matches the chain's.
    await writeFile(path.join(dir, published[0]!), `${await readFile(path.join(env.KEEPER_SNAPSHOT_DIR!, published[0]!), "utf8")} `);
    const args = ["audit", "--rpc", rpcUrl, "--vault", vault, "--snapshots", dir, "--token-list", env.KEEPER_TOKEN_LIST!, "--report", path.join(dir, "report.json")];
    const result = await keeper(args, {});
    expect(result.code, result.stderr).to.equal(4);
    expect(result.stdout).to.include("FAIL").and.not.match(/\u001b\[/);
    expect(result.stderr).to.match(/^VIOLATION \{.*"snapshot-hash/m);
    // FORCE_COLOR colours the verdicts even into a pipe; NO_COLOR is for terminals that set it.
    const coloured = await keeper(args, { FORCE_COLOR: "1" });
    expect(coloured.code).to.equal(4);
    expect(coloured.stdout).to.include("\u001b[31mFAIL");
  });

  it("audit input problems are exit 2 with one line naming the input, before anything is read or written", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-audit-inputs-"));
    const base = ["audit", "--rpc", rpcUrl, "--vault", vault];
    const list = JSON.parse(await readFile(env.KEEPER_TOKEN_LIST!, "utf8"));
    await writeFile(path.join(dir, "base.json"), JSON.stringify({ ...list, tokens: list.tokens.map((t: object) => ({ ...t, chainId: 8453 })) }));
    // Nothing mines while they run (they only read), so the head they compare --from-block with is this one.
    const head = await createJsonRpcProvider({ url: rpcUrl }).getBlockNumber();
    // Five refusals, each its own process with its own input: run at once.
    const withReport = (args: string[]) => keeper([...base, ...args, "--report", path.join(dir, "report.json")], {});
    const oneLine = (result: CliResult, args: string[], expected: string) => {
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).to.equal(2);
      expect(result.stderr.trim()).to.equal(expected);
      expect(result.stdout).to.equal("");
    };
    const inputs: [string[], string][] = [
      [["--snapshots", path.join(dir, "snapshotz")], `keeper: --snapshots ${path.join(dir, "snapshotz")}: no such folder`],
      [["--token-list", path.join(dir, "base.json")], `keeper: --token-list: ${path.join(dir, "base.json")} has no token for chain 31337 (its tokens are for chain 8453): a list for another chain?`],
      [["--from-block", "99999999"], `keeper: --from-block 99999999 is past the chain's head, block ${head}`],
    ];
    const [eoa, unwritable, ...results] = await Promise.all([
      keeper(["audit", "--rpc", rpcUrl, "--vault", DEVNET_ACCOUNTS.depositor.address, "--report", path.join(dir, "report.json")], {}),
      keeper([...base, "--report", path.join(dir, "no-such-folder", "report.json")], {}),
      ...inputs.map(([args]) => withReport(args)),
    ]);
    inputs.forEach(([args, expected], i) => oneLine(results[i]!, args, expected));
    expect(existsSync(path.join(dir, "report.json"))).to.equal(false);
    expect(eoa.code).to.equal(2);
    expect(eoa.stderr.trim()).to.equal(`keeper: --vault ${DEVNET_ACCOUNTS.depositor.address}: no contract at this address on chain 31337 (an account, or another chain's vault?)`);
    expect(unwritable.code).to.equal(2);
    expect(unwritable.stderr.trim()).to.equal(`keeper: --report ${path.join(dir, "no-such-folder", "report.json")}: cannot write there (ENOENT)`);
  });

  it("keeper roles lists who holds every role on the vault, its queue, its timelock and its oracle", async function () {
    const result = await keeper(["roles", "--rpc", rpcUrl, "--vault", vault, "--queue", deployment.queue, "--json"], {});
    expect(result.code, result.stderr).to.equal(0);
    const { contracts } = JSON.parse(result.stdout) as { contracts: Array<{ kind: string; address: string; minDelaySeconds?: number; roles: Array<{ role: string; holders: string[] }> }> };
    const holders = (kind: string) => Object.fromEntries(contracts.find((c) => c.kind === kind)!.roles.map((r) => [r.role, r.holders]));
    expect(holders("vault")).to.deep.equal({ DEFAULT_ADMIN_ROLE: [deployment.timelock], KEEPER_ROLE: [DEVNET_ACCOUNTS.keeper.address], GUARDIAN_ROLE: [DEVNET_ACCOUNTS.guardian.address] });
    // The queue: the timelock its only admin from the constructor on, the keeper its settler.
    expect(holders("queue")).to.deep.equal({ DEFAULT_ADMIN_ROLE: [deployment.timelock], SETTLER_ROLE: [DEVNET_ACCOUNTS.keeper.address] });
    expect(contracts.filter((c) => c.kind === "timelock"), "one timelock administers both").to.have.length(1);
    // The timelock administers itself (the deployer renounced its admin role); execution is open to anyone.
    expect(holders("timelock")).to.deep.equal({ DEFAULT_ADMIN_ROLE: [deployment.timelock], PROPOSER_ROLE: [deployment.proposer], EXECUTOR_ROLE: ["0x0000000000000000000000000000000000000000"], CANCELLER_ROLE: [deployment.proposer] });
    expect(contracts.find((c) => c.kind === "timelock")!.address).to.equal(deployment.timelock);
    expect(contracts.find((c) => c.kind === "timelock")!.minDelaySeconds).to.equal(2 * 24 * 3600);
    // The timelock owns the oracle; nobody is taking it over, and the deployer renounced its configurator right.
    expect(holders("oracle")).to.deep.equal({ owner: [deployment.timelock], pendingOwner: [], configurator: [] });
    const table = await keeper(["roles"], env);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.match(new RegExp(`^DEFAULT_ADMIN_ROLE\\s+${deployment.timelock}\\s+timelock$`, "m")).and.match(/^EXECUTOR_ROLE\s+0x0{40}\s+anyone \(the zero address\)$/m);
  });
});

describe("keeper run (the daemon)", function () {
  it("serves /healthz and Prometheus /metrics, and stops cleanly with exit code 0 on SIGTERM", async function () {
    const server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const rpcUrl = `http://${address}:${port}`;
    const provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
    const deployer = await provider.getSigner(0);
    const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 3 }) });
    const deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-run-"));
    await writeFile(path.join(dir, "devnet.json"), JSON.stringify({ syntheticAssets: devnetSyntheticAssets(market) }));
    await writeFile(path.join(dir, "tokenlist.json"), JSON.stringify(marketTokenList(market)));
    const child = spawn(process.execPath, [KEEPER_BIN, "run", "--log-json"], {
      env: {
        PATH: process.env.PATH ?? "",
        KEEPER_RPC_URL: rpcUrl,
        KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey,
        KEEPER_VAULT: deployment.vault,
        KEEPER_ADAPTER: deployment.adapter,
        KEEPER_QUOTER_V2: market.quoterV2,
        KEEPER_TOKEN_LIST: path.join(dir, "tokenlist.json"),
        KEEPER_DATA_SOURCE: "synthetic",
        KEEPER_DATA_FILE: path.join(dir, "devnet.json"),
        KEEPER_METRICS_PORT: "0",
      },
    });
    try {
      let stderr = "";
      const metricsPort = await new Promise<number>((resolve, reject) => {
        child.stderr.on("data", (d) => {
          stderr += d;
          const match = /"port":(\d+)/.exec(stderr);
          if (match) resolve(Number(match[1]));
        });
        child.on("close", () => reject(new Error(`keeper run exited early: ${stderr}`)));
      });
      const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
      expect(health.status).to.equal(200);
      const body = (await health.json()) as { ok: boolean; nextRuns: unknown[] };
      expect(body.ok).to.equal(true);
      expect(body.nextRuns).to.have.length(2);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).to.include("# TYPE keeper_runs_total counter").and.include("keeper_last_success_timestamp_seconds");
      const code = await new Promise<number | null>((resolve) => {
        child.on("close", resolve);
        child.kill("SIGTERM");
      });
      expect(code).to.equal(0);
      expect(stderr).to.include('"msg":"stopped"');
    } finally {
      child.kill("SIGKILL");
      await server.close();
    }
  });
});

describe("keeper run: start-up", function () {
  it("reports the vault's NAV in /metrics from start-up, and a busy metrics port is exit 2 with one line", async function () {
    const server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const rpcUrl = `http://${address}:${port}`;
    const provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
    const deployer = await provider.getSigner(0);
    const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 3 }) });
    const deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
    const depositor = new Wallet(DEVNET_ACCOUNTS.depositor.privateKey, provider);
    await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, 250_000n * 10n ** 6n)).wait();
    await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(deployment.vault, 250_000n * 10n ** 6n)).wait();
    await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(250_000n * 10n ** 6n, depositor.address)).wait();
    const dir = await mkdtemp(path.join(tmpdir(), "keeper-run-start-"));
    await writeFile(path.join(dir, "devnet.json"), JSON.stringify({ syntheticAssets: devnetSyntheticAssets(market) }));
    await writeFile(path.join(dir, "tokenlist.json"), JSON.stringify(marketTokenList(market)));
    const env = {
      KEEPER_RPC_URL: rpcUrl,
      KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey,
      KEEPER_VAULT: deployment.vault,
      KEEPER_ADAPTER: deployment.adapter,
      KEEPER_QUOTER_V2: market.quoterV2,
      KEEPER_TOKEN_LIST: path.join(dir, "tokenlist.json"),
      KEEPER_DATA_SOURCE: "synthetic",
      KEEPER_DATA_FILE: path.join(dir, "devnet.json"),
    };
    const child = spawn(process.execPath, [KEEPER_BIN, "run", "--log-json"], { env: { PATH: process.env.PATH ?? "", ...env, KEEPER_METRICS_PORT: "0" } });
    try {
      let stderr = "";
      const metricsPort = await new Promise<number>((resolve, reject) => {
        child.stderr.on("data", (d) => {
          stderr += d;
          const match = /"port":(\d+)/.exec(stderr);
          if (match) resolve(Number(match[1]));
        });
        child.on("close", () => reject(new Error(`keeper run exited early: ${stderr}`)));
      });
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).to.match(/^keeper_vault_nav_asset 250000$/m);
      expect(metrics).to.match(/^keeper_regime_bear 0$/m);
      // A second daemon on the same port stops at once, naming the variable.
      const busy = await keeper(["run"], { ...env, KEEPER_METRICS_PORT: String(metricsPort) });
      expect(busy.code).to.equal(2);
      expect(busy.stderr.trim()).to.equal(`keeper: KEEPER_METRICS_PORT=${metricsPort}: 127.0.0.1:${metricsPort} is already in use (another keeper?); choose a free port, or 0 for any`);
    } finally {
      child.kill("SIGKILL");
      await server.close();
    }
  });
});
