// Mutation testing of the contracts' money paths (issue 17): `npx tsx scripts/mutation/contracts.ts`.
//
// The mutants are listed in test/contracts/mutants.json, next to the tests that must kill them. Each names a
// file, an exact snippet of its text (not a line number, so the list survives edits around it), the
// replacement, and the one Solidity or Mocha test that must fail once the snippet is replaced. For each
// mutant the script writes the mutated file into a sandbox copy of the project (never into this tree, so an
// interrupted run leaves the tree as it was), lets Hardhat rebuild what changed there, and runs that test:
// a failing test kills the mutant, a passing one lets it survive. Before the first mutant, each named test is
// run once on the unmutated code: a test that fails without a mutant would kill everything and prove nothing.
//
// Where the time goes (measured 2 December on this 2-core machine, CPU seconds; wall time is 2-4x that under
// the other engineers' load): building test/contracts/IndexVault.t.sol's compilation (the vault, its
// libraries, forge-std and the test contracts, optimized, in solc-js) ~48 s; the vault alone in the contracts
// scope ~16 s; the linked RebalanceLogic ~8 s; running one test ~3 s; each Hardhat start ~3 s. So a build is
// only what the test runs: the linked libraries and the test's own compilation, never the mutated file as a
// root of its own nor the other test files. A mutant inside a linked library's external or private function
// (see reach()) rebuilds only that library: the test's compilation, which inlines none of it, is reused from
// the baseline. The compiler settings stay the project's: with the optimizer off the build is only ~40 %
// cheaper and IndexVault's runtime code (34.9 kB) exceeds EIP-170, so the test could not deploy it (and tests
// that bound a call's gas would see other figures), i.e. the behaviour under test would depend on it.
//
// Results are kept per mutant in reports/mutation/contracts.json, keyed by the mutated file's text, the
// mutant and its test, so a re-run only tests mutants whose code or definition changed (resumable after
// Ctrl-C). bench/mutation.json gets contracts_score: (killed + timed out) / (killed + timed out + survived)
// over the mutants tested.
//
// Options: --only <id>[,<id>...] (just these mutants), --force (re-test even with a stored result), --list
// (print the mutants and their stored status, test nothing), --sandbox <dir> (default: a directory under the
// OS temp dir named after this checkout; it is re-synced from the tree at every start).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MUTANTS_FILE = "test/contracts/mutants.json";
const RESULTS_FILE = "reports/mutation/contracts.json";
const BENCH_FILE = "bench/mutation.json";
const LOGS_DIR = "reports/mutation/contracts";
/** A mutant whose test runs this long is counted as killed (timed out), as Stryker counts an endless loop. */
const TEST_TIMEOUT_MS = 30 * 60 * 1000;

interface MutantTest {
  /** Hardhat's test runner: `solidity` (test/contracts/*.t.sol) or `mocha`. */
  readonly runner: "solidity" | "mocha";
  readonly file: string;
  /** Passed to `--grep`: the test's name (a Solidity test function or a Mocha title). */
  readonly grep: string;
}

interface Mutant {
  readonly id: string;
  readonly file: string;
  /** Exact text that must occur once in `file`. */
  readonly original: string;
  readonly replacement: string;
  /** The defect the mutant models, in one line. */
  readonly why: string;
  readonly test: MutantTest;
}

type Status = "killed" | "timeout" | "survived" | "compile-error";

interface Result {
  readonly status: Status;
  readonly key: string;
  /** Wall time of the whole mutant, and of its build and its test run (absent in results stored before they were split). */
  readonly seconds: number;
  readonly buildSeconds?: number;
  readonly testSeconds?: number;
  readonly reach?: "linked" | "compiled";
  readonly at: string;
}

const { values: options } = parseArgs({
  options: {
    only: { type: "string" },
    force: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
    sandbox: { type: "string" },
  },
});

const mutants = loadMutants();
const selected = selectMutants(mutants, options.only);
const results: Record<string, Result> = existsSync(path.join(ROOT, RESULTS_FILE)) ? JSON.parse(readFileSync(path.join(ROOT, RESULTS_FILE), "utf8")) : {};

