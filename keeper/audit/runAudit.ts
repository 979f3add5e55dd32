import { readFile } from "node:fs/promises";
import type { JsonRpcProvider, Provider } from "ethers";
import { createJsonRpcProvider } from "../chain/createJsonRpcProvider.js";
import { parseTokenList, type TokenList } from "../data/tokenList.js";
import { auditVault } from "./auditVault.js";
import type { AuditReport, AuditTolerance } from "./types.js";

export interface RunAuditOptions {
  /** A JSON-RPC URL (archive node for old blocks), or a ready provider. */
  rpc: string | Provider;
  vault: string;
  fromBlock?: number;
  toBlock?: number;
  snapshotsDir?: string;
  /** Path to the chain's token list (Uniswap format, `extensions.providerId`), or the parsed list. */
  tokenList?: string | TokenList;
  tolerance?: Partial<AuditTolerance>;
  blockRange?: number;
  /** Progress lines for people (phases, blocks read, retried RPC errors). */
  onProgress?: (message: string) => void;
}

export interface RunAuditReturnType {
  report: AuditReport;
  /** False on any violation (the CLI exits 4). A run that cannot complete throws instead. */
  ok: boolean;
}

/**
 * The one entry point of `keeper audit`. The CLI's exit codes (keeper/cli/exitCodes.ts):
 *   0  every check that could run passed (epochs marked "incomplete" had checks skipped, e.g. no snapshots);
 *   4  ok === false: at least one violation; report.violations names each (epoch, check, trade index, values);
 *   2  a bad input (checked by the CLI before it calls this);
 *   3  the audit could not finish (RPC errors after retries, a pruned node for old blocks): runAudit throws.
 * Print formatAuditTable(report) for people and auditReportJson(report) for the JSON report.
 */
export async function runAudit(options: RunAuditOptions): Promise<RunAuditReturnType> {
  const provider = typeof options.rpc === "string" ? createJsonRpcProvider({ url: options.rpc }) : options.rpc;
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    const tokenList =
      typeof options.tokenList === "string" ? parseTokenList(JSON.parse(await readFile(options.tokenList, "utf8")), chainId, options.tokenList) : options.tokenList;
    const report = await auditVault({
      provider,
      vault: options.vault,
      fromBlock: options.fromBlock,
      toBlock: options.toBlock,
      snapshotsDir: options.snapshotsDir,
      tokenList,
      tolerance: options.tolerance,
      blockRange: options.blockRange,
      onProgress: options.onProgress,
    });
    return { report, ok: report.violations.length === 0 };
  } finally {
    if (typeof options.rpc === "string") (provider as JsonRpcProvider).destroy();
  }
}
