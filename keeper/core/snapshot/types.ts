import type { MarketAsset, MethodologyConfig } from "../methodology/types.js";
import type { RegimeDecision } from "../regime/types.js";

/**
 * Everything the week's targets were derived from. Published as canonical JSON; its keccak256 is the
 * snapshot hash committed on-chain, and `computeTargets(snapshot)` re-derives the committed weights.
 */
export interface Snapshot {
  readonly version: 1;
  /** ISO 8601 time the market data describes. */
  readonly asOf: string;
  readonly chainId: number;
  /** The vault the targets are for (so a snapshot cannot be reused for another deployment). */
  readonly vault?: string;
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
