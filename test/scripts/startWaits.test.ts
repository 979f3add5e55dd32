import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";
import { freePort } from "../helpers/freePort.js";

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

/** `npm start -- --network localhost` (tsx scripts/start.ts) against DEVNET_RPC_URL, with its output collected as it comes. */
function start(url: string, args: string[]): { child: ChildProcessWithoutNullStreams; output: { stdout: string; stderr: string }; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [TSX, "scripts/start.ts", "--network", "localhost", ...args], { env: { ...process.env, DEVNET_RPC_URL: url } });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (output.stdout += d));
  child.stderr.on("data", (d) => (output.stderr += d));
  return { child, output, exited: new Promise((resolve) => child.on("close", resolve)) };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("npm start -- --network localhost: waits for the devnet (DEVNET_RPC_URL)", function () {
  it("no node at DEVNET_RPC_URL within --wait: one line naming the URL, exit 3", async function () {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { output, exited } = start(url, ["--wait", "1", "--out", await mkdtemp(path.join(tmpdir(), "start-wait-"))]);
    expect(await exited, output.stderr).to.equal(3);
    expect(output.stdout.trim()).to.equal(`waiting for the node at ${url} (--network localhost) ...`);
    expect(output.stderr.trim()).to.equal(`error: no node answers at ${url} (--network localhost) after 1 s; start one with \`npm run devnet\` (DEVNET_RPC_URL=URL for one on another port)`);
  });

  it("@deep waits for a node that is not listening yet, then for its deployment to finish, sending nothing; then runs the season on it", async function () {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dir = await mkdtemp(path.join(tmpdir(), "start-race-"));
    // What `npm run devnet` writes before its node listens.
    const devnetFile = path.join(dir, "devnet.json");
    await writeFile(devnetFile, JSON.stringify({ status: "deploying", rpcUrl: url }));
    const { child, output, exited } = start(url, ["--weeks", "1", "--tokens", "2", "--out", path.join(dir, "report"), "--devnet-file", devnetFile]);
    let server: Awaited<ReturnType<typeof network.createServer>> | undefined;
    try {
      await until(() => output.stdout.includes(`waiting for the node at ${url} (--network localhost) ...`), "the wait for the node");
      server = await network.createServer("default", "127.0.0.1", port);
      await server.listen();
      await until(() => output.stdout.includes(`waiting for the devnet at ${url} to finish deploying (${devnetFile}) ...`), "the wait for the deployment");
      const provider = createJsonRpcProvider({ url, chainId: 31337 });
      // Two seconds of waiting on a deploying devnet: not a block mined, not a clock moved.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await provider.getBlockNumber()).to.equal(0);
      expect(child.exitCode).to.equal(null);
      await writeFile(devnetFile, JSON.stringify({ status: "ready", rpcUrl: url }));
      await until(async () => (await provider.getBlockNumber()) > 0, "the season's first transaction");
      provider.destroy();
      expect(output.stderr).to.equal("");
    } finally {
      child.kill("SIGKILL");
      await exited;
      await server?.close();
    }
  });
});
