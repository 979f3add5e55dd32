import type { MarketAsset, MethodologyConfig, MethodologyConfigV2 } from "../methodology/types.js";
import type { RegimeDecision } from "../regime/types.js";

/**
 * Everything the week's targets were derived from. Published as canonical JSON; its keccak256 is the
 * snapshot hash committed on-chain, and `computeTargets(snapshot)` re-derives the committed weights.
 * Version 1 is what the keeper published first; version 2 (docs/AUDITORS.md) adds the data cut-off, the
 * classification and the investability screens' inputs. The audit accepts both.
 */
export type Snapshot = SnapshotV1 | SnapshotV2;

export interface SnapshotV1 {
  readonly version: 1;
  /** ISO 8601 time the targets describe: the epoch. */
  readonly asOf: string;
  readonly chainId: number;
  /** The vault the targets are for (so a snapshot cannot be reused for another deployment). */
  readonly vault?: string;
  /**
   * The block the vault was deployed in (its deploymentBlock() view) and that block's hash: a restarted devnet
   * has the same chain id and vault address but another hash, so a snapshot of the old chain is not committed
   * on the new one. Absent in snapshots published before it was (they still audit).
   */
  readonly vaultDeployment?: { readonly block: number; readonly blockHash: string };
  readonly universe: readonly MarketAsset[];
  /** Ids with a registered asset and price source on `chainId`. */
  readonly registry: readonly string[];
  /** Constituents before this rebalance, which the rank buffer depends on. */
  readonly currentMembers: readonly string[];
  /** The configuration after defaults. */
  readonly methodology: MethodologyConfig;
  readonly regime: RegimeDecision;
  /**
   * Share of NAV (bps) the keeper keeps in the stablecoin on top of its target, taken pro rata from the
   * other targets (KEEPER_CASH_BUFFER_BPS). It shapes every trade, so it is published with the targets and
   * the audit judges sells with it. Absent in snapshots published before it was: the audit then assumes 200.
   */
  readonly cashBufferBps?: number;
}

export interface SnapshotV2 extends Omit<SnapshotV1, "version" | "methodology"> {
  readonly version: 2;
  /**
   * The daily close every market input describes (Sunday 00:00 UTC for a Monday epoch): fixed per epoch, so
   * the notice, the Monday run and a catch-up build the same snapshot; nothing after it is read.
   */
  readonly dataCutoff: string;
  readonly methodology: MethodologyConfigV2;
  /** The classification every universe asset's `class` came from: its version and keccak256. */
  readonly classification: { readonly version: string; readonly hash: string };
  /** Category slug -> its member ids as the provider listed them (sanity checks compare them week to week). */
  readonly categoryLists?: Readonly<Record<string, readonly string[]>>;
  /**
   * Where the registered tokens' `onChainDepthUsd` was read: the first block at or after the data cut-off (its
   * number, hash and time), so an auditor can read the same pools at the same block. Absent before the depth screen.
   */
  readonly depthRead?: { readonly block: number; readonly blockHash: string; readonly timestamp: number };
}
