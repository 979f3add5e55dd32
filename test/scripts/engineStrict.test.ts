import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { copyFile, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** The machine's own Node and npm: PATH without any directory whose `node` is the Node 22 that runs these tests. */
function machinePath(): string {
  const ours = realpathSync(process.execPath);
  const isOurs = (dir: string) => {
    try {
      return realpathSync(path.join(dir, "node")) === ours;
    } catch {
      return false;
    }
  };
  return (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => dir !== "" && !isOurs(dir))
    .join(":");
}

describe(".npmrc engine-strict", function () {
  it("npm ci under the machine's older Node stops with EBADENGINE before installing or downloading anything", async function () {
    const PATH = machinePath();
    const probe = spawnSync("sh", ["-c", "command -v node && node --version && command -v npm"], { env: { PATH }, encoding: "utf8" });
    const [node, version] = probe.stdout.trim().split("\n");
    expect(probe.status, `no node on PATH without ${path.dirname(process.execPath)}: this test needs the machine's Node 20 (${probe.stderr.trim()})`).to.equal(0);
    expect(Number(/^v(\d+)\./.exec(version ?? "")?.[1]), `${node} is ${version}: this test needs a Node older than package.json's engines (the machine's Node 20)`).to.be.lessThan(22);
    // A copy of what `npm ci` reads, so that nothing in the checkout is touched whatever npm does.
    const dir = await mkdtemp(path.join(tmpdir(), "engine-strict-"));
    for (const file of [".npmrc", "package.json", "package-lock.json"]) await copyFile(file, path.join(dir, file));
    const result = spawnSync("npm", ["ci", "--dry-run", "--offline", "--no-audit", "--no-fund"], { cwd: dir, env: { PATH, HOME: process.env.HOME ?? dir }, encoding: "utf8" });
    expect(result.status, result.stderr).to.not.equal(0);
    expect(result.stderr).to.include("EBADENGINE").and.include('Required: {"node":">=22.13"}').and.include(`Actual:   {"node":"${version}"`);
    // Stopped at once: no node_modules, no lifecycle script (prepare builds the contracts).
    expect((await readdir(dir)).sort()).to.deep.equal([".npmrc", "package-lock.json", "package.json"]);
    expect(result.stdout + result.stderr).to.not.include("hardhat build");
  });
});
