import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { formatBps, formatDuration, formatTokenAmount, formatUnixTime, formatUsd, nextWeeklyRebalance, regimeFromCode, type Snapshot } from "../../../keeper/core/index.js";
import { timeSeriesChartOption } from "../../../keeper/charts/index.js";
import { Chart } from "../Chart.js";
import { fetchSnapshot, fetchSnapshotIndex, snapshotUrl } from "../chain.js";
import { dailyNavSeries, navWarning, type NavSeries } from "../dailyNav.js";
import { RegimeGauge } from "../RegimeGauge.js";
import { explainError } from "../errors.js";
import { useApp } from "../state.js";
import { HoldingsTable } from "./Holdings.js";
import { Loading } from "../Loading.js";
import { epochChanges, listGrouped } from "../epochChanges.js";

export function Overview() {
  const { view, viewError, history, chain, blockNumber, config } = useApp();
  const [series, setSeries] = useState<NavSeries | null>(null);
  // The newest published snapshot and its epoch: the notice when its epoch is not committed yet.
  const [latest, setLatest] = useState<{ epoch: string; snapshot: Snapshot } | null>(null);
  const latestSnapshot = latest?.snapshot ?? null;
  const [seriesError, setSeriesError] = useState<string | null>(null);
  const [published, setPublished] = useState<string[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const eventCount = history?.length ?? 0;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (view === null || history === null || blockNumber === null) return;
    dailyNavSeries(chain, blockNumber, view.shareDecimals, view.state.stablecoin.decimals, history).then(setSeries, (e) => setSeriesError(explainError(e, config.rpcUrl)));
    // Re-drawn when events arrive, not on every block.
  }, [view === null, eventCount]);
  // The published index is read again on each new block (the notice is published with no event on chain); a
  // snapshot is fetched only when the newest epoch changes. A failed read keeps what was shown.
  const newestRead = useRef<string | null>(null);
  useEffect(() => {
    if (view === null || blockNumber === null) return;
    fetchSnapshotIndex(config).then(
      async (epochs) => {
        setPublished((before) => (before.join() === epochs.join() ? before : epochs));
        const newest = epochs.reduce<string | null>((a, b) => (a === null || BigInt(b) > BigInt(a) ? b : a), null);
        if (newest === newestRead.current) return;
        // Marked before the fetch: blocks that arrive while it is in flight do not fetch it again.
        newestRead.current = newest;
        const text = newest === null ? null : await fetchSnapshot(config, snapshotUrl(config, newest)).catch(() => null);
        if (newest !== null && text === null) {
          // Listed but not readable (yet): asked again on the next block.
          newestRead.current = null;
          return;
        }
        setLatest(text === null ? null : { epoch: newest!, snapshot: JSON.parse(text) as Snapshot });
      },
      () => undefined,
    );
  }, [view === null, blockNumber]);

  const commits = useMemo(() => (history ?? []).filter((e) => e.event.name === "TargetsCommitted"), [history]);
  const option = useMemo(() => {
    if (series === null) return null;
    const end = series.points.at(-1)?.timestamp ?? 0;
    const bear = commits.flatMap((c, i) => (regimeFromCode(c.event.args.regime) === "bear" ? [[c.timestamp * 1000, (commits[i + 1]?.timestamp ?? end) * 1000] as const] : []));
    return timeSeriesChartOption({
      yName: "NAV per share",
      lines: [{ name: "NAV per share", points: series.points.map((p) => [p.timestamp * 1000, p.navPerShare]) }],
      bearPeriods: bear,
      rebalancesMs: commits.map((c) => c.timestamp * 1000),
    });
  }, [series, commits]);
  const navNote = useMemo(() => (series === null ? null : navWarning(series)), [series]);

  // Without a view, the reason is the alert above the page (RPC unreachable, a price source down).
  if (view === null) return <Loading title="Overview" reading={viewError === null ? "the vault" : null} />;
  const { state } = view;
  const d = state.stablecoin.decimals;
  const next = nextWeeklyRebalance(new Date(state.timestamp * 1000));
  const pending = published.filter((e) => BigInt(e) > state.epoch);
  const switches = commits.filter((c, i) => i === 0 || regimeFromCode(c.event.args.regime) !== regimeFromCode(commits[i - 1]!.event.args.regime));
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <dl class="cards">
        <div class="card">
          <dt>NAV per share</dt>
          <dd data-testid="nav-per-share">{formatUsd(view.navPerShare, d, 4)}</dd>
        </div>
        <div class="card">
          <dt>Assets under management</dt>
          <dd data-testid="aum">{formatUsd(state.navAsset, d)}</dd>
        </div>
        <div class="card">
          <dt>Regime</dt>
          <dd data-testid="regime" class={state.regime === "bear" ? "fail" : "ok"}>
            {state.regime === "bull" ? "Bull: holding the index" : "Bear: holding the stablecoin"}
          </dd>
        </div>
        <div class="card">
          <dt>Next weekly rebalance</dt>
          <dd>
            {formatUnixTime(next.getTime() / 1000)} (in {formatDuration((next.getTime() - now) / 1000)})
          </dd>
        </div>
      </dl>
      <h2>Largest holdings</h2>
      <HoldingsTable view={view} caption={`The 10 largest of ${view.holdings.length} tokens (all on the Holdings page)`} limit={10} />
      <h2>Notice</h2>
      {pending.length > 0 && latest !== null && BigInt(latest.epoch) > state.epoch ? (
        <Notice epoch={latest.epoch} snapshot={latest.snapshot} />
      ) : (
        <p>
          {pending.length > 0
            ? `Published and not yet committed: the snapshot of epoch ${pending.join(", ")}; reading it…`
            : `No snapshot is published ahead of the next rebalance yet. The keeper publishes one 12 hours before (the notice); the vault's current epoch is ${state.epoch === 0n ? "none yet" : `${state.epoch} (${formatUnixTime(Number(state.epoch))})`}.`}
        </p>
      )}
      <h2>NAV per share</h2>
      {seriesError !== null && <p class="error">{seriesError}</p>}
      {navNote !== null && <p class="warning" data-testid="nav-warning">{navNote}</p>}
      {option !== null && (
        <Chart
          option={option}
          label={`NAV per share at the close of each day${navNote === null ? "" : " where the RPC could read it, else each deposit's and redemption's price"}, ${series!.points.length} points; shaded periods are bear regimes, dashed lines are rebalances`}
        />
      )}
      <h2>Regime</h2>
      <RegimeGauge decision={latestSnapshot?.regime ?? null} />
      <h3>Timeline</h3>
      {switches.length === 0 ? (
        <p>No epoch committed yet.</p>
      ) : (
        <ul>
          {switches.map((c) => (
            <li key={c.log.transactionHash}>
              {formatUnixTime(c.timestamp)}: {regimeFromCode(c.event.args.regime)} (epoch {String(c.event.args.epoch)})
            </li>
          ))}
        </ul>
      )}
      <h2>Fees</h2>
      <p>
        Entry {formatBps(view.fees.entryBps)}, exit {formatBps(view.fees.exitBps)} (both stay in the vault for the remaining holders), management {formatBps(view.fees.managementBps)} a year
        (minted as shares to the fee recipient). Total supply {formatTokenAmount(String(state.totalSupply), view.shareDecimals)} {view.symbol}.
      </p>
    </section>
  );
}

