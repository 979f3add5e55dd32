import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Provider } from "ethers";
import type { TokenList } from "../data/tokenList.js";
import { checkVaultHistory } from "./checkVaultHistory.js";
import { readVaultHistory, type SnapshotSource } from "./readVaultHistory.js";
import type { AuditReport, AuditTolerance } from "./types.js";

export interface AuditVaultParameters {
  provider: Provider;
  vault: string;
  /** First block to read; the vault's deployment block gives a full replay. Default 0. */
  fromBlock?: number;
  toBlock?: number;
  /** Directory of published snapshots, `<epoch>.json` each; without it the snapshot checks are skipped. */
  snapshotsDir?: string;
  /** The chain's token list (provider ids -> addresses); without it the re-derivation is skipped. */
  tokenList?: TokenList;
  tolerance?: Partial<AuditTolerance>;
  /** Blocks per eth_getLogs query. Default 10,000. */
  blockRange?: number;
}

/** The CLI's audit: a vault's history read from a provider and a snapshots folder, then checked. Never sends anything. */
export async function auditVault({ snapshotsDir, tokenList, tolerance, ...read }: AuditVaultParameters): Promise<AuditReport> {
  const history = await readVaultHistory({ ...read, snapshots: snapshotsDir === undefined ? undefined : snapshotFolder(snapshotsDir) });
  return checkVaultHistory(history, { tokenList, tolerance });
}

/** `<dir>/<epoch>.json`; a missing file is an unpublished snapshot, any other read error stops the audit. */
export function snapshotFolder(dir: string): SnapshotSource {
  return {
    locate: (epoch) => path.join(dir, `${epoch}.json`),
    read: (file) =>
      readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw error;
      }),
  };
}
