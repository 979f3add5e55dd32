import { getAddress } from "ethers";
import { canonicalJson, classifyAsset, commitForSnapshot, dataCutoffFor, MAX_CASH_BUFFER_BPS, SNAPSHOT_VERSIONS, snapshotHash, type Snapshot, type SnapshotCommit, type SnapshotV2 } from "../core/index.js";
import { loadClassification } from "../data/classification.js";
import { tokensByProviderId, type TokenList } from "../data/tokenList.js";
import type { SkippedCheck, TargetWeight, Violation } from "./types.js";

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
  /**
   * What the vault's events say the snapshot's chain facts were: the audited vault, the tokens it registered when
   * the commit landed and the targets in force before it (the rank buffer's members). null: not in the logs read
   * (the audit starts after the deployment), so that check is skipped; the whole object absent: not checked.
   */
  readonly onChain?: { readonly vault: string; readonly registeredTokens: readonly string[] | null; readonly previousTargets: readonly TargetWeight[] | null; readonly previousRegime?: "bull" | "bear" | null; readonly latestVersion?: number | null };
  /**
   * The methodology the previous audited epoch's snapshot published, with its version; null or absent for the first.
   * The re-derivation trusts the snapshot's own methodology, so a change within a version (one constituent with no
   * cap derives 100 % in one token) is named for a person to judge: an operator may reconfigure the keeper on
   * purpose. A new version brings its own fields (and going back a version is snapshot-invalid).
   */
  readonly previousMethodology?: { readonly version: unknown; readonly methodology: unknown } | null;
}

export interface CheckEpochSnapshotReturnType {
  readonly violations: Violation[];
  readonly skipped: SkippedCheck[];
  /** The cash buffer the snapshot published (bps of NAV), which the trade-direction check uses; absent in older snapshots. */
  readonly cashBufferBps?: number;
  /** The snapshot's format version, once it parsed as one this audit knows. */
  readonly version?: number;
  /** The methodology it published (the next epoch's `previousMethodology`), once it parsed. */
  readonly methodology?: unknown;
}

