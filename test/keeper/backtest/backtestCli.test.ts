import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DEFAULT_KEEPER_SETTINGS } from "../../../keeper/run/defaultKeeperSettings.js";

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;

/** `npm run backtest -- ARGS`, as the script runs it; resolves with the exit code and both streams. */
async function backtest(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/backtest.ts", ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run backtest", function () {
  this.timeout(300_000);

  it("refuses bad flags and bad data with exit 2 and a line naming the bad value", async () => {
    const cases: [string[], RegExp][] = [
      [["--synthetic", "--frequencies", "weekly,hourly"], /--frequencies: unknown frequency "hourly"/],
      [["--synthetic", "--regime", "maybe"], /--regime: "maybe" is not on or off/],
      [["--synthetic", "--venues", "everywhere"], /--venues must be direct or realistic, got "everywhere"/],
      [["--synthetic", "--years=-2"], /--years must be a number above 0 and at most 20, got "-2"/],
      [["--data", "no-such-file.csv"], /--data no-such-file.csv: no such file/],
      [["--data", "data/backtest-sample.csv", "--from", "2021-01-01"], /--from 2021-01-01 is outside the data \(2022-03-01 to 2022-09-30\)/],
      [["--data", "package.json"], /package.json: schema/],
      [[], /give --data FILE or --synthetic/],
    ];
    const results = await Promise.all(cases.map(([args]) => backtest(args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(" ")).to.equal(2);
      expect(results[i]!.stderr, args.join(" ")).to.match(message);
    });
  });

  it("runs offline on the shipped sample and writes the report, the JSON and both charts", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "backtest-cli-"));
    try {
      const { code, stderr } = await backtest(["--data", "data/backtest-sample.csv", "--frequencies", "weekly,quarterly", "--regime", "on,off", "--out", out]);
      expect(code, stderr).to.equal(0);
      expect(stderr).to.match(/backtest data\/backtest-sample.csv: 100 % \(2022-09-30\)/);
      expect((await readdir(out)).sort()).to.deep.equal(["backtest.json", "drawdown.png", "nav.png", "report.md"]);
      const markdown = await readFile(path.join(out, "report.md"), "utf8");
      expect(markdown).to.match(/\| weekly \| on \|/);
      expect(markdown).to.match(/\| quarterly \| off \|/);
      expect(markdown).to.include("not survivor-biased");
      expect(markdown).to.include("Liquidity model (recentred, venues direct)");
      // The keeper's depth screen runs, on the liquidity model, and the report says so.
      expect(markdown).to.include("On-chain depth screen (the keeper's, issue 13): on, at 5,000 USD within 2 % of the oracle price. No chain runs here");
      const json = JSON.parse(await readFile(path.join(out, "backtest.json"), "utf8"));
      expect(json.depthScreen).to.include({ minOnChainDepthUsd: DEFAULT_KEEPER_SETTINGS.methodology.minOnChainDepthUsd, bandBps: 200 });
      expect(json.depthScreen.source).to.match(/^liquidity model/);
      expect(json.runs[0].summary.frequencyRows).to.have.length(4);
      for (const png of ["nav.png", "drawdown.png"]) expect((await readFile(path.join(out, png))).subarray(1, 4).toString()).to.equal("PNG");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
