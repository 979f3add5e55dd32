import {
  carryForwardGaps,
  epochFor,
  canonicalSnapshotJson,
  checkCategoryLists,
  classifyAsset,
  commitForSnapshot,
  computeTargets,
  dataCutoffFor,
  effectiveCashBufferBps,
  KeeperError,
  resolveMethodologyConfigV2,
  snapshotHash,
  type MarketAsset,
  type RegimeDecision,
  type Snapshot,
  type SnapshotV2,
} from "../core/index.js";
import { loadClassification } from "../data/classification.js";
import { tokensByProviderId } from "../data/tokenList.js";
import { firstBlockAtOrAfter } from "../chain/firstBlockAtOrAfter.js";
import { readTokenDepths } from "../chain/readTokenDepths.js";
import { readVault, type VaultState } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";
import { decideRegime } from "./decideRegime.js";
import { publishedSnapshotsBefore, type PublishedSnapshot } from "./publishedSnapshots.js";

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
export async function buildTargets(ctx: KeeperContext, state: VaultState, asOf: Date, mode: "weekly" | "regime-check" = "weekly"): Promise<BuildTargetsReturnType> {
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
  const published = await publishedSnapshotsBefore(ctx.settings.snapshotDir, epochFor(asOf));
  const latest = published.length > 0 ? await published[0]!.read() : null;
  let raw: readonly MarketAsset[] | null;
  try {
    raw = await ctx.data.getUniverse(ctx.settings.universeSize, cutoff);
  } catch (error) {
    ctx.log.error({ at: "Targets", error: (error as Error).message }, "market data unavailable");
    raw = null;
  }
  let universe: readonly MarketAsset[];
  let categoryLists: Readonly<Record<string, readonly string[]>> | undefined;
  let depthRead: SnapshotV2["depthRead"];
  // Classified before the regime reads it: a provider such as CoinGecko flags no stablecoin or derivative itself, so
  // only the classes keep them out of the regime's market.
  let classified: MarketAsset[] | null = null;
  if (raw !== null) {
    categoryLists = ctx.data.getCategoryLists === undefined ? undefined : await ctx.data.getCategoryLists(table.categoryRules.map((r) => r.category));
    if (categoryLists !== undefined) {
      const previous = await previousSnapshot(ctx.settings.snapshotDir, asOf);
      checkCategoryLists({ current: categoryLists, previous: previous?.categoryLists, maxChangeFraction: methodology.maxCategoryChangeFraction });
    }
    const lists = categoryLists;
    classified = raw.map((asset): MarketAsset => {
      const categories = lists === undefined ? asset.categories : Object.keys(lists).filter((slug) => lists[slug]!.includes(asset.id));
      const withCategories = categories === undefined || categories.length === 0 ? asset : { ...asset, categories };
      const { class: cls, rule } = classifyAsset({ asset: withCategories, table });
      return { ...withCategories, class: cls, classRule: rule };
    });
  }
  const decision = await decideRegime(ctx, { state, asOf, cutoff, universe: classified, latest });
  if (classified !== null) {
    const gaps = carryForwardGaps({ universe: classified, currentMembers: members, previousUniverse: latest?.universe ?? null, maxGapSnapshots: ctx.settings.maxGapSnapshots });
    for (const { id, missingSnapshots } of gaps.carried) ctx.log.warn({ id, missingSnapshots }, "a member is missing from the market data: carried forward from the last snapshot, not sold");
    for (const id of gaps.dropped) ctx.log.warn({ id }, "a member has been missing from the market data too long: the methodology removes it");
    universe = gaps.universe;
    if (methodology.minOnChainDepthUsd > 0) ({ universe, depthRead } = await withOnChainDepth(ctx, universe, cutoff, methodology.depthBandBps, state.blockNumber));
  } else {
    // Only a bull commit needs the market's universe: a weekly run, or a switch back to bull.
    const needsUniverse = decision.state === "bull" && (mode === "weekly" || decision.changed);
    universe = await lastGoodUniverse(ctx, published, asOf, needsUniverse);
    categoryLists = (latest as Partial<SnapshotV2> | null)?.categoryLists;
    depthRead = (latest as Partial<SnapshotV2> | null)?.depthRead;
  }

  const asOfIso = asOf.toISOString();
  const snapshot: SnapshotV2 = {
    version: 2,
    asOf: asOfIso,
    dataCutoff: cutoff.toISOString(),
    chainId: ctx.chainId,
    vault: ctx.vault,
    vaultDeployment: ctx.vaultDeployment,
    universe,
    registry: registeredIds,
    currentMembers: members,
    methodology,
    classification: { version: table.version, hash: classificationHash },
    ...(categoryLists === undefined ? {} : { categoryLists }),
    ...(depthRead === undefined ? {} : { depthRead }),
    regime: decision,
    cashBufferBps: effectiveCashBufferBps(ctx.settings.planner),
  };
  return publishedTargets(ctx, canonicalSnapshotJson(snapshot), state);
}

/**
 * The depth screen's input: each registered token's on-chain depth (readTokenDepths: over the routes the keeper
 * trades it on, within the band of the oracle price; with SwapRouter02 routing, V2 pairs and routes via WETH count,
 * with the direct adapter only its stablecoin pools) at the first block at or after the data cut-off, in the
 * stablecoin taken at $1, set on the universe's registered assets; the block goes into the snapshot. An epoch whose
 * cut-off precedes the vault's deployment (the first rebalance after a launch) has no such block with a vault
 * registering anything: its pools are read at the block this run read the vault at (`stateBlock`).
 */
