import { useEffect, useState } from "preact/hooks";
import { formatBps, formatNumber, formatPercent, formatUnixTime, type Snapshot } from "../../../keeper/core/index.js";
import { epochChanges, type EpochChanges } from "../epochChanges.js";
import { fetchSnapshot, fetchSnapshotIndex, snapshotUrl } from "../chain.js";
import { explainError } from "../errors.js";
import { useApp } from "../state.js";

interface EpochRow {
  epoch: string;
  snapshot: Snapshot | null;
  changes: EpochChanges | null;
  error: string | null;
}

/** The rules in force, then per epoch what entered and left and why, re-derived from each published snapshot. */
export function Methodology() {
  const { history, config, view } = useApp();
  const [epochs, setEpochs] = useState<EpochRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const committed = (history ?? []).filter((e) => e.event.name === "TargetsCommitted").map((e) => String(e.event.args.epoch));
  const key = committed.join(",");
  useEffect(() => {
    (async () => {
      const published = await fetchSnapshotIndex(config);
      const all = [...new Set([...committed, ...published])].sort((a, b) => Number(b) - Number(a));
      return Promise.all(
        all.map(async (epoch): Promise<EpochRow> => {
          try {
            const text = await fetchSnapshot(config, snapshotUrl(config, epoch));
            if (text === null) return { epoch, snapshot: null, changes: null, error: "no snapshot published for this epoch" };
            const snapshot = JSON.parse(text) as Snapshot;
            return { epoch, snapshot, changes: epochChanges(snapshot), error: null };
          } catch (e) {
            return { epoch, snapshot: null, changes: null, error: explainError(e) };
          }
        }),
      );
    })().then(setEpochs, (e) => setError(explainError(e)));
  }, [key]);
  const latest = epochs?.find((e) => e.snapshot !== null)?.snapshot ?? null;
  return (
    <section aria-labelledby="method-title">
      <h1 id="method-title">Methodology</h1>
      <p>
        Each rebalance, the keeper publishes a snapshot of the market (universe, market caps, volumes, the previous constituents, the rules, the regime) and commits its keccak256 with the
        targets. Anyone can re-derive the targets from it with the same code: the Audit page does.
      </p>
      <h2>Rules in force</h2>
      {error !== null && <p class="error">{error}</p>}
      {latest === null ? (
        <p>No snapshot published yet.</p>
      ) : (
        <ul data-testid="rules">
          <li>Constituents: the top {latest.methodology.constituentCount} by market cap after the screens.</li>
          <li>
            Rank buffer: a member stays while ranked within {Math.floor(latest.methodology.constituentCount * (1 + latest.methodology.bufferFraction))}; a newcomer enters within{" "}
            {Math.ceil(latest.methodology.constituentCount * (1 - latest.methodology.bufferFraction))}.
          </li>
          <li>Weights: market cap{latest.methodology.capFraction === null ? ", uncapped" : `, capped at ${formatPercent(latest.methodology.capFraction, 1)}`}.</li>
          <li>
            Screens: market cap at least ${formatNumber(latest.methodology.minMarketCapUsd, 0)}, 24 h volume at least ${formatNumber(latest.methodology.minVolumeUsd, 0)}; stablecoins and
            wrapped assets excluded.
          </li>
          <li>Regime: bull holds the index; bear holds only the stablecoin (source of the latest decision: {latest.regime.source}).</li>
          {view !== null && <li>Trades: at most {formatBps(view.state.maxSlippageBps)} below the oracle value, inside the loss budget the vault enforces.</li>}
        </ul>
      )}
      <h2>Epochs</h2>
      {epochs === null && <p>Reading the published snapshots…</p>}
      {epochs?.map((e) => {
        const targets = e.changes?.targets ?? null;
        return (
          <article key={e.epoch} aria-labelledby={`epoch-${e.epoch}`}>
            <h3 id={`epoch-${e.epoch}`}>
              Epoch {e.epoch} ({formatUnixTime(Number(e.epoch))}){committed.includes(e.epoch) ? "" : ": published, not committed yet"}
            </h3>
            {e.error !== null && <p class="warning">{e.error}</p>}
            {e.snapshot !== null && (
              <ul>
                <li>
                  Regime: {e.snapshot.regime.state}
                  {e.snapshot.regime.changed ? ` (switched from ${e.snapshot.regime.previous})` : ""}
                  {e.snapshot.regime.state === "bear" ? ": everything goes to the stablecoin" : ""}.
                </li>
                {targets !== null && (
                  <>
                    <li>
                      {targets.constituents.length} constituents; entered: {e.changes!.entered.length === 0 ? "none" : e.changes!.entered.map((x) => `${x.constituent.symbol} (${x.why})`).join(", ")}.
                    </li>
                    <li>Left: {e.changes!.left.length === 0 ? "none" : e.changes!.left.map((x) => `${x.id} (${x.why})`).join(", ")}.</li>
                    <li>Largest weights: {targets.constituents.slice(0, 5).map((c) => `${c.symbol} ${formatBps(c.weightBps)}`).join(", ")}.</li>
                  </>
                )}
              </ul>
            )}
          </article>
        );
      })}
    </section>
  );
}
