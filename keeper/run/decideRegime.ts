import { DEFAULT_REGIME_CONFIG, epochFor, evaluateRegime, InsufficientHistoryError, oracleRegimeHistory, regimeHistoryDays, regimeUniverse, type MarketAsset, type RegimeDecision, type Snapshot } from "../core/index.js";
import type { VaultState } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";
import { createOracleCloseStore } from "../data/createOracleCloseStore.js";
import { tokensByProviderId } from "../data/tokenList.js";
import { lastRegimeSwitch } from "./publishedSnapshots.js";

export interface DecideRegimeParameters {
  state: Pick<VaultState, "regime">;
  asOf: Date;
  /** The data cut-off: the provider's reads take nothing after it. */
  cutoff: Date;
  /** The provider's universe; null when the provider is down. */
  universe: readonly MarketAsset[] | null;
  /** The latest published snapshot (its supplies weight the oracle fallback's basket); null if none. */
  latest: Snapshot | null;
}

/**
 * The regime for `asOf`: the configured source (Token Metrics) if any, else the open model over the whole
 * screened universe's daily history, with the cool-down counted from the last switch the keeper published.
 * When the market data provider is down, the same model (same window, band, evidence, cool-down) runs on
 * the daily closes of the vault's own oracle that the keeper records (source "moving-average/vault-oracle").
 * A day whose data cannot decide keeps the state in force; the decision's `dataGap` says why, and it is logged.
 */
export async function decideRegime(ctx: KeeperContext, { state, asOf, cutoff, universe, latest }: DecideRegimeParameters): Promise<RegimeDecision> {
  const asOfIso = asOf.toISOString();
  // Staleness counts from the data cut-off (the day before the decision), where the latest close belongs.
  const dataDay = cutoff.toISOString();
  if (ctx.regimeSource !== undefined) return ctx.regimeSource.getRegime(asOfIso, state.regime);
  const config = { ...DEFAULT_REGIME_CONFIG, ...ctx.settings.regime };
  const lastSwitchAsOf = await lastRegimeSwitch(ctx.settings.snapshotDir, epochFor(asOf));
  let decision: RegimeDecision;
  let source = "moving-average";
  try {
    if (universe === null) throw new Error("the market data provider is down (see the error above)");
    const ids = regimeUniverse(universe, ctx.settings.regimeUniverseSize);
    const history = await ctx.data.getRegimeHistory(ids, regimeHistoryDays(config), cutoff);
    decision = evaluateRegime({ history, previous: state.regime, lastSwitchAsOf, asOf: dataDay, constituents: ids, config });
  } catch (error) {
    ctx.log.error({ at: "Regime", error: (error as Error).message }, "market data unavailable: the regime is decided on the vault's own oracle closes");
    const closes = await createOracleCloseStore(ctx.settings.snapshotDir, ctx.vault).read();
    const idOf = new Map([...tokensByProviderId(ctx.tokenList)].map(([id, t]) => [t.address.toLowerCase(), id]));
    const history = oracleRegimeHistory({ closes, idOf, universe: latest?.universe ?? [] });
    source = "moving-average/vault-oracle";
    try {
      decision = evaluateRegime({ history, previous: state.regime, lastSwitchAsOf, asOf: dataDay, config });
    } catch (cause) {
      if (!(cause instanceof InsufficientHistoryError)) throw cause;
      const dataGap = `market data unavailable and only ${history.length} oracle closes recorded (the window needs ${config.window})`;
      decision = { state: state.regime, previous: state.regime, changed: false, asOf: asOfIso, source, inputs: { dataGap, lastSwitchAsOf } };
    }
  }
  if (decision.inputs.dataGap) ctx.log.warn({ at: "Regime", asOf: asOfIso, dataGap: decision.inputs.dataGap }, `regime data incomplete: ${state.regime} kept`);
  return { ...decision, asOf: asOfIso, source };
}
