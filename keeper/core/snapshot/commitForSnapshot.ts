import { getAddress } from "ethers";
import { InvalidInputError } from "../errors.js";
import { computeTargets } from "../methodology/computeTargets.js";
import type { RegimeState } from "../regime/types.js";
import { SNAPSHOT_VERSIONS } from "./snapshotVersions.js";
import type { Snapshot } from "./types.js";

export interface SnapshotCommit {
  readonly regime: RegimeState;
  /** Checksummed token address and weight, in computeTargets' order; 0-bps entries dropped. */
  readonly targets: readonly { readonly token: string; readonly weightBps: number }[];
  /** Constituent ids `addressOf` cannot map: with any, the snapshot does not determine a commit. */
  readonly unmapped: readonly string[];
}

/**
 * The one rule from a published snapshot to the vault's commit, used by the keeper to commit and by the audit
 * to re-derive: bear -> the stablecoin at 10,000 bps; bull -> computeTargets(snapshot) mapped to addresses
 * (provider id -> token address, e.g. from the token list), zero weights dropped. A snapshot of a version this
 * code does not know is refused: the keeper must not commit, nor the audit accept, targets derived by rules the
 * snapshot was not written for.
 */
export function commitForSnapshot(snapshot: Snapshot, addressOf: ReadonlyMap<string, string>, stablecoin: string): SnapshotCommit {
  if (!SNAPSHOT_VERSIONS.includes(snapshot.version)) {
    throw new InvalidInputError(`snapshot version ${JSON.stringify(snapshot.version)} is not one this code derives targets from (${SNAPSHOT_VERSIONS.join(", ")})`);
  }
  if (snapshot.regime.state === "bear") return { regime: "bear", targets: [{ token: getAddress(stablecoin), weightBps: 10_000 }], unmapped: [] };
  const targets: { token: string; weightBps: number }[] = [];
  const unmapped: string[] = [];
  for (const [id, weightBps] of computeTargets(snapshot).weightsBps) {
    if (weightBps === 0) continue;
    const token = addressOf.get(id);
    if (token === undefined) unmapped.push(id);
    else targets.push({ token: getAddress(token), weightBps });
  }
  return { regime: "bull", targets, unmapped };
}
