// Loaded by every Mocha worker (hardhat.config.ts, test.mocha.require). Tests make temporary directories freely
// (snapshot folders, env files, CLI outputs) and the CLI processes they start inherit TMPDIR: pointing it at one
// directory per worker, removed when the worker exits, keeps a test run from leaving anything in the OS temp dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = mkdtempSync(path.join(tmpdir(), "index-vault-test-"));
process.env.TMPDIR = root;
process.on("exit", () => rmSync(root, { recursive: true, force: true }));
