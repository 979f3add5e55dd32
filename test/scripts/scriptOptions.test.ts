import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

/** Runs a script as `npm start` / `npm run devnet` do (tsx), with its own arguments. */
function script(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, file, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm start, npm run devnet and npm run backtest command lines", function () {
  it("print their flags and an example with --help, exit 0", async function () {
    const [start, devnet, backtest] = await Promise.all([script("scripts/start.ts", ["--help"]), script("scripts/devnet.ts", ["--help"]), script("scripts/backtest.ts", ["--help"])]);
    expect(start.code).to.equal(0);
    expect(start.stdout).to.include("Usage: npm start -- [options]").and.include("--weeks <n>").and.include("--network <name>").and.include("Example:");
    expect(devnet.code).to.equal(0);
    expect(devnet.stdout).to.include("Usage: npm run devnet -- [options]").and.include("--port <n>").and.include("Example:");
    expect(backtest.code).to.equal(0);
    expect(backtest.stdout).to.include("Usage: npm run backtest -- [options]").and.include("--data <file>").and.include("--liquidity <mode>").and.include("Example:");
  });

  it("reject an unknown flag and a bad value with the usage, exit 2, no stack trace", async function () {
    const [unknown, weeks, backtest] = await Promise.all([script("scripts/devnet.ts", ["--nope"]), script("scripts/start.ts", ["--weeks", "0"]), script("scripts/backtest.ts", ["--synthetic", "--weeks", "3"])]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include("unknown option '--nope'").and.include("Usage: npm run devnet").and.not.include("ERR_PARSE_ARGS");
    expect(weeks.code).to.equal(2);
    expect(weeks.stderr).to.include("'--weeks <n>' argument '0' is invalid. Expected an integer from 1 to 520.");
    expect(backtest.code).to.equal(2);
    expect(backtest.stderr).to.include("unknown option '--weeks'").and.include("Usage: npm run backtest").and.not.include("ERR_PARSE_ARGS");
  });

  it("the benchmarks parse theirs the same way: --help with an example, an unknown flag exit 2 with the usage", async function () {
    const [help, unknown] = await Promise.all([script("scripts/bench-invariant.ts", ["--help"]), script("scripts/bench-invariant.ts", ["--deeper"])]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include("Usage: npm run bench:invariant -- [options]").and.include("--deep").and.include("Example:");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include("unknown option '--deeper'").and.include("Usage: npm run bench:invariant");
  });

  it("npm start refuses an --out that is a file before deploying anything, exit 2", async function () {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "start-out-")), "report");
    await writeFile(file, "not a directory");
    const result = await script("scripts/start.ts", ["--out", file]);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(`error: --out ${file} is a file; the report needs a directory`);
  });

  it("npm start refuses a chain that is not a local development chain before sending anything, exit 2", async function () {
    // A node that answers as Ethereum mainnet (chain 1): the demo must not deploy its test market there.
    const server = await network.createServer({ network: "default", override: { chainId: 1 } }, "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const url = `http://${address}:${port}`;
    try {
      const provider = createJsonRpcProvider({ url });
      const blockBefore = await provider.getBlockNumber();
      const result = await script("scripts/start.ts", ["--network", "localhost", "--out", await mkdtemp(path.join(tmpdir(), "start-mainnet-"))], { DEVNET_RPC_URL: url });
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr.trim()).to.equal("error: --network localhost is chain 1, not a local development chain (31337 or 1337); the demo deploys a test market and refuses to run there");
      // Nothing was sent: no block was mined and no account sent a transaction.
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
      const [deployer] = await provider.listAccounts();
      expect(await provider.getTransactionCount(deployer!.address)).to.equal(0);
      provider.destroy();
    } finally {
      await server.close();
    }
  });
});
