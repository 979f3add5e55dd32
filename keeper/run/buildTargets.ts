import { readdir } from "node:fs/promises";
import {
  canonicalSnapshotJson,
  checkCategoryLists,
  classifyAsset,
  commitForSnapshot,
  computeTargets,
  dataCutoffFor,
  DEFAULT_PLANNER_CONFIG,
  DEFAULT_REGIME_CONFIG,
  evaluateRegime,
  KeeperError,
  resolveMethodologyConfigV2,
  snapshotHash,
  type MarketAsset,
  type RegimeDecision,
  type Snapshot,
  type SnapshotV2,
} from "../core/index.js";
import { loadClassification } from "../data/classification.js";
import { createSnapshotStore } from "../data/createSnapshotStore.js";
import { tokensByProviderId } from "../data/tokenList.js";
import type { VaultState } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";

export interface TargetsToCommit {
  regime: "bull" | "bear";
  assets: string[];
  weightsBps: number[];
}

export interface BuildTargetsReturnType {
  snapshot: Snapshot;
  /** The published bytes: canonical JSON. */
  json: string;
  hash: string;
  decision: RegimeDecision;
  targets: TargetsToCommit;
  /** Ids that rank into the index but have no token on the vault; their weight went to the others. */
  unregistered: string[];
  /** Unclassified ids within the top N + buffer that are not members yet: for a human to classify. */
  unclassifiedEntrants: string[];
}

/**
 * Market data at the epoch's cut-off -> snapshot v2 -> regime and targets, for the vault as it stands. The
 * universe is classified with the shipped classification (curated ids, then the provider's categories, then
 * the peg check); category lists that came back empty or moved too much since the last published snapshot
 * stop the build. The registry is every token-list id whose token the vault registers; current members are
 * those with a committed weight. In bear the target is the stablecoin alone. Nothing in the snapshot depends
 * on when this runs: the same data and vault give the same bytes.
 */
export async function buildTargets(ctx: KeeperContext, state: VaultState, asOf: Date): Promise<BuildTargetsReturnType> {
  const byId = tokensByProviderId(ctx.tokenList);
  const idByAddress = new Map([...byId].map(([id, t]) => [t.address.toLowerCase(), id]));
  const registeredIds = state.assets.map((a) => idByAddress.get(a.address.toLowerCase())).filter((id): id is string => id !== undefined);
  const members = state.targets
    .filter((t) => t.weightBps > 0 && t.token.address.toLowerCase() !== state.stablecoin.address.toLowerCase())
    .map((t) => idByAddress.get(t.token.address.toLowerCase()))
    .filter((id): id is string => id !== undefined);

  const methodology = resolveMethodologyConfigV2(ctx.settings.methodology);
  const cutoff = dataCutoffFor(asOf);
  const { table, hash: classificationHash } = loadClassification();
  const raw = await ctx.data.getUniverse(ctx.settings.universeSize, cutoff);
  const categoryLists = ctx.data.getCategoryLists === undefined ? undefined : await ctx.data.getCategoryLists(table.categoryRules.map((r) => r.category));
  if (categoryLists !== undefined) {
    const previous = await previousSnapshot(ctx.settings.snapshotDir, asOf);
    checkCategoryLists({ current: categoryLists, previous: previous?.categoryLists, maxChangeFraction: methodology.maxCategoryChangeFraction });
  }
  const universe = raw.map((asset): MarketAsset => {
    const categories = categoryLists === undefined ? asset.categories : Object.keys(categoryLists).filter((slug) => categoryLists[slug]!.includes(asset.id));
    const withCategories = categories === undefined || categories.length === 0 ? asset : { ...asset, categories };
    const { class: cls, rule } = classifyAsset({ asset: withCategories, table });
    return { ...withCategories, class: cls, classRule: rule };
  });

  const asOfIso = asOf.toISOString();
  let decision: RegimeDecision;
  if (ctx.regimeSource !== undefined) {
    decision = await ctx.regimeSource.getRegime(asOfIso, state.regime);
  } else {
    const config = { ...DEFAULT_REGIME_CONFIG, ...ctx.settings.regime };
    const history = await ctx.data.getRegimeHistory(registeredIds, config.window + config.confirmations + 1, cutoff);
    decision = evaluateRegime({ history, previous: state.regime, config });
  }
  const snapshot: SnapshotV2 = {
    version: 2,
    asOf: asOfIso,
    dataCutoff: cutoff.toISOString(),
    chainId: ctx.chainId,
    vault: ctx.vault,
    universe,
    registry: registeredIds,
    currentMembers: members,
    methodology,
    classification: { version: table.version, hash: classificationHash },
    ...(categoryLists === undefined ? {} : { categoryLists }),
    regime: decision,
    cashBufferBps: ctx.settings.planner?.cashBufferBps ?? DEFAULT_PLANNER_CONFIG.cashBufferBps,
  };
  return publishedTargets(ctx, canonicalSnapshotJson(snapshot), state);
}

/** What published snapshot bytes imply: the same result whether this process built them or read them back. */
export function publishedTargets(ctx: Pick<KeeperContext, "tokenList">, json: string, state: Pick<VaultState, "stablecoin">): BuildTargetsReturnType {
  const snapshot = JSON.parse(json) as Snapshot;
  const derived = computeTargets(snapshot);
  return {
    snapshot,
    json,
    hash: snapshotHash(json),
    decision: snapshot.regime,
    targets: targetsFor(ctx, snapshot, state),
    unregistered: derived.unregistered.map((u) => u.id),
    unclassifiedEntrants: [...derived.unclassifiedEntrants],
  };
}

/** The commit a snapshot implies (the core's one rule), as the vault's commitTargets arguments. */
export function targetsFor(ctx: Pick<KeeperContext, "tokenList">, snapshot: Snapshot, state: Pick<VaultState, "stablecoin">): TargetsToCommit {
  const addressOf = new Map([...tokensByProviderId(ctx.tokenList)].map(([id, t]) => [id, t.address]));
  const commit = commitForSnapshot(snapshot, addressOf, state.stablecoin.address);
  if (commit.unmapped.length > 0) throw new KeeperError(`constituent "${commit.unmapped[0]}" has no token on chain ${snapshot.chainId}`, { details: "The registry only holds ids of the token list, so this is a bug." });
  return { regime: commit.regime, assets: commit.targets.map((t) => t.token), weightsBps: commit.targets.map((t) => t.weightBps) };
}

/** The latest snapshot published for an epoch before `asOf` (last week's, normally); null when there is none. */
async function previousSnapshot(dir: string, asOf: Date): Promise<SnapshotV2 | null> {
  const epoch = Math.floor(asOf.getTime() / 1000);
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new KeeperError(`cannot list the snapshot folder ${dir}`, { cause: error });
  }
  const earlier = files
    .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
    .filter((e): e is string => e !== undefined && Number(e) < epoch)
    .sort((a, b) => Number(b) - Number(a));
  const store = createSnapshotStore(dir);
  for (const e of earlier) {
    const snapshot = JSON.parse((await store.read(e))!) as Snapshot;
    if (snapshot.version === 2 && snapshot.categoryLists !== undefined) return snapshot;
  }
  return null;
}
