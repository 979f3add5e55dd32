import { writeFile } from "node:fs/promises";
import { styleText } from "node:util";
import { loadAuditConfig } from "../../config.js";
import { EXIT } from "../exitCodes.js";
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
 * Prints the per-epoch verdicts and writes the JSON report; exit 4 names every violation, 0 when none; a bad
 * flag or variable throws a ConfigError (exit 2).
 */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  // A flag overrides its variable; the message for a bad value names the flag the user typed.
  const fromFlags = Object.entries({ "--rpc": ["KEEPER_RPC_URL", options.rpc], "--vault": ["KEEPER_VAULT", options.vault], "--token-list": ["KEEPER_TOKEN_LIST", options.tokenList], "--snapshots": ["KEEPER_SNAPSHOT_DIR", options.snapshots] }).filter(([, [, value]]) => value !== undefined);
  const config = loadAuditConfig({ ...process.env, ...Object.fromEntries(fromFlags.map(([, [name, value]]) => [name, value])) }, Object.fromEntries(fromFlags.map(([flag, [name]]) => [name, flag])));
  const { KEEPER_RPC_URL: rpc, KEEPER_VAULT: vault, KEEPER_TOKEN_LIST: tokenList, KEEPER_SNAPSHOT_DIR: snapshotsDir } = config;
  const fromBlock = options.fromBlock;
  let audit: Awaited<ReturnType<typeof runAudit>>;
  try {
    audit = await runAudit({ rpc, vault, fromBlock, snapshotsDir, tokenList });
  } catch (error) {
    console.error(`keeper audit: the audit could not run: ${(error as Error).message.split("\n")[0]}`);
    return EXIT.unexpected;
  }
  const { report, ok } = audit;
  const json = auditReportJson(report);
  // The JSON report is written unless --json prints it instead (and also then, when --report names a file).
  const file = options.report ?? (options.json ? undefined : "audit-report.json");
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

/** PASS green, FAIL red, INCOMPLETE yellow; plain text when stdout is not a terminal or NO_COLOR is set. */
function colourVerdicts(table: string): string {
  const colours = { PASS: "green", FAIL: "red", INCOMPLETE: "yellow" } as const;
  return table.replace(/\b(PASS|FAIL|INCOMPLETE)$/gm, (verdict) => styleText(colours[verdict as keyof typeof colours], verdict));
}