/** How many target weights the notice lists; the rest are summed in one line. */
const NOTICE_WEIGHTS = 10;

/**
 * The notice: what the next rebalance commits, re-derived from the snapshot the keeper published ahead of it
 * (the same file and code the commit and the audit use): the regime, who enters and leaves, the target weights.
 */
function Notice({ epoch, snapshot }: { epoch: string; snapshot: Snapshot }) {
  const changes = useMemo(() => {
    try {
      return epochChanges(snapshot);
    } catch (e) {
      return explainError(e);
    }
  }, [snapshot]);
  const { regime } = snapshot;
  const weights = typeof changes === "string" ? [] : (changes.targets?.constituents ?? []);
  const restBps = weights.slice(NOTICE_WEIGHTS).reduce((sum, c) => sum + c.weightBps, 0);
  return (
    <>
      <p>
        Published for the rebalance of {formatUnixTime(Number(epoch))} (epoch {epoch}), not committed yet: the keeper commits exactly this snapshot's hash. It commits:
      </p>
      {typeof changes === "string" ? (
        <p class="warning">The published snapshot could not be read: {changes}</p>
      ) : (
        <ul data-testid="notice">
          <li data-testid="notice-regime">
            Regime: {regime.state}
            {regime.changed ? ` (a switch from ${regime.previous})` : ""}
            {regime.state === "bear" ? ": every constituent is sold for the stablecoin" : ": the index is held"}.
          </li>
          <li data-testid="notice-entering">Entering: {listGrouped(changes.entered.map((x) => `${x.constituent.symbol} (${x.why})`))}.</li>
          <li data-testid="notice-leaving">Leaving: {listGrouped(changes.left.map((x) => `${x.id} (${x.why})`))}.</li>
          {weights.length > 0 && (
            <li data-testid="notice-weights">
              Target weights ({weights.length} constituents): {weights.slice(0, NOTICE_WEIGHTS).map((c) => `${c.symbol} ${formatBps(c.weightBps)}`).join(", ")}
              {weights.length > NOTICE_WEIGHTS ? `; the other ${weights.length - NOTICE_WEIGHTS} together ${formatBps(restBps)}` : ""}.
            </li>
          )}
        </ul>
      )}
    </>
  );
}
