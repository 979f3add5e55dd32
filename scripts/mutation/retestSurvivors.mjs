// Re-tests the survivors of a Stryker JSON report without a whole new run: each mutant whose status is listed is
// applied to a copy of keeper/ and test/ (under .stryker-tmp/retest) and the given mocha spec is run against it;
// a failing test kills it, a crash on loading is a runtime error (outside the score, as Stryker counts it), a run
// over 2 minutes a timeout. The report is then rewritten with the new statuses, so writeScores.ts reads it as usual.
// Valid only when the mutated files are unchanged since the report (checked) and the tests were only added to
// since: a mutant killed then is killed now. Used on 2 December for the planner, whose full run takes ~1 hour on
// this shared machine (358 of its 727 mutants are static, each restarting the test process).
//   node scripts/mutation/retestSurvivors.mjs reports/mutation/planner.json Survived,NoCoverage <spec files...>
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const [reportPath, statuses, ...spec] = process.argv.slice(2);
const want = new Set(statuses.split(","));
const root = process.cwd();
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const jobs = [];
for (const [file, entry] of Object.entries(report.files)) {
  if (readFileSync(`${root}/${file}`, "utf8") !== entry.source) throw new Error(`${file} changed since the report: run Stryker again`);
  for (const mutant of entry.mutants) if (want.has(mutant.status)) jobs.push({ file, source: entry.source, mutant });
}
const dirs = [0, 1].map((w) => {
  const dir = `${root}/.stryker-tmp/retest/w${w}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const p of ["keeper", "test", "package.json", "tsconfig.json"]) cpSync(`${root}/${p}`, `${dir}/${p}`, { recursive: true });
  symlinkSync(resolve(root, "node_modules"), `${dir}/node_modules`);
  return dir;
});
// Stryker's locations: 1-based lines and columns, the end exclusive.
const apply = (source, { location: { start, end }, replacement }) => {
  const lines = source.split("\n");
  const offset = (line, column) => lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
  return source.slice(0, offset(start.line, start.column)) + replacement + source.slice(offset(end.line, end.column));
};
const run = (dir) =>
  new Promise((done) => {
    const args = ["--import", "tsx", "node_modules/mocha/bin/mocha.js", "--no-config", "--bail", "--reporter", "dot", ...spec];
    execFile(process.execPath, args, { cwd: dir, timeout: 120_000, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error === null) return done("Survived");
      if (error.killed) return done("Timeout");
      done(/\d+ failing/.test(stdout + stderr) ? "Killed" : "RuntimeError");
    });
  });
if ((await run(dirs[0])) !== "Survived") throw new Error("The spec fails on the unmutated code.");
let next = 0;
await Promise.all(
  dirs.map(async (dir) => {
    while (next < jobs.length) {
      const { file, source, mutant } = jobs[next++];
      writeFileSync(`${dir}/${file}`, apply(source, mutant));
      const status = await run(dir);
      writeFileSync(`${dir}/${file}`, source);
      console.log(`${mutant.id} ${file}:${mutant.location.start.line} ${mutant.mutatorName} ${mutant.status} -> ${status}`);
      mutant.statusReason = `re-tested by retestSurvivors.mjs (was ${mutant.status})`;
      mutant.status = status;
    }
  }),
);
writeFileSync(reportPath, JSON.stringify(report));
