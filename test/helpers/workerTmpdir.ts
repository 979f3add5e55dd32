// Loaded by every Mocha worker (hardhat.config.ts, test.mocha.require). Tests make temporary directories freely
// (snapshot folders, env files, CLI outputs) and the CLI processes they start inherit TMPDIR: pointing it at one
// directory per worker, removed when the worker exits, keeps a test run from leaving anything in the OS temp dir.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const osTmpdir = tmpdir();
const root = mkdtempSync(path.join(osTmpdir, "index-vault-test-"));
// Except tsx's compile cache (TMPDIR/tsx-<uid>, as tsx names it): a link to the one in the OS temp dir, which the
// workers themselves use (tsx is loaded before this file), so a script the tests start (`npm start`, `npm run
// backtest`, ...) finds its TypeScript already compiled instead of compiling it again in every worker and run.
// rmSync below removes the link, not the cache.
const tsxCache = `tsx-${process.geteuid?.() ?? "user"}`;
mkdirSync(path.join(osTmpdir, tsxCache), { recursive: true });
symlinkSync(path.join(osTmpdir, tsxCache), path.join(root, tsxCache));
process.env.TMPDIR = root;
process.on("exit", () => rmSync(root, { recursive: true, force: true }));
