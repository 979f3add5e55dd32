// Turns Stryker's JSON reports into bench/mutation.json: one mutation score per target, as Stryker counts it
// ((killed + timeout) / (killed + timeout + survived + no coverage); ignored mutants, the error-message
// text, are outside it). Every report in reports/mutation/ counts (`npm run test:mutation` writes
// mutation.json; scripts/mutation/planner.config.mjs and audit.config.mjs write their own, for runs one module
// at a time), the newest report winning for a file; a target no report covers keeps its previous figures.
// contracts_score and contracts_* come from scripts/mutation/contracts.ts and are kept as they were.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";

const REPORTS = "reports/mutation";
const OUTPUT = "bench/mutation.json";
/**
 * keeper_core is keeper/core without the planner, whose run is separate (see planner.config.mjs), and without
 * the routing (issue 16), which only a Hardhat-chain test covers so far: Stryker's plain-mocha runs cannot
 * reach it, and its 0 % is reported on its own rather than folded into the rest.
 */
const TARGETS: Record<string, (file: string) => boolean> = {
  keeper_core: (f) => f.startsWith("keeper/core/") && !f.startsWith("keeper/core/planner/") && !f.startsWith("keeper/core/routing/"),
  keeper_core_routing: (f) => f.startsWith("keeper/core/routing/"),
  keeper_core_planner: (f) => f.startsWith("keeper/core/planner/"),
  keeper_audit: (f) => f.startsWith("keeper/audit/"),
  keeper_run: (f) => f.startsWith("keeper/run/"),
};

interface Mutant {
  status: string;
}
type Report = { files: Record<string, { mutants: Mutant[] }> };
const names = (await readdir(REPORTS)).filter((n) => n.endsWith(".json"));
const dated = await Promise.all(names.map(async (n) => ({ path: `${REPORTS}/${n}`, mtime: (await stat(`${REPORTS}/${n}`)).mtimeMs })));
const files: Report["files"] = {};
for (const { path } of dated.sort((a, b) => a.mtime - b.mtime)) Object.assign(files, (JSON.parse(await readFile(path, "utf8")) as Report).files);
const previous = await readFile(OUTPUT, "utf8").then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}) as Record<string, unknown>);

const result: Record<string, unknown> = {};
for (const [name, inTarget] of Object.entries(TARGETS)) {
  const covered = Object.keys(files).filter(inTarget);
  if (covered.length === 0) {
    for (const key of Object.keys(previous).filter((k) => k.startsWith(`${name}_`))) result[key] = previous[key];
    continue;
  }
  const counts: Record<string, number> = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 };
  for (const file of covered) for (const m of files[file]!.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = counts.Killed! + counts.Timeout!;
  const valid = detected + counts.Survived! + counts.NoCoverage!;
  result[`${name}_score`] = valid === 0 ? null : Math.round((10_000 * detected) / valid) / 100;
  result[`${name}_mutants`] = { detected, valid, survived: counts.Survived, no_coverage: counts.NoCoverage, ignored_error_text: counts.Ignored };
}
// contracts_* come from scripts/mutation/contracts.ts; baseline and remeasured are the recorded before-figures.
result.contracts_score = previous.contracts_score ?? null;
for (const key of Object.keys(previous).filter((k) => k.startsWith("contracts_") || k === "baseline" || k === "remeasured")) result[key] = previous[key];
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${OUTPUT}: ${JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => k.endsWith("_score"))))}`);
