import { useMemo } from "preact/hooks";
import { Chart } from "../Chart.js";
import { holdingsTreemapOption } from "../../../keeper/charts/index.js";
import { formatBps, formatTokenAmount, formatUsd } from "../../../keeper/core/index.js";
import type { VaultView } from "../chain.js";
import { useApp } from "../state.js";
import { Loading } from "../Loading.js";

/** Tiles the treemap draws one by one; the rest share one "other" tile, so 100 constituents stay readable. */
const TILES = 20;

export function Holdings() {
  const { view, viewError } = useApp();
  const option = useMemo(() => {
    if (view === null) return null;
    const d = view.state.stablecoin.decimals;
    return holdingsTreemapOption({
      holdings: view.holdings.map((h) => ({ symbol: h.symbol, value: Number(h.value) / 10 ** d })),
      tiles: TILES,
      cashSymbol: view.holdings.find((h) => h.token === view.state.stablecoin.address)?.symbol,
    });
  }, [view]);
  if (view === null) return <Loading title="Holdings" reading={viewError === null ? "the vault" : null} />;
  const d = view.state.stablecoin.decimals;
  return (
    <section aria-labelledby="holdings-title">
      <h1 id="holdings-title">Holdings</h1>
      <p>
        Live from chain at block {view.state.blockNumber}: {view.holdings.filter((h) => h.balance > 0n).length} tokens held, NAV {formatUsd(view.state.navAsset, d)}.
      </p>
      {option !== null && <Chart option={option} label={`Treemap of holdings by value: the ${TILES} largest each, the rest grouped`} height={360} />}
      <HoldingsTable view={view} caption="Every registered token, largest first" />
    </section>
  );
}

/** Holdings largest first, `limit` rows (all by default). */
export function HoldingsTable({ view, caption, limit }: { view: VaultView; caption: string; limit?: number }) {
  const { sources } = useApp();
  const d = view.state.stablecoin.decimals;
  const rows = [...view.holdings].sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0)).slice(0, limit);
  return (
      <table data-testid={limit === undefined ? "holdings-table" : "top-holdings-table"}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col" class="num">
              Balance
            </th>
            <th scope="col" class="num">
              Price
            </th>
            <th scope="col" class="num">
              Value
            </th>
            <th scope="col" class="num">
              Weight
            </th>
            <th scope="col" class="num">
              Target
            </th>
            <th scope="col">Price source</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.token}>
              <th scope="row">{h.symbol}</th>
              <td class="num">{formatTokenAmount(String(h.balance), h.decimals)}</td>
              <td class="num">{`$${formatTokenAmount(String(h.price18 / 10n ** 18n), d)}`}</td>
              <td class="num">{formatUsd(h.value, d)}</td>
              <td class="num">{formatBps(h.weightBps)}</td>
              <td class="num">{formatBps(h.targetBps)}</td>
              <td>{h.token === view.state.stablecoin.address ? "the vault's asset" : (sources?.get(h.token.toLowerCase()) ?? <span aria-label="reading">…</span>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}
