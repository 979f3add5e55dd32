import { useEffect, useState } from "preact/hooks";
import { computeTargets, formatBps, formatNumber, formatPercent, formatUnixTime, type ComputeTargetsReturnType, type Snapshot } from "../../../keeper/core/index.js";
import { fetchSnapshot, fetchSnapshotIndex, snapshotUrl } from "../chain.js";
import { explainError } from "../errors.js";
import { useApp } from "../state.js";

interface EpochChanges {
  epoch: string;
  snapshot: Snapshot | null;
  targets: ComputeTargetsReturnType | null;
  error: string | null;
}

const SCREEN_WORDS: Record<string, string> = {
  stablecoin: "a stablecoin",
  derivative: "a wrapped or derived asset",
  unregistered: "no registered token and price source on this chain",
  "market-cap": "market cap below the minimum",
  volume: "volume below the minimum",
};

/** The rules in force, then per epoch what entered and left and why, re-derived from each published snapshot. */
export function Methodology() {
  const { history, config, view } = useApp();
  const [epochs, setEpochs] = useState<EpochChanges[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const committed = (history ?? []).filter((e) => e.event.name === "TargetsCommitted").map((e) => String(e.event.args.epoch));
  const key = committed.join(",");
  useEffect(() => {
    (async () => {
      const published = await fetchSnapshotIndex(config);
      const all = [...new Set([...committed, ...published])].sort((a, b) => Number(b) - Number(a));
      return Promise.all(
        all.map(async (epoch): Promise<EpochChanges> => {
          try {
            const text = await fetchSnapshot(config, snapshotUrl(config, epoch));
            if (text === null) return { epoch, snapshot: null, targets: null, error: "no snapshot published for this epoch" };
            const snapshot = JSON.parse(text) as Snapshot;
            return { epoch, snapshot, targets: snapshot.regime.state === "bull" ? computeTargets(snapshot) : null, error: null };
          } catch (e) {
            return { epoch, snapshot: null, targets: null, error: explainError(e) };
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
        const members = new Set(e.snapshot?.currentMembers ?? []);
        const entered = e.targets?.constituents.filter((c) => !members.has(c.id)) ?? [];
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
                {e.targets !== null && (
                  <>
                    <li>
                      {e.targets.constituents.length} constituents; entered:{" "}
                      {entered.length === 0 ? "none" : entered.map((c) => `${c.symbol} (rank ${c.rank}, ${c.reason === "filled" ? "filled an empty seat" : "inside the entry rank"})`).join(", ")}.
                    </li>
                    <li>
                      Left:{" "}
                      {e.targets.removed.length === 0
                        ? "none"
                        : e.targets.removed
                            .map((r) => {
                              const screened = e.targets!.excluded.find((x) => x.id === r.id);
                              return `${r.id} (${r.rank === null ? (screened ? `screened out: ${SCREEN_WORDS[screened.reason]}` : "gone from the universe") : `rank ${r.rank}, past the buffer`})`;
                            })
                            .join(", ")}
                      .
                    </li>
                    <li>Largest weights: {e.targets.constituents.slice(0, 5).map((c) => `${c.symbol} ${formatBps(c.weightBps)}`).join(", ")}.</li>
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