async function withOnChainDepth(ctx: KeeperContext, universe: readonly MarketAsset[], cutoff: Date, bandBps: number, stateBlock: number): Promise<{ universe: MarketAsset[]; depthRead: NonNullable<SnapshotV2["depthRead"]> }> {
  const deployedAt = await ctx.provider.getBlock(ctx.vaultDeployment.block);
  if (deployedAt === null) throw new KeeperError(`the vault's deployment block ${ctx.vaultDeployment.block} was not found while reading on-chain depth`);
  const blockNumber = cutoff.getTime() / 1000 <= deployedAt.timestamp ? stateBlock : await firstBlockAtOrAfter(ctx.provider, cutoff.getTime() / 1000, ctx.vaultDeployment.block);
  const block = await ctx.provider.getBlock(blockNumber);
  if (block === null || block.hash === null) throw new KeeperError(`block ${blockNumber} not found while reading on-chain depth`);
  const atCutoff = await readVault({ runner: ctx.provider, vault: ctx.vault, blockTag: blockNumber });
  const depths = await readTokenDepths({
    runner: ctx.provider,
    chainId: ctx.chainId,
    vault: ctx.vault,
    factoryV3: ctx.routing?.factoryV3 ?? ctx.factory,
    factoryV2: ctx.routing?.factoryV2,
    stablecoin: atCutoff.stablecoin.address,
    connectors: ctx.routing?.connectors ?? [],
    tokens: atCutoff.assets.map((t) => t.address),
    blockTag: blockNumber,
    bandBps,
  });
  const byId = tokensByProviderId(ctx.tokenList);
  const unit = 10 ** atCutoff.stablecoin.decimals;
  const withDepth = universe.map((asset) => {
    const depth = depths.get(byId.get(asset.id)?.address.toLowerCase() ?? "");
    return depth === undefined ? asset : { ...asset, onChainDepthUsd: Number(depth.depthAsset) / unit };
  });
  return { universe: withDepth, depthRead: { block: blockNumber, blockHash: block.hash, timestamp: block.timestamp } };
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

/**
 * The universe to use while the market data provider is down: the latest published snapshot's, if its data
 * is no older than maxSnapshotAgeDays (a universe already reused during this outage dates from the first
 * snapshot that published it). Older, a bear target (cash only) or a daily check that commits nothing gets
 * the old one for the record; a bull commit is refused, so the run skips with an error (the daemon's alert).
 */
async function lastGoodUniverse(ctx: KeeperContext, published: readonly PublishedSnapshot[], asOf: Date, needsUniverse: boolean): Promise<readonly MarketAsset[]> {
  const latest = published.length > 0 ? await published[0]!.read() : null;
  let dataAsOf = latest?.asOf;
  const same = JSON.stringify(latest?.universe);
  for (const older of published.slice(1)) {
    const snapshot = await older.read();
    if (JSON.stringify(snapshot.universe) !== same) break;
    dataAsOf = snapshot.asOf;
  }
  const ageDays = dataAsOf === undefined ? Infinity : (asOf.getTime() - Date.parse(dataAsOf)) / 86_400_000;
  if (ageDays <= ctx.settings.maxSnapshotAgeDays) {
    ctx.log.warn({ at: "Targets", dataAsOf }, "using the last good snapshot's universe");
    return latest!.universe;
  }
  if (!needsUniverse) return latest?.universe ?? [];
  throw new KeeperError("market data unavailable and no recent snapshot to fall back on: skipped, nothing committed", {
    details: [
      dataAsOf === undefined ? "no snapshot has been published yet" : `the last good snapshot's data (${dataAsOf}) is ${ageDays.toFixed(1)} days old; at most ${ctx.settings.maxSnapshotAgeDays} (KEEPER_OUTAGE_MAX_SNAPSHOT_AGE_DAYS)`,
      "The regime check still runs on the vault's oracle closes; the rebalance runs again when the data is back.",
    ],
  });
}

/** The commit a snapshot implies (the core's one rule), as the vault's commitTargets arguments. */
export function targetsFor(ctx: Pick<KeeperContext, "tokenList">, snapshot: Snapshot, state: Pick<VaultState, "stablecoin">): TargetsToCommit {
  const addressOf = new Map([...tokensByProviderId(ctx.tokenList)].map(([id, t]) => [id, t.address]));
  const commit = commitForSnapshot(snapshot, addressOf, state.stablecoin.address);
  if (commit.unmapped.length > 0) throw new KeeperError(`constituent "${commit.unmapped[0]}" has no token on chain ${snapshot.chainId}`, { details: "The registry only holds ids of the token list, so this is a bug." });
  return { regime: commit.regime, assets: commit.targets.map((t) => t.token), weightsBps: commit.targets.map((t) => t.weightBps) };
}

/** The latest version-2 snapshot with category lists published for an epoch before `asOf` (last week's, normally); null when there is none. */
async function previousSnapshot(dir: string, asOf: Date): Promise<SnapshotV2 | null> {
  for (const published of await publishedSnapshotsBefore(dir, BigInt(Math.floor(asOf.getTime() / 1000)))) {
    const snapshot = await published.read();
    if (snapshot.version === 2 && snapshot.categoryLists !== undefined) return snapshot;
  }
  return null;
}