/**
 * The published snapshot against the commit: its keccak256 is the committed hash, it describes this epoch
 * (asOf in unix seconds = epoch) and chain, its regime is the committed one, and the targets re-derived from
 * it with the keeper's own methodology code equal the committed weights, token by token. Given the vault's
 * events (onChain), its chain facts must be the vault's: `vault`, `registry` (the registered tokens' ids),
 * `currentMembers` (the ids the previous commit gave a weight) and the regime decision's `previous`, which the
 * re-derivation takes on trust; the version must not go back below an earlier epoch's, and a published cash buffer
 * must be one a keeper can run with. Versions 1 and 2 are
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
    // A primitive or an array has no `universe` array, so null is the only shape that needs its own test.
    if (snapshot === null || !Array.isArray(snapshot.universe) || typeof snapshot.asOf !== "string") throw new Error("not a snapshot object");
    if (!SNAPSHOT_VERSIONS.includes(snapshot.version)) throw new Error(`version ${JSON.stringify(snapshot.version)} is not one this audit derives targets from (${SNAPSHOT_VERSIONS.join(", ")})`);
  } catch (error) {
    fail("snapshot-invalid", `epoch ${p.epoch}: ${p.snapshotFile} is not a snapshot: ${(error as Error).message}`, { file: p.snapshotFile });
    return { violations, skipped };
  }
  // Version 1 has no classification to check: a keeper that published version 2 never goes back to it.
  const latestVersion = p.onChain?.latestVersion ?? null;
  if (latestVersion !== null && snapshot.version < latestVersion) {
    fail("snapshot-invalid", `epoch ${p.epoch}: ${p.snapshotFile} is a version ${snapshot.version} snapshot after an earlier epoch's version ${latestVersion}`, { version: snapshot.version, earlierVersion: latestVersion });
  }
  if (p.previousMethodology != null && p.previousMethodology.version === snapshot.version) {
    const before = canonicalJson(p.previousMethodology.methodology ?? null);
    const now = canonicalJson(snapshot.methodology ?? null);
    if (before !== now) {
      fail("methodology-changed", `epoch ${p.epoch}: the methodology changed from the previous epoch's ${before} to ${now}`, { previous: before, methodology: now });
    }
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
  if (p.onChain !== undefined && snapshot.vault !== undefined && String(snapshot.vault).toLowerCase() !== p.onChain.vault.toLowerCase()) {
    fail("snapshot-vault", `epoch ${p.epoch}: the snapshot is for vault ${snapshot.vault}, not ${p.onChain.vault}`, { snapshotVault: String(snapshot.vault), vault: p.onChain.vault });
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
  // The decision's own arithmetic (evaluateRegime: the state is the previous one, flipped when it changed) and, from
  // the vault's events, its previous state: a flip published as "kept" would hide a switch from whoever reads it.
  const decision = snapshot.regime as Partial<Snapshot["regime"]> | null | undefined;
  if (decision !== undefined && decision !== null) {
    const flipped = decision.previous === "bull" ? "bear" : "bull";
    if (decision.state !== (decision.changed === true ? flipped : decision.previous)) {
      fail("regime", `epoch ${p.epoch}: the snapshot's regime decision says ${decision.state} from ${decision.previous} with changed ${decision.changed}`, {
        state: String(decision.state),
        previous: String(decision.previous),
        changed: String(decision.changed),
      });
    }
    const chainPrevious = p.onChain?.previousRegime;
    if (chainPrevious === null) skipped.push({ check: "regime", reason: "the regime before the commit precedes the first block read" });
    else if (chainPrevious !== undefined && decision.previous !== chainPrevious) {
      fail("regime", `epoch ${p.epoch}: the snapshot's regime decision starts from ${decision.previous}, the vault was in ${chainPrevious}`, {
        snapshotPrevious: String(decision.previous),
        vaultPrevious: chainPrevious,
      });
    }
  }
  // The published buffer lowers the floor sells are judged against: one the keeper cannot run with (above
  // MAX_CASH_BUFFER_BPS, 10,000 lifts the floor altogether) is a violation, and sells are judged with the default.
  let cashBufferBps: number | undefined;
  if (snapshot.cashBufferBps !== undefined) {
    if (Number.isSafeInteger(snapshot.cashBufferBps) && snapshot.cashBufferBps >= 0 && snapshot.cashBufferBps <= MAX_CASH_BUFFER_BPS) cashBufferBps = snapshot.cashBufferBps;
    else {
      fail("cash-buffer", `epoch ${p.epoch}: the snapshot publishes a cash buffer of ${JSON.stringify(snapshot.cashBufferBps)} bps; a keeper runs with an integer from 0 to ${MAX_CASH_BUFFER_BPS}`, {
        cashBufferBps: JSON.stringify(snapshot.cashBufferBps),
        maxCashBufferBps: MAX_CASH_BUFFER_BPS,
      });
    }
  }
  if (p.tokenList === undefined) {
    skipped.push({ check: "targets-derived", reason: "no token list to map snapshot ids to addresses" });
    return { violations, skipped, version: snapshot.version, methodology: snapshot.methodology, ...(cashBufferBps === undefined ? {} : { cashBufferBps }) };
  }
  if (p.onChain !== undefined) {
    const idOf = new Map([...tokensByProviderId(p.tokenList)].map(([id, t]) => [t.address.toLowerCase(), id]));
    const stable = p.stablecoin.toLowerCase();
    // As the keeper builds them (buildTargets): the token-list ids of the registered tokens, and of the tokens
    // other than the stablecoin that the targets in force gave a weight.
    const idsOf = (tokens: readonly string[]) => tokens.map((t) => idOf.get(t.toLowerCase())).filter((id): id is string => id !== undefined);
    const stillRegistered = p.onChain.registeredTokens === null ? null : new Set(p.onChain.registeredTokens.map((t) => t.toLowerCase()));
    const facts = [
      { check: "snapshot-registry" as const, field: "registry", published: snapshot.registry, chain: p.onChain.registeredTokens === null ? null : idsOf(p.onChain.registeredTokens), what: "the tokens the vault registered when the commit landed" },
      {
        check: "snapshot-members" as const,
        field: "currentMembers",
        published: snapshot.currentMembers,
        // The keeper reads the targets of registered tokens only: one deregistered since its commit is no member.
        chain:
          p.onChain.previousTargets === null
            ? null
            : idsOf(p.onChain.previousTargets.filter((t) => t.weightBps > 0 && t.token.toLowerCase() !== stable && (stillRegistered === null || stillRegistered.has(t.token.toLowerCase()))).map((t) => t.token)),
        what: "the constituents of the targets committed before",
      },
    ];
    for (const { check, field, published, chain, what } of facts) {
      if (chain === null) {
        skipped.push({ check, reason: `${what} precede the first block read` });
        continue;
      }
      const publishedSet = new Set(Array.isArray(published) ? published.map(String) : []);
      const chainSet = new Set(chain);
      const missing = [...chainSet].filter((id) => !publishedSet.has(id)).sort();
      const extra = [...publishedSet].filter((id) => !chainSet.has(id)).sort();
      if (missing.length > 0 || extra.length > 0) {
        fail(check, `epoch ${p.epoch}: the snapshot's ${field} is not ${what}: missing ${missing.join(", ") || "none"}, not on chain ${extra.join(", ") || "none"}`, {
          missing: missing.join(","),
          extra: extra.join(","),
        });
      }
    }
  }
  let expected: SnapshotCommit;
  try {
    expected = commitForSnapshot(snapshot, new Map([...tokensByProviderId(p.tokenList)].map(([id, t]) => [id, t.address])), p.stablecoin);
  } catch (error) {
    fail("targets-derived", `epoch ${p.epoch}: targets cannot be derived from the snapshot: ${(error as Error).message.split("\n")[0]}`, {});
    return { violations, skipped, version: snapshot.version, methodology: snapshot.methodology, ...(cashBufferBps === undefined ? {} : { cashBufferBps }) };
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
  return { violations, skipped, version: snapshot.version, methodology: snapshot.methodology, ...(cashBufferBps === undefined ? {} : { cashBufferBps }) };
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
