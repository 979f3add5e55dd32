import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";
import { freePort } from "../helpers/freePort.js";

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

describe("scripts: an error is one line (a revert named by its decoded custom error), never a trace", function () {
  it("npm run deploy with parameters it must refuse: exit 2, one line naming the file (Hardhat's trace before)", async function () {
    // `npm run deploy` is `hardhat run deploy/deploy.ts`; --no-compile leaves the build to the test run, so the child
    // never rebuilds beside a parallel worker (what the script prints on bad input is what is checked).
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve("node_modules/hardhat/dist/src/cli.js"), "run", "--no-compile", "deploy/deploy.ts"], { env: { ...process.env, DEPLOY_PARAMETERS: "deploy/parameters/base.json" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr.trim()).to.equal('error: deploy/parameters/base.json is an example (placeholder role addresses); set the real addresses and "example": false first');
  });

  it("@deep npm run devnet whose clock jumps mid-deployment (what racing it did) stops with OracleRouterStalePrice decoded, exit 1", async function () {
    const port = await freePort();
    const out = path.join(await mkdtemp(path.join(tmpdir(), "devnet-revert-")), "devnet.json");
    const child = spawn(process.execPath, [TSX, "scripts/devnet.ts", "--tokens", "2", "--port", String(port), "--out", out], { env: { ...process.env } });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      // Once the market's feeds have answered, a month passes: the vault's deployment reads them stale.
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          stdout += d;
          if (stdout.includes("listed 2/2 tokens")) resolve();
        });
        void exited.then(() => reject(new Error(`the devnet exited before listing its tokens: ${stderr}`)));
      });
      const provider = createJsonRpcProvider({ url: `http://127.0.0.1:${port}`, chainId: 31337 });
      await provider.send("evm_increaseTime", [30 * 24 * 3600]);
      provider.destroy();
      expect(await exited, stderr).to.equal(1);
      expect(stderr.trim()).to.match(/^error: unexpected: execution reverted: OracleRouterStalePrice\(0x[0-9a-fA-F]{40}, 0x[0-9a-fA-F]{40}, \d+, \d+\)$/);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
