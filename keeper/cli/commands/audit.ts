import { writeFile } from "node:fs/promises";
import { isAddress } from "ethers";
import { auditReportJson, formatAuditTable, runAudit } from "../../audit/index.js";

export interface AuditCommandOptions {
  rpc?: string;
  vault?: string;
  fromBlock?: string;
  snapshots?: string;
  tokenList?: string;
  report?: string;
  json: boolean;
}

/**
 * `keeper audit`: rebuilds every epoch from the vault's events (and the published snapshots) and checks it.
 * Prints the per-epoch verdicts and writes the JSON report; exit 4 names every violation, 0 when none.
 */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  const rpc = options.rpc ?? process.env.KEEPER_RPC_URL;
  const vault = options.vault ?? process.env.KEEPER_VAULT;
  const tokenList = options.tokenList ?? process.env.KEEPER_TOKEN_LIST;
  if (rpc === undefined || vault === undefined) {
    console.error("keeper audit: --rpc URL and --vault ADDRESS are required (or KEEPER_RPC_URL and KEEPER_VAULT)");
    return 2;
  }
  if (!isAddress(vault)) {
    console.error(`keeper audit: --vault must be an address, got "${vault}"`);
    return 2;
  }
  let fromBlock: number | undefined;
  if (options.fromBlock !== undefined) {
    fromBlock = Number(options.fromBlock);
    if (!Number.isSafeInteger(fromBlock) || fromBlock < 0) {
      console.error(`keeper audit: --from-block must be a block number, got "${options.fromBlock}"`);
      return 2;
    }
  }
  const snapshotsDir = options.snapshots ?? process.env.KEEPER_SNAPSHOT_DIR;
  let audit: Awaited<ReturnType<typeof runAudit>>;
  try {
    audit = await runAudit({ rpc, vault, fromBlock, snapshotsDir, tokenList });
  } catch (error) {
    console.error(`keeper audit: the audit could not run: ${(error as Error).message.split("\n")[0]}`);
    return 1;
  }
  const { report, ok } = audit;
  const json = auditReportJson(report);
  // The JSON report is written unless --json prints it instead (and also then, when --report names a file).
  const file = options.report ?? (options.json ? undefined : "audit-report.json");
  if (file !== undefined) await writeFile(file, json);
  if (options.json) {
    console.log(json);
  } else {
    console.log(formatAuditTable(report));
    console.log(`\nJSON report: ${file}`);
    if (snapshotsDir === undefined) console.log("No --snapshots given: snapshot hashes and re-derived targets were not checked.");
  }
  for (const v of report.violations) console.error(`VIOLATION ${JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x))}`);
  return ok ? 0 : 4;
}
