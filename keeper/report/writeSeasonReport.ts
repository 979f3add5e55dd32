import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bearPeriods, holdingsTreemapOption, timeSeriesChartOption } from "../charts/index.js";
import { renderChartSvg } from "./chart/renderChartSvg.js";
import { renderPng } from "./chart/renderPng.js";
import { formatNumber } from "../core/index.js";
import { reportMarkdown } from "./reportMarkdown.js";
import { seasonSummary } from "./seasonSummary.js";
import type { SeasonReportData } from "./types.js";

export interface WriteSeasonReportParameters {
  data: SeasonReportData;
  /** Created if missing; files already there with the same names are replaced. */
  outDir: string;
}

export interface WriteSeasonReportReturnType {
  /** Absolute or outDir-relative paths (as outDir was given) of every file written, in writing order. */
  files: string[];
}

export const SEASON_REPORT_FILES = {
  navChart: "nav.png",
  treemap: "treemap.png",
  markdown: "report.md",
  summary: "summary.json",
  data: "report.json",
} as const;

/**
 * Renders a season's report into `outDir`: the NAV chart and holdings treemap (PNG), the Markdown page that
 * shows them, `summary.json` with the headline figures and `report.json` with all the data. No chain access:
 * everything comes from `data`. Each file is written to a temporary name and renamed, so a reader never sees
 * half a file even if the run is killed mid-write.
 */
export async function writeSeasonReport({ data, outDir }: WriteSeasonReportParameters): Promise<WriteSeasonReportReturnType> {
  await mkdir(outDir, { recursive: true });
  const days = data.series.map((p) => Date.parse(p.date));
  const line = (name: string, key: "navPerShare" | "buyAndHold" | "btc", width: number) => ({
    name,
    width,
    points: data.series.map((p, i) => [days[i]!, p[key]] as const),
  });
  const navSvg = renderChartSvg(
    timeSeriesChartOption({
      title: `NAV per share: ${data.weeks} weeks, ${data.tokens} tokens, seed ${data.seed}`,
      yName: "Value (start = 1.0)",
      lines: [
        line("Vault NAV per share", "navPerShare", 2.5),
        line("Buy-and-hold of initial basket", "buyAndHold", 2),
        line(data.btcSymbol ?? "BTC-like token", "btc", 1.5),
      ],
      bearPeriods: bearPeriods(days, data.series.map((p) => p.regime)),
      rebalancesMs: data.rebalances.map((r) => Date.parse(r.date)),
      widthPx: 1200,
    }),
    { width: 1200, height: 600 },
  );
  const holdingsSvg = renderChartSvg(
    holdingsTreemapOption({
      title: `Holdings at the end: $${formatNumber(data.final.navAsset, 0)} (${data.holdings.filter((h) => h.valueAsset > 0).length} holdings incl. ${data.stablecoinSymbol})`,
      holdings: data.holdings.map((h) => ({ symbol: h.symbol, value: h.valueAsset })),
      cashSymbol: data.stablecoinSymbol,
    }),
    { width: 1200, height: 800 },
  );
  const [navPng, treemapPng] = await Promise.all([renderPng(navSvg), renderPng(holdingsSvg)]);
  const contents: [string, string | Buffer][] = [
    [SEASON_REPORT_FILES.navChart, navPng],
    [SEASON_REPORT_FILES.treemap, treemapPng],
    [SEASON_REPORT_FILES.markdown, reportMarkdown({ data, navChartFile: SEASON_REPORT_FILES.navChart, treemapFile: SEASON_REPORT_FILES.treemap })],
    [SEASON_REPORT_FILES.summary, JSON.stringify(seasonSummary(data), null, 2) + "\n"],
    [SEASON_REPORT_FILES.data, JSON.stringify(data, null, 2) + "\n"],
  ];
  const files: string[] = [];
  for (const [name, content] of contents) {
    const file = join(outDir, name);
    await writeFileAtomically(file, content);
    files.push(file);
  }
  return { files };
}

async function writeFileAtomically(file: string, content: string | Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