if (options.list) {
  for (const m of mutants) {
    const r = results[m.id];
    const state = r === undefined ? "not tested" : r.key === keyOf(m) ? r.status : `${r.status} (stale: code or mutant changed)`;
    console.log(`${m.id.padEnd(40)} ${state.padEnd(14)} ${m.file}  [${m.test.grep}]`);
  }
  process.exit(0);
}

const sandbox = path.resolve(options.sandbox ?? path.join(tmpdir(), `contracts-mutation-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}`));
const todo = selected.filter((m) => options.force || results[m.id]?.key !== keyOf(m));
console.log(`${selected.length} mutant(s) selected, ${todo.length} to test (the rest have a result for the current code); sandbox ${sandbox}`);
if (todo.length > 0) {
  syncSandbox(sandbox);
  let interrupted = false;
  process.on("SIGINT", () => {
    interrupted = true;
  });
  checkBaseline(sandbox, todo, () => interrupted);
  // "linked" mutants first: they reuse the baseline's build of the test, which a "compiled" one replaces.
  const reaches = new Map(todo.map((m) => [m.id, reach(sandbox, m)]));
  const ordered = [...todo].sort((a, b) => Number(reaches.get(a.id) === "compiled") - Number(reaches.get(b.id) === "compiled"));
  for (const [i, m] of ordered.entries()) {
    if (interrupted) break;
    const started = Date.now();
    const { status, buildSeconds, testSeconds } = runMutant(sandbox, m, reaches.get(m.id) === "linked");
    if (status === "interrupted" || interrupted) break;
    const seconds = Math.round((Date.now() - started) / 1000);
    results[m.id] = { status, key: keyOf(m), seconds, buildSeconds: Math.round(buildSeconds), testSeconds: Math.round(testSeconds), reach: reaches.get(m.id)!, at: new Date().toISOString() };
    mkdirSync(path.dirname(path.join(ROOT, RESULTS_FILE)), { recursive: true });
    writeFileSync(path.join(ROOT, RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`[${i + 1}/${todo.length}] ${m.id} (${reaches.get(m.id)}): ${status.toUpperCase()} in ${seconds} s (build ${Math.round(buildSeconds)} s, test ${Math.round(testSeconds)} s)`);
  }
  if (interrupted) console.log("interrupted: the results so far are kept; the tree was never modified");
}
writeScore(mutants);

function loadMutants(): Mutant[] {
  const list = JSON.parse(readFileSync(path.join(ROOT, MUTANTS_FILE), "utf8")).mutants as Mutant[];
  const ids = new Set<string>();
  for (const m of list) {
    if (ids.has(m.id)) fail(`${MUTANTS_FILE}: mutant id ${m.id} appears twice`);
    ids.add(m.id);
    if (m.original === m.replacement) fail(`${MUTANTS_FILE}: mutant ${m.id} replaces its snippet with itself`);
    if (m.test.runner !== "solidity" && m.test.runner !== "mocha") fail(`${MUTANTS_FILE}: mutant ${m.id} has runner ${JSON.stringify(m.test.runner)} (solidity or mocha)`);
    const text = readFileSync(path.join(ROOT, m.file), "utf8");
    const count = text.split(m.original).length - 1;
    if (count !== 1) fail(`${MUTANTS_FILE}: mutant ${m.id}'s snippet occurs ${count} times in ${m.file} (it must occur exactly once): ${JSON.stringify(m.original)}`);
    if (!existsSync(path.join(ROOT, m.test.file))) fail(`${MUTANTS_FILE}: mutant ${m.id} names a test file that does not exist: ${m.test.file}`);
  }
  return list;
}

function selectMutants(list: Mutant[], only: string | undefined): Mutant[] {
  if (only === undefined) return list;
  const wanted = only.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const unknown = wanted.filter((id) => !list.some((m) => m.id === id));
  if (unknown.length > 0) fail(`--only: no mutant ${unknown.join(", ")} in ${MUTANTS_FILE}`);
  return list.filter((m) => wanted.includes(m.id));
}

/** What a stored result is valid for: the file's current text, the mutant and its test. */
function keyOf(m: Mutant): string {
  const text = readFileSync(path.join(ROOT, m.file), "utf8");
  return createHash("sha256").update(JSON.stringify([text, m.original, m.replacement, m.test])).digest("hex").slice(0, 16);
}

/**
 * The sandbox holds every tracked or new (not ignored) file of the tree, the build output to start
 * incrementally from, and a link to node_modules. Files are rewritten only when they differ, so Hardhat's
 * cache there stays valid between runs, and a mutant left behind by a killed run is overwritten here.
 */
function syncSandbox(dir: string): void {
  const git = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (git.status !== 0) fail(`git ls-files failed: ${git.stderr}`);
  const files = git.stdout.split("\0").filter((f) => f !== "" && existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
  const fresh = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  let copied = 0;
  for (const f of files) {
    const from = path.join(ROOT, f);
    const to = path.join(dir, f);
    const text = readFileSync(from);
    if (existsSync(to) && readFileSync(to).equals(text)) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, text);
    copied++;
  }
  // A Solidity file deleted from the tree must not stay in the sandbox's build.
  const tracked = new Set(files);
  for (const top of ["contracts", "test"]) {
    for (const f of walk(path.join(dir, top))) {
      const rel = path.relative(dir, f);
      if (rel.endsWith(".sol") && !tracked.has(rel)) rmSync(f);
    }
  }
  const modules = path.join(dir, "node_modules");
  if (!existsSync(modules)) symlinkSync(readlinkDeep(path.join(ROOT, "node_modules")), modules);
  // Typed bindings for the Mocha tests (a mutant never changes an ABI); the Solidity runs skip typechain.
  if (fresh && existsSync(path.join(ROOT, "types"))) cpSync(path.join(ROOT, "types"), path.join(dir, "types"), { recursive: true });
  console.log(`sandbox synced: ${copied} file(s) updated`);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

function readlinkDeep(p: string): string {
  return path.resolve(ROOT, spawnSync("realpath", [p], { encoding: "utf8" }).stdout.trim());
}

/** A test run may loop until its timeout; a build (no loops to mutate into) gets none, however loaded the machine. */
function hardhat(dir: string, args: string[], timeoutMs?: number) {
  return spawnSync("npx", ["hardhat", "--no-typechain", ...args], { cwd: dir, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Libraries with external functions (RebalanceLogic, RegistryLogic): the vault calls them by DELEGATECALL and
 * the test chain links their deployed artifacts, so those must be rebuilt from the mutated source too; the
 * test's own compilation alone leaves the linked code as it was (a mutant there would wrongly survive).
 */
function linkedLibraries(dir: string): string[] {
  return [...walk(path.join(dir, "contracts"))]
    .filter((f) => f.endsWith(".sol"))
    .filter((f) => {
      const text = readFileSync(f, "utf8");
      return /^library\s+\w+/m.test(text) && /function\s+\w+\s*\([^)]*\)[^{;]*\b(external|public)\b/.test(text);
    })
    .map((f) => path.relative(dir, f));
}

/**
 * Where a mutant's code reaches the test. "linked": the mutant lies in the body of an external, public or private
 * function of a linked library (see linkedLibraries). Other contracts reach such a function only by DELEGATECALL
 * to the library's deployed code, never by inlining it (only internal functions, constants and types are
 * inlined), so the mutant changes no bytecode but the library's own (and the metadata hash of the files that
 * import it). The test's own compilation is then built from the unmutated text, and only the library's
 * artifact, which the test runner deploys and links, is built from the mutant. "compiled": anything else; the
 * test's compilation is rebuilt with the mutant in it.
 */
function reach(dir: string, m: Mutant): "linked" | "compiled" {
  if (m.test.runner !== "solidity" || !linksFor(dir, m.test).includes(m.file)) return "compiled";
  const text = blankComments(readFileSync(path.join(dir, m.file), "utf8"));
  const at = text.indexOf(m.original);
  if (at < 0 || /\bfunction\b/.test(m.original)) return "compiled";
  const balance = (s: string) => s.split("{").length - s.split("}").length;
  if (balance(m.original) !== balance(m.replacement)) return "compiled";
  // The blocks open at the snippet, each with the header that opened it (text since the previous ; { or }).
  const open: string[] = [];
  let header = "";
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === "{") {
      open.push(header);
      header = "";
    } else if (c === "}") {
      open.pop();
      header = "";
    } else if (c === ";") header = "";
    else header += c;
  }
  const fn = open.find((h) => /\bfunction\b/.test(h));
  return fn !== undefined && /\b(external|public|private)\b/.test(fn) ? "linked" : "compiled";
}

/** The text with every comment replaced by spaces (offsets kept), so braces in comments do not count. */
function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
}

/** Only a test that deploys the vault links those libraries; a library's own test does not need them. */
function linksFor(dir: string, t: MutantTest): string[] {
  return t.runner === "solidity" && readFileSync(path.join(dir, t.file), "utf8").includes("IndexVault") ? linkedLibraries(dir) : [];
}

interface Phases {
  build: ReturnType<typeof hardhat> | null;
  run: ReturnType<typeof hardhat> | null;
  buildSeconds: number;
  testSeconds: number;
}

/**
 * Builds only what the test needs, then runs its matching tests without a second build. Contracts scope: the
 * linked libraries (the test runner links their artifacts; the mutated file needs no build of its own there,
 * since the vault's code that a test runs is the copy compiled into the test). Test scope: the test file
 * alone (not every test file). A "linked" mutant is written for the library build only and the original text
 * is put back before the test's build (a no-op when the last build was of the unmutated text). A Mocha test
 * needs the whole build, which its own run does.
 */
function hardhatTest(dir: string, t: MutantTest, mutant?: { file: string; text: string; original: string; linked: boolean }): Phases {
  const target = mutant === undefined ? undefined : path.join(dir, mutant.file);
  if (target !== undefined) writeFileSync(target, mutant!.text);
  try {
    if (t.runner === "mocha") {
      const started = Date.now();
      const run = hardhat(dir, ["test", "mocha", t.file, "--grep", t.grep], TEST_TIMEOUT_MS);
      return { build: null, run, buildSeconds: 0, testSeconds: (Date.now() - started) / 1000 };
    }
    const started = Date.now();
    const links = linksFor(dir, t);
    let build = links.length === 0 ? null : hardhat(dir, ["build", "--quiet", ...links]);
    if (build === null || (build.status === 0 && build.signal === null)) {
      if (mutant?.linked) writeFileSync(target!, mutant.original);
      build = hardhat(dir, ["build", "--quiet", t.file]);
    }
    const buildSeconds = (Date.now() - started) / 1000;
    if (build.status !== 0 || build.signal !== null) return { build, run: null, buildSeconds, testSeconds: 0 };
    const testStarted = Date.now();
    const run = hardhat(dir, ["test", "solidity", "--no-compile", t.file, "--grep", t.grep], TEST_TIMEOUT_MS);
    return { build, run, buildSeconds, testSeconds: (Date.now() - testStarted) / 1000 };
  } finally {
    if (target !== undefined) writeFileSync(target, mutant!.original);
  }
}

/**
 * Every named test must pass on the unmutated code, or its kills mean nothing. One run per test file, with
 * all of that file's names in one --grep; each name must be reported passing.
 */
function checkBaseline(dir: string, list: Mutant[], interrupted: () => boolean): void {
  const byFile = new Map<string, { test: MutantTest; names: Set<string> }>();
  for (const m of list) {
    const key = `${m.test.runner} ${m.test.file}`;
    const entry = byFile.get(key) ?? { test: m.test, names: new Set<string>() };
    entry.names.add(m.test.grep);
    byFile.set(key, entry);
  }
  for (const { test, names } of byFile.values()) {
    if (interrupted()) return;
    const grep = [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    const { build, run } = hardhatTest(dir, { ...test, grep });
    if (build?.signal === "SIGINT" || run?.signal === "SIGINT" || interrupted()) return;
    const output = [build, run].map((r) => (r === null ? "" : `${r.stdout}\n${r.stderr}`)).join("\n");
    if (run === null || run.status !== 0) {
      console.error(tail(output));
      fail(`baseline: ${test.file} fails without any mutant; fix the tests first`);
    }
    const missing = [...names].filter((n) => !new RegExp(`✔ ${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(output));
    if (missing.length > 0) fail(`baseline: no passing test in ${test.file} matches ${missing.join(", ")}`);
    console.log(`baseline passes: ${test.file} (${names.size} test(s))`);
  }
}

function runMutant(dir: string, m: Mutant, linked: boolean): { status: Status | "interrupted"; buildSeconds: number; testSeconds: number } {
  const original = readFileSync(path.join(ROOT, m.file), "utf8");
  const text = original.replace(m.original, () => m.replacement);
  const { build, run, buildSeconds, testSeconds } = hardhatTest(dir, m.test, { file: m.file, text, original, linked });
  const done = (status: Status | "interrupted") => ({ status, buildSeconds, testSeconds });
  if (build?.signal === "SIGINT" || run?.signal === "SIGINT") return done("interrupted");
  if (run === null) {
    console.error(tail(`${build!.stdout}\n${build!.stderr}`));
    return done("compile-error");
  }
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT") return done("timeout");
  const output = `${run.stdout}\n${run.stderr}`;
  // The run's output is kept as the evidence of each verdict (which assertion failed).
  mkdirSync(path.join(ROOT, LOGS_DIR), { recursive: true });
  writeFileSync(path.join(ROOT, LOGS_DIR, `${m.id}.log`), output);
  if (run.status === 0) return done("survived");
  // A failure before any test ran (a Hardhat error, a missing artifact) proves nothing about the mutant.
  if (!ranAnyTest(output)) {
    console.error(tail(output));
    return done("compile-error");
  }
  return done("killed");
}

function ranAnyTest(output: string): boolean {
  return /\d+ (?:passing|failing|tests? passed|tests? failed)/.test(output);
}

function writeScore(list: Mutant[]): void {
  const current = list.map((m) => ({ m, r: results[m.id]?.key === keyOf(m) ? results[m.id] : undefined }));
  const count = (s: Status) => current.filter((x) => x.r?.status === s).length;
  const detected = count("killed") + count("timeout");
  const valid = detected + count("survived");
  const bench = existsSync(path.join(ROOT, BENCH_FILE)) ? JSON.parse(readFileSync(path.join(ROOT, BENCH_FILE), "utf8")) : {};
  bench.contracts_score = valid === 0 ? null : Math.round((10_000 * detected) / valid) / 100;
  bench.contracts_mutants = {
    listed: list.length,
    detected,
    valid,
    survived: current.filter((x) => x.r?.status === "survived").map((x) => x.m.id),
    compile_error: current.filter((x) => x.r?.status === "compile-error").map((x) => x.m.id),
    not_tested: current.filter((x) => x.r === undefined).map((x) => x.m.id),
    test_seconds: current.reduce((sum, x) => sum + (x.r?.seconds ?? 0), 0),
    per_mutant: Object.fromEntries(
      current.map(({ m, r }) => [
        m.id,
        r === undefined ? { status: "not tested" } : { status: r.status, seconds: r.seconds, build_seconds: r.buildSeconds ?? null, test_seconds: r.testSeconds ?? null, reach: r.reach ?? null, at: r.at },
      ]),
    ),
  };
  bench.contracts_scope = `${MUTANTS_FILE}: hand-made mutants of the money paths, each run against the one test named to kill it (scripts/mutation/contracts.ts)`;
  writeFileSync(path.join(ROOT, BENCH_FILE), `${JSON.stringify(bench, null, 2)}\n`);
  console.log(`${BENCH_FILE}: contracts_score ${bench.contracts_score} (${detected} of ${valid} tested; ${bench.contracts_mutants.not_tested.length} not tested)`);
}

function tail(text: string): string {
  return text.split("\n").slice(-40).join("\n");
}

function fail(message: string): never {
  console.error(`contracts mutation: ${message}`);
  process.exit(1);
}
