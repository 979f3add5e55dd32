// Turns Stryker's JSON report into bench/mutation.json: one mutation score per target, as Stryker counts it
// ((killed + timeout) / (killed + timeout + survived + no coverage); ignored mutants, the error-message
// text, are outside it). contracts_score comes from scripts/mutation/contracts.ts and is kept as it was.
import { readFile, writeFile } from "node:fs/promises";

const REPORT = "reports/mutation/mutation.json";
const OUTPUT = "bench/mutation.json";
const TARGETS = { keeper_core: "keeper/core/", keeper_audit: "keeper/audit/", keeper_run: "keeper/run/" } as const;

interface Mutant {
  status: string;
}
const report = JSON.parse(await readFile(REPORT, "utf8")) as { files: Record<string, { mutants: Mutant[] }> };
const previous = await readFile(OUTPUT, "utf8").then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}) as Record<string, unknown>);

const result: Record<string, unknown> = {};
for (const [name, prefix] of Object.entries(TARGETS)) {
  const counts: Record<string, number> = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 };
  for (const [file, { mutants }] of Object.entries(report.files)) {
    if (!file.startsWith(prefix)) continue;
    for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const detected = counts.Killed! + counts.Timeout!;
  const valid = detected + counts.Survived! + counts.NoCoverage!;
  result[`${name}_score`] = valid === 0 ? null : Math.round((10_000 * detected) / valid) / 100;
  result[`${name}_mutants`] = { detected, survived: counts.Survived, no_coverage: counts.NoCoverage, ignored_error_text: counts.Ignored };
}
result.contracts_score = previous.contracts_score ?? null;
if (previous.contracts_mutants !== undefined) result.contracts_mutants = previous.contracts_mutants;
if (previous.baseline !== undefined) result.baseline = previous.baseline;
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${OUTPUT}: ${JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => k.endsWith("_score"))))}`);
