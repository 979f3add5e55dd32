import type { Provider } from "ethers";
import { createSnapshotStore } from "../data/createSnapshotStore.js";
import type { TokenList } from "../data/tokenList.js";
import { checkVaultHistory } from "./checkVaultHistory.js";
import { readVaultHistory } from "./readVaultHistory.js";
import type { AuditReport, AuditTolerance } from "./types.js";

export interface AuditVaultParameters {
  provider: Provider;
  vault: string;
  /** First block to read. Default: the vault's deployment block, a full replay. */
  fromBlock?: number;
  toBlock?: number;
  /** Directory of published snapshots, `<epoch>.json` each; without it the snapshot checks are skipped. */
  snapshotsDir?: string;
  /** The chain's token list (provider ids -> addresses); without it the re-derivation is skipped. */
  tokenList?: TokenList;
  tolerance?: Partial<AuditTolerance>;
  /** Blocks per eth_getLogs query. Default 10,000. */
  blockRange?: number;
  /** Progress lines for people. */
  onProgress?: (message: string) => void;
}

/** The CLI's audit: a vault's history read from a provider and a snapshot folder, then checked. Never sends anything. */
export async function auditVault({ snapshotsDir, tokenList, tolerance, ...read }: AuditVaultParameters): Promise<AuditReport> {
  const history = await readVaultHistory({ ...read, snapshots: snapshotsDir === undefined ? undefined : createSnapshotStore(snapshotsDir) });
  return checkVaultHistory(history, { tokenList, tolerance });
}
