import { getAddress } from "ethers";
import { classifyAsset, computeTargets, dataCutoffFor, snapshotHash, type Snapshot, type SnapshotV2 } from "../core/index.js";
import { loadClassification } from "../data/classification.js";
import { tokensByProviderId, type TokenList } from "../data/tokenList.js";
import type { SkippedCheck, TargetWeight, Violation } from "./types.js";

/**
 * The commit a published snapshot implies, by the keeper's rule: bear -> the stablecoin at 10,000 bps;
 * bull -> computeTargets(snapshot) mapped to addresses through the token list, 0-bps entries dropped.
 * Returns the ids the token list cannot map, which make the snapshot underivable.
 */
export function expectedCommit(snapshot: Snapshot, tokenList: TokenList, stablecoin: string): { targets: TargetWeight[]; unmapped: string[] } {
  if (snapshot.regime.state === "bear") return { targets: [{ token: getAddress(stablecoin), weightBps: 10_000 }], unmapped: [] };
  const byId = tokensByProviderId(tokenList);
  const targets: TargetWeight[] = [];
  const unmapped: string[] = [];
  for (const [id, weightBps] of computeTargets(snapshot).weightsBps) {
    if (weightBps === 0) continue;
    const token = byId.get(id);
    if (token === undefined) unmapped.push(id);
    else targets.push({ token: getAddress(token.address), weightBps });
  }
  return { targets, unmapped };
}

export interface CheckEpochSnapshotParameters {
  readonly epoch: string;
  readonly chainId: number;
  readonly stablecoin: string;
  readonly committed: { readonly regime: "bull" | "bear"; readonly snapshotHash: string; readonly targets: readonly TargetWeight[] };
  /** The published file's exact bytes as text; null when the snapshots directory has no file for the epoch. */
  readonly snapshotText: string | null;
  readonly snapshotFile: string;
  /** Needed to re-derive the targets; without it that check is skipped. */
  readonly tokenList?: TokenList;
}

export interface CheckEpochSnapshotReturnType {
  readonly violations: Violation[];
  readonly skipped: SkippedCheck[];
}

/**
 * The published snapshot against the commit: its keccak256 is the committed hash, it describes this epoch
 * (asOf in unix seconds = epoch) and chain, its regime is the committed one, and the targets re-derived from
 * it with the keeper's own methodology code equal the committed weights, token by token. Versions 1 and 2 are
 * accepted; a version 2 snapshot must also have the epoch's data cut-off, name a shipped classification by its
 * exact hash, and record for every asset the class that classification gives it.
 */
