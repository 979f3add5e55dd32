import { useEffect, useMemo, useState } from "preact/hooks";
import type { TransactionGas, VaultEvent } from "../chain.js";
import { explainError } from "../errors.js";
import { formatEth, formatNumber, formatTokenAmount, formatUnixTime, regimeFromCode, shortHash } from "../../../keeper/core/index.js";
import { useApp } from "../state.js";
import { Loading } from "../Loading.js";

const KINDS: Record<string, string> = {
  TargetsCommitted: "commit",
  TradeExecuted: "trade",
  Deposit: "deposit",
  Withdraw: "redemption (cash)",
  RedeemedInKind: "redemption (in kind)",
  ManagementFeeAccrued: "fee mint",
  EntryFeeCharged: "entry fee",
  ExitFeeCharged: "exit fee",
  DepositsPausedSet: "pause",
};

/** Rows drawn at first and per "show more": a year of a 100-token vault is thousands of events. */
const PAGE_ROWS = 200;

export function Transactions() {
  const { history, historyError, view, config, transactionGas } = useApp();
  const [kind, setKind] = useState("all");
  const [epoch, setEpoch] = useState("all");
  const [shown, setShown] = useState(PAGE_ROWS);
  const [gas, setGas] = useState<ReadonlyMap<string, TransactionGas>>(new Map());
  const [gasError, setGasError] = useState<string | null>(null);
  const symbols = useMemo(() => new Map((view?.holdings ?? []).map((h) => [h.token.toLowerCase(), h])), [view]);
  const rows = useMemo(
    () =>
      (history ?? [])
        .filter((e) => kind === "all" || KINDS[e.event.name] === kind)
        .filter((e) => epoch === "all" || (e.event.name in { TargetsCommitted: 1, TradeExecuted: 1 } && String(e.event.args.epoch) === epoch))
        .sort((a, b) => b.log.blockNumber - a.log.blockNumber || b.log.index - a.log.index),
    [history, kind, epoch],
  );
  // Gas only for the rows on screen: one batch of reads per page of rows, not one per event of the history.
  const missing = [...new Map(rows.slice(0, shown).filter((e) => !gas.has(e.log.transactionHash)).map((e) => [e.log.transactionHash, e])).values()];
  useEffect(() => {
    if (missing.length === 0) return;
    let live = true;
    // Each read on its own: what was read is kept, a failure is shown, and the rows still missing are read again on
    // the next block (the view changes with every block), so one failed read never leaves its cells at "…".
    void Promise.allSettled(missing.map(async (e) => [e.log.transactionHash, await transactionGas(e)] as const)).then((results) => {
      if (!live) return;
      const read = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      if (read.length > 0) setGas((known) => new Map([...known, ...read]));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      setGasError(failed === undefined ? null : explainError(failed.reason, config.rpcUrl));
    });
    return () => {
      live = false;
    };
  }, [missing.map((e) => e.log.transactionHash).join(), view]);
  if (history === null || view === null) return <Loading title="Transactions" reading={historyError === null ? "the vault's history" : null} error={historyError} />;
  const d = view.state.stablecoin.decimals;
  const token = (address: string) => symbols.get(address.toLowerCase());
  const amount = (address: string, value: bigint) => `${formatTokenAmount(String(value), token(address)?.decimals ?? 18)} ${token(address)?.symbol ?? address.slice(0, 8)}`;
  const epochs = [...new Set(history.filter((e) => e.event.args.epoch !== undefined && e.event.name !== "Deposit").map((e) => String(e.event.args.epoch)))];
  const describe = (e: VaultEvent): string => {
    const a = e.event.args;
    switch (e.event.name) {
      case "TargetsCommitted":
        return `epoch ${a.epoch}: ${regimeFromCode(a.regime)}, ${(a.assets as string[]).length} targets`;
      case "TradeExecuted": {
        const price = (a.amountOut as bigint) === 0n ? "" : ` (oracle value in ${formatTokenAmount(String(a.valueIn), d)}, out ${formatTokenAmount(String(a.valueOut), d)} USD)`;
        return `epoch ${a.epoch}: ${amount(a.tokenIn, a.amountIn)} → ${amount(a.tokenOut, a.amountOut)}${price}`;
      }
      case "Deposit":
        return `${amount(view.state.stablecoin.address, a.assets)} for ${formatTokenAmount(String(a.shares), view.shareDecimals)} shares`;
      case "Withdraw":
        return `${formatTokenAmount(String(a.shares), view.shareDecimals)} shares for ${amount(view.state.stablecoin.address, a.assets)}`;
      case "RedeemedInKind":
        return `${formatTokenAmount(String(a.shares), view.shareDecimals)} shares for ${(a.tokens as string[]).map((t, i) => amount(t, (a.amounts as bigint[])[i]!)).filter((_, i) => (a.amounts as bigint[])[i]! > 0n).length} tokens`;
      case "ManagementFeeAccrued":
        return `${formatTokenAmount(String(a.shares), view.shareDecimals)} shares to ${a.recipient}`;
      case "EntryFeeCharged":
      case "ExitFeeCharged":
        return amount(view.state.stablecoin.address, a.feeAssets);
      case "DepositsPausedSet":
        return a.paused ? "deposits paused" : "deposits resumed";
      default:
        return e.event.name;
    }
  };
  return (
    <section aria-labelledby="tx-title">
      <h1 id="tx-title">Transactions</h1>
      <form onSubmit={(e) => e.preventDefault()} aria-label="Filter">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="all">all</option>
            {[...new Set(Object.values(KINDS))].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Epoch
          <select value={epoch} onChange={(e) => setEpoch((e.target as HTMLSelectElement).value)}>
            <option value="all">all</option>
            {epochs.map((x) => (
              <option key={x} value={x}>
                {x} ({formatUnixTime(Number(x))})
              </option>
            ))}
          </select>
        </label>
      </form>
      {gasError !== null && <p class="error">Gas could not be read: {gasError}</p>}
      <table data-testid="tx-table" data-gas={missing.length === 0 ? "read" : "reading"} data-events={rows.length} data-epochs={history.filter((e) => e.event.name === "TargetsCommitted").length}>
        <caption>
          {rows.length} events, newest first{rows.length > shown ? ` (the latest ${shown} shown)` : ""}{config.explorerUrl === null ? "; no block explorer is configured for this chain, so each entry opens the app's own transaction page" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Kind</th>
            <th scope="col">What</th>
            <th scope="col" class="num">
              Gas
            </th>
            <th scope="col" class="num">
              Fee (ETH)
            </th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((e) => (
            <tr key={`${e.log.blockNumber}:${e.log.index}`} data-kind={KINDS[e.event.name]}>
              <td>{formatUnixTime(e.timestamp)}</td>
              <td>{KINDS[e.event.name]}</td>
              <td>{describe(e)}</td>
              <td class="num">{gasCell(gas.get(e.log.transactionHash), (g) => formatNumber(Number(g.gasUsed), 0))}</td>
              <td class="num">{gasCell(gas.get(e.log.transactionHash), (g) => formatEth(g.gasUsed * g.gasPrice))}</td>
              <td>
                <a href={`#/tx/${e.log.transactionHash}`}>{shortHash(e.log.transactionHash)}</a>
                {config.explorerUrl !== null && (
                  <>
                    {" "}
                    <a href={`${config.explorerUrl}/tx/${e.log.transactionHash}`} target="_blank" rel="noreferrer">
                      explorer
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE_ROWS)}>
          Show {Math.min(PAGE_ROWS, rows.length - shown)} more of {rows.length - shown}
        </button>
      )}
    </section>
  );
}

/** A gas figure, or an ellipsis (with its reason for screen readers) while it is being read. */
function gasCell(gas: TransactionGas | undefined, format: (gas: TransactionGas) => string) {
  return gas === undefined ? <span aria-label="reading">…</span> : format(gas);
}
