import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "mocha";
import { CHART_FONT_FILES, renderPng } from "../../../keeper/report/chart/renderPng.js";
import { writeSeasonReport } from "../../../keeper/report/index.js";
import { smallSeason } from "./fixture.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first, right after the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), "PNG signature").to.equal(true);
  expect(bytes.subarray(12, 16).toString("latin1")).to.equal("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("#writeSeasonReport", () => {
  const data = smallSeason();
  let root: string;
  let outDir: string;
  let files: string[];

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "season-report-"));
    outDir = join(root, "nested", "report");
    ({ files } = await writeSeasonReport({ data, outDir }));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates the folder and writes every file, leaving no temporary file behind", async () => {
    const names = ["nav.png", "treemap.png", "report.md", "summary.json", "report.json"];
    expect(files).to.have.members(names.map((name) => join(outDir, name)));
    expect((await readdir(outDir)).sort()).to.deep.equal([...names].sort());
  });

  it("writes the NAV chart and the treemap as valid PNGs of the expected size", async () => {
    expect(pngSize(await readFile(join(outDir, "nav.png")))).to.deep.equal({ width: 1200, height: 600 });
    expect(pngSize(await readFile(join(outDir, "treemap.png")))).to.deep.equal({ width: 1200, height: 800 });
  });

  it("writes summary.json with the required keys, equal to the data", async () => {
    const summary = JSON.parse(await readFile(join(outDir, "summary.json"), "utf8"));
    expect(summary).to.include({
      weeks: 2,
      tokens: 3,
      rebalances: 3,
      regime_switches: 2,
      trades: 4,
      final_nav_per_share: data.final.navPerShare,
      max_drawdown: data.final.maxDrawdown,
      wall_s: data.wallSeconds,
      vault: data.vault,
      vault_deployment_block: 7,
      seed: 42,
      network: "hardhat",
      total_gas: data.final.totalGasUsed,
    });
    expect(summary.buy_and_hold_return).to.equal(data.series.at(-1)!.buyAndHold - 1);
    expect(summary.btc_return).to.equal(data.series.at(-1)!.btc - 1);
  });

  it("writes report.json with the full data", async () => {
    expect(JSON.parse(await readFile(join(outDir, "report.json"), "utf8"))).to.deep.equal(data);
  });

  it("shows every trade's and depositor action's tx hash in report.md and embeds both pictures", async () => {
    const markdown = await readFile(join(outDir, "report.md"), "utf8");
    for (const trade of data.trades) expect(markdown).to.include(trade.txHash);
    for (const action of data.depositorActions) expect(markdown).to.include(action.txHash);
    expect(markdown).to.include("![NAV per share over the season](nav.png)");
    expect(markdown).to.include("![Holdings by value](treemap.png)");
    expect(markdown).to.include(data.vault);
  });

  it("formats amounts in whole token units with thousands separators", async () => {
    const markdown = await readFile(join(outDir, "report.md"), "utf8");
    // Trade 1: 500,000 USDC (6 decimals) for 0.00789 WBTC (8 decimals), min 0.00785.
    expect(markdown).to.match(/\| `0x0+a001` \| USDC \| WBTC \| 500,000\.00 \| 0\.007890 \| 0\.007850 \| 31\.2 \|/);
    expect(markdown).to.include("| Total gas | 1,234,567 |");
    expect(markdown).to.include("| Max drawdown | 8.57% | 27.10% | 16.35% |");
  });

  it("replaces an earlier report in the same folder", async () => {
    const again = { ...data, seed: 7 };
    await writeSeasonReport({ data: again, outDir });
    expect(JSON.parse(await readFile(join(outDir, "summary.json"), "utf8")).seed).to.equal(7);
    expect((await readdir(outDir)).length).to.equal(5);
  });

  it("still writes a report for a season with no points, trades or holdings", async () => {
    const empty = { ...data, series: [], rebalances: [], regimeTimeline: [], trades: [], depositorActions: [], holdings: [] };
    const dir = join(root, "empty");
    await writeSeasonReport({ data: empty, outDir: dir });
    expect(pngSize(await readFile(join(dir, "nav.png"))).width).to.equal(1200);
    const summary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8"));
    expect(summary).to.include({ rebalances: 0, regime_switches: 0, trades: 0 });
  });
});

describe("#renderPng", () => {
  it("loads its font from the dejavu-fonts-ttf package", () => {
    expect(CHART_FONT_FILES.length).to.be.greaterThan(0);
    for (const file of CHART_FONT_FILES) {
      expect(file).to.match(/node_modules[\\/]dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans/);
      expect(existsSync(file), file).to.equal(true);
    }
  });

  it("draws text (a missing font would leave the image blank)", async () => {
    const svg = (content: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/><text x="10" y="28" font-family="DejaVu Sans" font-size="20">${content}</text></svg>`;
    const blank = await renderPng(svg(""));
    const withText = await renderPng(svg("NAV 1,234.56"));
    expect(withText.length).to.be.greaterThan(blank.length + 200);
  });
});
