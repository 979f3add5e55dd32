import { useState } from "preact/hooks";
import { checkVaultHistory } from "../../../keeper/audit/checkVaultHistory.js";
import { readVaultHistory } from "../../../keeper/audit/readVaultHistory.js";
import type { AuditReport } from "../../../keeper/audit/types.js";
import { fetchSnapshot, fetchTokenList, snapshotUrl } from "../chain.js";
import { explainError } from "../errors.js";
import { formatUnixTime, formatUsd } from "../../../keeper/core/index.js";
import { useApp } from "../state.js";

/**
 * `keeper audit` in the browser: the same readVaultHistory (fed by this page's JSON-RPC provider and fetch)
 * and the same pure checkVaultHistory, over the chain and the published snapshots.
 */
export function Audit() {
  const { chain, config } = useApp();
  const [report, setReport] = useState<AuditReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tokenListNote, setTokenListNote] = useState<string | null>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const tokenList = await fetchTokenList(config).catch((e: Error) => {
        setTokenListNote(`No token list (${e.message}): the targets cannot be re-derived, so those checks are skipped.`);
        return undefined;
      });
      if (tokenList !== undefined) setTokenListNote(null);
      const history = await readVaultHistory({
        provider: chain.provider,
        vault: config.vault,
        fromBlock: await chain.fromBlock(),
        blockRange: config.logBlockRange,
        snapshots: { fileFor: (epoch) => snapshotUrl(config, epoch), read: (epoch) => fetchSnapshot(config, snapshotUrl(config, epoch)) },
      });
      setReport(checkVaultHistory(history, { tokenList }));
    } catch (e) {
      setError(`The audit could not run: ${explainError(e, config.rpcUrl)}`);
    } finally {
      setRunning(false);
    }
  };
  const d = report?.stablecoinDecimals ?? 6;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <p>
        Re-verifies every epoch from chain data and the published snapshots, with the same code as <code>keeper audit</code>: each snapshot hashes to its commit and re-derives the committed
        weights; each trade respects its minimum, the oracle bound and the loss budget, and moves toward the targets. Reading old blocks needs an archive node.
      </p>
      <button type="button" onClick={() => void run()} disabled={running}>
        {running ? "Auditing…" : report === null ? "Run the audit" : "Run the audit again"}
      </button>
      {tokenListNote !== null && <p class="warning">{tokenListNote}</p>}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {report !== null && (
        <>
          <p role="status" data-testid="audit-summary">
            {report.epochs.length} epochs from block {report.fromBlock} to {report.toBlock}: {report.epochs.filter((e) => e.verdict === "pass").length} pass,{" "}
            {report.epochs.filter((e) => e.verdict === "fail").length} fail, {report.epochs.filter((e) => e.verdict === "incomplete").length} incomplete.
          </p>
          <table data-testid="audit-table">
            <caption>Verdict per epoch</caption>
            <thead>
              <tr>
                <th scope="col">Epoch</th>
                <th scope="col">Verdict</th>
                <th scope="col">Regime</th>
                <th scope="col" class="num">
                  Trades
                </th>
                <th scope="col" class="num">
                  NAV after
                </th>
                <th scope="col">Violations and skipped checks</th>
              </tr>
            </thead>
            <tbody>
              {report.epochs.map((e) => (
                <tr key={e.epoch} data-epoch={e.epoch} data-verdict={e.verdict}>
                  <th scope="row">
                    {e.epoch}
                    <br />
                    <span class="note">{formatUnixTime(Number(e.epoch))}</span>
                  </th>
                  <td class={`verdict ${e.verdict === "pass" ? "ok" : "fail"}`}>{e.verdict.toUpperCase()}</td>
                  <td>{e.regime ?? "?"}</td>
                  <td class="num">{e.trades.length}</td>
                  <td class="num">{e.navAfter === null ? "–" : formatUsd(e.navAfter, d)}</td>
                  <td>
                    <ul>
                      {e.violations.map((v, i) => (
                        <li key={`v${i}`} class="fail">
                          {v.check}: {v.message}
                        </li>
                      ))}
                      {e.skipped.map((s, i) => (
                        <li key={`s${i}`}>
                          skipped {s.check}: {s.reason}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>How each figure was obtained</h2>
          <ul>
            {report.derivations.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
