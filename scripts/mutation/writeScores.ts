// Turns Stryker's JSON reports into bench/mutation.json: one mutation score per target, as Stryker counts it
// ((killed + timeout) / (killed + timeout + survived + no coverage); ignored mutants, the error-message
// text, are outside it). Every report in reports/mutation/ counts (`npm run test:mutation` writes
// mutation.json; the configurations in scripts/mutation/ write their own, for runs one module at a time), the
// newest report winning for a file; a target no report covers keeps its previous figures and their source.
// keeper/core is measured in three parts (the routing, the planner, the rest: each has its own configuration so
// that a shared machine can run one at a time); keeper_core_score is their sum, and each part's `_source` says
// which configuration, code and day measured it. contracts_score and contracts_* come from
// scripts/mutation/contracts.ts and are kept as they were.
import { execFileSync } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";

const REPORTS = "reports/mutation";
const OUTPUT = "bench/mutation.json";
/** The configuration that writes each report. */
const CONFIG_OF: Record<string, string> = {
  "mutation.json": "stryker.config.mjs",
  "core.json": "scripts/mutation/core.config.mjs",
  "routing.json": "scripts/mutation/routing.config.mjs",
  "planner.json": "scripts/mutation/planner.config.mjs",
  "audit.json": "scripts/mutation/audit.config.mjs",
  "run.json": "scripts/mutation/run.config.mjs",
  "gaps.json": "scripts/mutation/gaps.config.mjs",
};
const inCore = (f: string) => f.startsWith("keeper/core/");
const TARGETS: Record<string, (file: string) => boolean> = {
  keeper_core_rest: (f) => inCore(f) && !f.startsWith("keeper/core/planner/") && !f.startsWith("keeper/core/routing/"),
  keeper_core_routing: (f) => f.startsWith("keeper/core/routing/"),
  keeper_core_planner: (f) => f.startsWith("keeper/core/planner/"),
  keeper_audit: (f) => f.startsWith("keeper/audit/"),
  keeper_run: (f) => f.startsWith("keeper/run/"),
};
const CORE_PARTS = ["keeper_core_rest", "keeper_core_routing", "keeper_core_planner"];

interface Mutant {
  status: string;
}
type Report = { files: Record<string, { mutants: Mutant[] }> };
interface Counts {
  detected: number;
  valid: number;
  survived: number;
  no_coverage: number;
  ignored_error_text: number;
}

const names = (await readdir(REPORTS)).filter((n) => n.endsWith(".json") && n in CONFIG_OF);
const dated = await Promise.all(names.map(async (n) => ({ name: n, path: `${REPORTS}/${n}`, mtime: (await stat(`${REPORTS}/${n}`)).mtimeMs })));
const files: Report["files"] = {};
const reportOf: Record<string, { name: string; mtime: number }> = {};
for (const report of dated.sort((a, b) => a.mtime - b.mtime)) {
  for (const [file, entry] of Object.entries((JSON.parse(await readFile(report.path, "utf8")) as Report).files)) {
    files[file] = entry;
    reportOf[file] = report;
  }
}
const previous = await readFile(OUTPUT, "utf8").then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}) as Record<string, unknown>);
const commit = execFileSync("git", ["log", "-1", "--format=%h"], { encoding: "utf8" }).trim();
const dirty = execFileSync("git", ["status", "--porcelain", "--", "keeper", "test"], { encoding: "utf8" }).trim() !== "";

const score = (c: Counts) => (c.valid === 0 ? null : Math.round((10_000 * c.detected) / c.valid) / 100);
const result: Record<string, unknown> = {};
const parts: Record<string, Counts> = {};
for (const [name, inTarget] of Object.entries(TARGETS)) {
  const covered = Object.keys(files).filter(inTarget);
  if (covered.length === 0) {
    for (const key of Object.keys(previous).filter((k) => k.startsWith(`${name}_`))) result[key] = previous[key];
    if (previous[`${name}_mutants`] !== undefined) parts[name] = previous[`${name}_mutants`] as Counts;
    continue;
  }
  const counts: Record<string, number> = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 };
  for (const file of covered) for (const m of files[file]!.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = counts.Killed! + counts.Timeout!;
  const mutants: Counts = { detected, valid: detected + counts.Survived! + counts.NoCoverage!, survived: counts.Survived!, no_coverage: counts.NoCoverage!, ignored_error_text: counts.Ignored! };
  const reports = [...new Set(covered.map((f) => reportOf[f]!))];
  parts[name] = mutants;
  result[`${name}_score`] = score(mutants);
  result[`${name}_mutants`] = mutants;
  result[`${name}_source`] = {
    config: [...new Set(reports.map((r) => CONFIG_OF[r.name]))].join(", "),
    written_at_commit: dirty ? `${commit} + uncommitted changes` : commit,
    measured: new Date(Math.max(...reports.map((r) => r.mtime))).toISOString().slice(0, 16),
  };
}
// keeper/core as a whole: the sum of its three parts, each as measured (see its _source).
if (CORE_PARTS.every((p) => parts[p] !== undefined)) {
  const sum = (key: keyof Counts) => CORE_PARTS.reduce((total, p) => total + parts[p]![key], 0);
  const all: Counts = { detected: sum("detected"), valid: sum("valid"), survived: sum("survived"), no_coverage: sum("no_coverage"), ignored_error_text: sum("ignored_error_text") };
  result.keeper_core_score = score(all);
  result.keeper_core_mutants = all;
  result.keeper_core_scope = "all of keeper/core: the sum of keeper_core_rest, keeper_core_routing and keeper_core_planner, each as its _source says";
}
// contracts_* come from scripts/mutation/contracts.ts; baseline, remeasured and history are the recorded before-figures.
result.contracts_score = previous.contracts_score ?? null;
for (const key of Object.keys(previous).filter((k) => k.startsWith("contracts_") || ["baseline", "remeasured", "history"].includes(k))) result[key] = previous[key];
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${OUTPUT}: ${JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => k.endsWith("_score"))))}`);
