import { useEffect, useMemo, useState } from "preact/hooks";
import { nextWeeklyRebalance } from "../../../keeper/core/index.js";
import { Chart } from "../Chart.js";
import { fetchSnapshotIndex, type Chain, type VaultEvent } from "../chain.js";
import { explainError } from "../errors.js";
import { formatAmount, formatBps, formatDuration, formatTime, formatUsd } from "../format.js";
import { useApp } from "../state.js";
import { HoldingsTable } from "./Holdings.js";

interface NavPoint {
  timestamp: number;
  navPerShare: number;
}

const SAMPLES = 60;

/**
 * NAV per share at evenly spaced blocks (eth_call with a block tag). A node without archive state cannot
 * answer for old blocks: then the points come from the events alone (each deposit's and redemption's price).
 */
async function navSeries(chain: Chain, latest: number, shareDecimals: number, assetDecimals: number, history: readonly VaultEvent[]): Promise<{ points: NavPoint[]; archive: boolean }> {
  const first = Math.max(chain.config.fromBlock, 1);
  const step = Math.max(1, Math.floor((latest - first) / SAMPLES));
  const blocks: number[] = [];
  for (let b = first; b < latest; b += step) blocks.push(b);
  blocks.push(latest);
  const one = 10n ** BigInt(shareDecimals);
  const scale = 10 ** assetDecimals;
  const points = await Promise.all(
    blocks.map(async (blockTag) => {
      try {
        const [block, supply] = await Promise.all([chain.provider.getBlock(blockTag), chain.vault.totalSupply({ blockTag })]);
        const perShare = supply === 0n ? null : await chain.vault.convertToAssets(one, { blockTag });
        return { ok: true as const, point: perShare === null ? null : { timestamp: block!.timestamp, navPerShare: Number(perShare) / scale } };
      } catch {
        // Before the vault existed, or state the node has pruned.
        return { ok: false as const, point: null };
      }
    }),
  );
  const historical = points.slice(0, -1);
  if (historical.length === 0 || historical.some((p) => p.ok)) return { points: points.flatMap((p) => (p.point === null ? [] : [p.point])), archive: true };
  const fromEvents = history
    .filter((e) => (e.event.name === "Deposit" || e.event.name === "Withdraw") && (e.event.args.shares as bigint) > 0n)
    .map((e) => ({ timestamp: e.timestamp, navPerShare: Number(((e.event.args.assets as bigint) * one) / (e.event.args.shares as bigint)) / scale }));
  return { points: fromEvents, archive: false };
}

export function Overview() {
  const { view, history, chain, blockNumber, config } = useApp();
  const [series, setSeries] = useState<{ points: NavPoint[]; archive: boolean } | null>(null);
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
    navSeries(chain, blockNumber, view.shareDecimals, view.state.stablecoin.decimals, history).then(setSeries, (e) => setSeriesError(explainError(e, config.rpcUrl)));
    fetchSnapshotIndex(config).then(setPublished, () => setPublished([]));
    // Re-drawn when events arrive, not on every block.
  }, [view === null, eventCount]);

  const commits = useMemo(() => (history ?? []).filter((e) => e.event.name === "TargetsCommitted"), [history]);
  const option = useMemo(() => {
    if (series === null) return null;
    const end = series.points.at(-1)?.timestamp ?? 0;
    const bear: [{ xAxis: number }, { xAxis: number }][] = [];
    commits.forEach((c, i) => {
      if (Number(c.event.args.regime) !== 1) return;
      bear.push([{ xAxis: c.timestamp * 1000 }, { xAxis: (commits[i + 1]?.timestamp ?? end) * 1000 }]);
    });
    return {
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true, name: "NAV per share" },
      series: [
        {
          type: "line",
          name: "NAV per share",
          showSymbol: false,
          data: series.points.map((p) => [p.timestamp * 1000, p.navPerShare]),
          markArea: { silent: true, itemStyle: { color: "rgba(139,0,0,0.12)" }, data: bear },
          markLine: { silent: true, symbol: "none", lineStyle: { color: "#888", type: "dashed" }, label: { show: false }, data: commits.map((c) => ({ xAxis: c.timestamp * 1000 })) },
        },
      ],
    };
  }, [series, commits]);

  if (view === null) return <p>Reading the vault…</p>;
  const { state } = view;
  const d = state.stablecoin.decimals;
  const next = nextWeeklyRebalance(new Date(state.timestamp * 1000));
  const pending = published.filter((e) => BigInt(e) > state.epoch);
  const switches = commits.filter((c, i) => i === 0 || Number(c.event.args.regime) !== Number(commits[i - 1]!.event.args.regime));
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
            {formatTime(next.getTime() / 1000)} (in {formatDuration((next.getTime() - now) / 1000)})
          </dd>
        </div>
      </dl>
      <h2>Largest holdings</h2>
      <HoldingsTable view={view} caption={`The 10 largest of ${view.holdings.length} tokens (all on the Holdings page)`} limit={10} />
      <h2>Notice</h2>
      <p>
        {pending.length > 0
          ? `Published and not yet committed: the snapshot of epoch ${pending.join(", ")} (${formatTime(Number(pending[0]))}); the Methodology page shows what it will commit.`
          : `No snapshot is published ahead of the next rebalance yet. The keeper publishes one 12 hours before (the notice); the vault's current epoch is ${state.epoch === 0n ? "none yet" : `${state.epoch} (${formatTime(Number(state.epoch))})`}.`}
      </p>
      <h2>NAV per share</h2>
      {seriesError !== null && <p class="error">{seriesError}</p>}
      {series !== null && !series.archive && (
        <p class="warning">This RPC keeps no archive state, so past NAV cannot be read at old blocks: the chart shows the price of each deposit and redemption instead.</p>
      )}
      {option !== null && <Chart option={option} label={`NAV per share over time, ${series!.points.length} points; shaded periods are bear regimes, dashed lines are rebalances`} />}
      <h2>Regime timeline</h2>
      {switches.length === 0 ? (
        <p>No epoch committed yet.</p>
      ) : (
        <ul>
          {switches.map((c) => (
            <li key={c.log.transactionHash}>
              {formatTime(c.timestamp)}: {Number(c.event.args.regime) === 1 ? "bear" : "bull"} (epoch {String(c.event.args.epoch)})
            </li>
          ))}
        </ul>
      )}
      <h2>Fees</h2>
      <p>
        Entry {formatBps(view.fees.entryBps)}, exit {formatBps(view.fees.exitBps)} (both stay in the vault for the remaining holders), management {formatBps(view.fees.managementBps)} a year
        (minted as shares to the fee recipient). Total supply {formatAmount(state.totalSupply, view.shareDecimals)} {view.symbol}.
      </p>
    </section>
  );
}