export function checkEpochSnapshot(p: CheckEpochSnapshotParameters): CheckEpochSnapshotReturnType {
  const violations: Violation[] = [];
  const skipped: SkippedCheck[] = [];
  const fail = (check: Violation["check"], message: string, values: Violation["values"]) => violations.push({ epoch: p.epoch, check, message, values });
  if (p.snapshotText === null) {
    fail("snapshot-missing", `epoch ${p.epoch}: no published snapshot ${p.snapshotFile}`, { file: p.snapshotFile });
    return { violations, skipped };
  }
  const hash = snapshotHash(p.snapshotText);
  if (hash.toLowerCase() !== p.committed.snapshotHash.toLowerCase()) {
    fail("snapshot-hash", `epoch ${p.epoch}: keccak256 of ${p.snapshotFile} is ${hash}, the commit says ${p.committed.snapshotHash}`, {
      fileHash: hash,
      committedHash: p.committed.snapshotHash,
    });
  }
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(p.snapshotText) as Snapshot;
    if (snapshot === null || typeof snapshot !== "object" || !Array.isArray(snapshot.universe) || typeof snapshot.asOf !== "string") throw new Error("not a snapshot object");
    if (snapshot.version !== 1 && snapshot.version !== 2) throw new Error(`unknown snapshot version ${JSON.stringify((snapshot as { version?: unknown }).version)} (1 and 2 are known)`);
  } catch (error) {
    fail("snapshot-invalid", `epoch ${p.epoch}: ${p.snapshotFile} is not a snapshot: ${(error as Error).message}`, { file: p.snapshotFile });
    return { violations, skipped };
  }
  const asOfSeconds = Math.floor(Date.parse(snapshot.asOf) / 1000);
  if (String(asOfSeconds) !== p.epoch || snapshot.chainId !== p.chainId) {
    fail("snapshot-epoch", `epoch ${p.epoch}: the snapshot is as of ${snapshot.asOf} (${asOfSeconds}) on chain ${snapshot.chainId}`, {
      asOf: snapshot.asOf,
      asOfSeconds,
      snapshotChainId: snapshot.chainId,
      chainId: p.chainId,
    });
  }
  if (snapshot.version === 2) {
    const expectedCutoff = dataCutoffFor(new Date(snapshot.asOf)).toISOString();
    if (snapshot.dataCutoff !== expectedCutoff) {
      fail("snapshot-epoch", `epoch ${p.epoch}: the data cut-off is ${snapshot.dataCutoff}, the methodology's for this epoch is ${expectedCutoff}`, { dataCutoff: snapshot.dataCutoff ?? null, expected: expectedCutoff });
    }
    const problem = classificationProblem(snapshot);
    if (problem !== null) fail("classification", `epoch ${p.epoch}: ${problem.message}`, problem.values);
  }
  if (snapshot.regime?.state !== p.committed.regime) {
    fail("regime", `epoch ${p.epoch}: committed ${p.committed.regime}, the snapshot's regime is ${snapshot.regime?.state}`, {
      committed: p.committed.regime,
      snapshot: snapshot.regime?.state ?? null,
    });
  }
  if (p.tokenList === undefined) {
    skipped.push({ check: "targets-derived", reason: "no token list to map snapshot ids to addresses" });
    return { violations, skipped };
  }
  let expected: ReturnType<typeof expectedCommit>;
  try {
    expected = expectedCommit(snapshot, p.tokenList, p.stablecoin);
  } catch (error) {
    fail("targets-derived", `epoch ${p.epoch}: targets cannot be derived from the snapshot: ${(error as Error).message.split("\n")[0]}`, {});
    return { violations, skipped };
  }
  if (expected.unmapped.length > 0) {
    fail("targets-derived", `epoch ${p.epoch}: constituents ${expected.unmapped.join(", ")} have no token in the token list`, { unmapped: expected.unmapped.join(",") });
  }
  const differences = diffTargets(p.committed.targets, expected.targets);
  if (differences.length > 0) {
    fail("targets-derived", `epoch ${p.epoch}: committed weights differ from the snapshot's in ${differences.length} token(s): ${differences.map((d) => `${d.token} committed ${d.committedBps} derived ${d.derivedBps}`).join("; ")}`, {
      differingTokens: differences.length,
      detail: JSON.stringify(differences),
    });
  }
  return { violations, skipped };
}

/** Why a v2 snapshot's classification does not hold up, or null: unknown version, wrong hash, or a class the rules do not give. */
function classificationProblem(snapshot: SnapshotV2): { message: string; values: Violation["values"] } | null {
  const { version, hash } = snapshot.classification ?? {};
  let shipped: ReturnType<typeof loadClassification>;
  try {
    shipped = loadClassification(version);
  } catch (error) {
    return { message: `classification ${version}: ${(error as Error).message.split("\n")[0]}`, values: { version: version ?? null } };
  }
  if (hash?.toLowerCase() !== shipped.hash.toLowerCase()) {
    return { message: `classification ${version} has hash ${shipped.hash}, the snapshot says ${hash}`, values: { version, snapshotHash: hash ?? null, shippedHash: shipped.hash } };
  }
  const wrong = snapshot.universe.flatMap((asset) => {
    const expected = classifyAsset({ asset, table: shipped.table });
    return expected.class === asset.class && expected.rule === asset.classRule ? [] : [`${asset.id} recorded ${asset.class}/${asset.classRule}, the rules give ${expected.class}/${expected.rule}`];
  });
  if (wrong.length > 0) return { message: `${wrong.length} asset(s) classified against classification ${version}: ${wrong.slice(0, 5).join("; ")}`, values: { misclassified: wrong.length, detail: wrong.join("; ") } };
  return null;
}

/** Tokens whose committed and derived bps differ (a token missing on one side counts as 0 there). */
export function diffTargets(committed: readonly TargetWeight[], derived: readonly TargetWeight[]): { token: string; committedBps: number; derivedBps: number }[] {
  const c = new Map(committed.map((t) => [t.token.toLowerCase(), t]));
  const d = new Map(derived.map((t) => [t.token.toLowerCase(), t]));
  const tokens = [...new Set([...c.keys(), ...d.keys()])].sort();
  return tokens
    .map((key) => ({ token: getAddress(key), committedBps: c.get(key)?.weightBps ?? 0, derivedBps: d.get(key)?.weightBps ?? 0 }))
    .filter((x) => x.committedBps !== x.derivedBps);
}
