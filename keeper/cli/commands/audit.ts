import { constants, existsSync, statSync } from "node:fs";
import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { styleText } from "node:util";
import { ConfigError, loadAuditConfig } from "../../config.js";
import { KeeperError } from "../../core/index.js";
import { createJsonRpcProvider } from "../../chain/createJsonRpcProvider.js";
import { connectToVault } from "../connectToVault.js";
import { readTokenList } from "../readTokenList.js";
import { EXIT } from "../exitCodes.js";
import { oneLineError } from "../oneLineError.js";
import { auditReportJson, formatAuditTable, runAudit } from "../../audit/index.js";

export interface AuditCommandOptions {
  rpc?: string;
  vault?: string;
  fromBlock?: number;
  snapshots?: string;
  tokenList?: string;
  report?: string;
  json: boolean;
}

/**
 * `keeper audit`: rebuilds every epoch from the vault's events (and the published snapshots) and checks it.
 * Prints the per-epoch verdicts and writes the JSON report; exit 4 names every violation, 0 when none. A bad
 * input (flag, variable, a folder or file that is not there, an address without a vault, a block past the head)
 * throws a ConfigError first (exit 2, one line); an unreachable chain or a read that fails after its retries is
 * a KeeperError (exit 3, one line). Progress goes to stderr.
 */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  // A flag overrides its variable; the message for a bad value names the flag the user typed.
  const { config, sourceOf } = loadAuditConfig({ KEEPER_RPC_URL: ["--rpc", options.rpc], KEEPER_VAULT: ["--vault", options.vault], KEEPER_TOKEN_LIST: ["--token-list", options.tokenList], KEEPER_SNAPSHOT_DIR: ["--snapshots", options.snapshots] });
  const { KEEPER_RPC_URL: rpc, KEEPER_VAULT: vault, KEEPER_TOKEN_LIST: tokenListFile, KEEPER_SNAPSHOT_DIR: snapshotsDir } = config;
  // Input problems are exit 2 before a block is read; exit 4 is only for what the chain did.
  if (snapshotsDir !== undefined && !isDirectory(snapshotsDir)) throw new ConfigError(`${sourceOf("KEEPER_SNAPSHOT_DIR")} ${snapshotsDir}: no such folder`);
  const file = options.report ?? (options.json ? undefined : "audit-report.json");
  if (file !== undefined) await checkWritable(file);
  const provider = createJsonRpcProvider({ url: rpc });
  let audit: Awaited<ReturnType<typeof runAudit>>;
  try {
    const { chainId, head, deploymentBlock } = await connectToVault(provider, vault, { rpcInput: `${sourceOf("KEEPER_RPC_URL")} ${rpc}`, vaultInput: sourceOf("KEEPER_VAULT") });
    if (options.fromBlock !== undefined && options.fromBlock > head) throw new ConfigError(`--from-block ${options.fromBlock} is past the chain's head, block ${head}`);
    const tokenList = tokenListFile === undefined ? undefined : await readTokenList(tokenListFile, chainId, sourceOf("KEEPER_TOKEN_LIST"));
    const fromBlock = options.fromBlock ?? deploymentBlock ?? 0;
    console.error(`keeper audit: vault ${vault} on chain ${chainId}, blocks ${fromBlock}-${head}${options.fromBlock === undefined ? (deploymentBlock === null ? " (the vault has no deploymentBlock() view: from block 0)" : " (from the vault's deployment block)") : ""}`);
    try {
      audit = await runAudit({ rpc: provider, vault, fromBlock, toBlock: head, snapshotsDir, tokenList, onProgress: (line) => console.error(`keeper audit: ${line}`) });
    } catch (error) {
      throw new KeeperError(`the audit could not finish: ${oneLineError(error)}`);
    }
  } finally {
    provider.destroy();
  }
  const { report, ok } = audit;
  const json = auditReportJson(report);
  // The JSON report is written unless --json prints it instead (and also then, when --report names a file).
  if (file !== undefined) await writeFile(file, json);
  if (options.json) {
    console.log(json);
  } else {
    console.log(colourVerdicts(formatAuditTable(report)));
    console.log(`\nJSON report: ${file}`);
    if (snapshotsDir === undefined) console.log("No --snapshots given: snapshot hashes and re-derived targets were not checked.");
  }
  for (const v of report.violations) console.error(`${styleText("red", "VIOLATION", { stream: process.stderr })} ${JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x))}`);
  return ok ? EXIT.ok : EXIT.auditViolations;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The report is written after the audit: a place it cannot go is found before, not after minutes of reading. */
async function checkWritable(file: string): Promise<void> {
  if (isDirectory(file)) throw new ConfigError(`--report ${file}: is a folder; name a file`);
  try {
    await access(path.dirname(path.resolve(file)), constants.W_OK);
    if (existsSync(file)) await access(file, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`--report ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** PASS green, FAIL red, INCOMPLETE yellow; plain text when stdout is not a terminal or NO_COLOR is set. */
function colourVerdicts(table: string): string {
  const colours = { PASS: "green", FAIL: "red", INCOMPLETE: "yellow" } as const;
  return table.replace(/\b(PASS|FAIL|INCOMPLETE)$/gm, (verdict) => styleText(colours[verdict as keyof typeof colours], verdict));
}
