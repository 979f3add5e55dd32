import { useEffect, useState } from "preact/hooks";
import { explainError } from "../errors.js";
import { formatTokenAmount, formatUsd } from "../../../keeper/core/index.js";
import { useApp } from "../state.js";
import { readQueuePosition, type QueuePosition } from "../queue.js";
import { QueueRequests } from "./QueuedPath.js";

/** Cost basis by average cost: each redemption takes its share of the basis. From the account's own events. */
function costBasis(events: { name: string; shares: bigint; assets: bigint }[]): bigint {
  let shares = 0n;
  let basis = 0n;
  for (const e of events) {
    if (e.name === "Deposit") {
      shares += e.shares;
      basis += e.assets;
    } else if (shares > 0n) {
      basis -= (basis * (e.shares > shares ? shares : e.shares)) / shares;
      shares -= e.shares > shares ? shares : e.shares;
    }
  }
  return basis;
}

export function Position() {
  const { connection, chain, view, history, blockNumber, config } = useApp();
  const [position, setPosition] = useState<{ shares: bigint; value: bigint; queued: QueuePosition | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const account = connection?.account;
  useEffect(() => {
    if (account === undefined || view === null) return;
    (async () => {
      const [shares, queued] = await Promise.all([chain.vault.balanceOf(account), readQueuePosition(chain, account)]);
      return { shares, value: shares === 0n ? 0n : await chain.vault.convertToAssets(shares), queued };
    })().then(
      (p) => {
        setPosition(p);
        setError(null);
      },
      (e) => setError(explainError(e, config.rpcUrl)),
    );
  }, [account, blockNumber, view === null]);
  if (account === undefined) return (
    <section aria-labelledby="pos-title">
      <h1 id="pos-title">My position</h1>
      <p>Connect a wallet to see your shares, their value and your profit or loss.</p>
    </section>
  );
  const mine = (history ?? [])
    .filter((e) => (e.event.name === "Deposit" && e.event.args.owner === account) || ((e.event.name === "Withdraw" || e.event.name === "RedeemedInKind") && e.event.args.owner === account))
    .map((e) => ({ name: e.event.name, shares: e.event.args.shares as bigint, assets: (e.event.args.assets as bigint | undefined) ?? 0n, timestamp: e.timestamp }));
  const basis = costBasis(mine);
  const d = view?.state.stablecoin.decimals ?? 6;
  return (
    <section aria-labelledby="pos-title">
      <h1 id="pos-title">My position</h1>
      {error !== null && <p class="error">{error}</p>}
      {position !== null && view !== null && (
        <dl class="cards">
          <div class="card">
            <dt>Shares</dt>
            <dd data-testid="my-shares">
              {formatTokenAmount(String(position.shares), view.shareDecimals)} {view.symbol}
            </dd>
          </div>
          <div class="card">
            <dt>Value</dt>
            <dd data-testid="my-value">{formatUsd(position.value, d)}</dd>
          </div>
          <div class="card">
            <dt>Cost basis</dt>
            <dd data-testid="my-cost-basis">{formatUsd(basis, d)}</dd>
          </div>
          <div class="card">
            <dt>Profit or loss</dt>
            <dd class={position.value >= basis ? "ok" : "fail"}>
              {position.value >= basis ? "+" : "−"}
              {formatUsd(position.value >= basis ? position.value - basis : basis - position.value, d)}
            </dd>
          </div>
        </dl>
      )}
      <p class="note">
        Cost basis by average cost from your own deposits and redemptions (in kind counts at its share of the basis); shares received by transfer carry no basis.
      </p>
      <h2>Queued requests</h2>
      {config.queue === null ? (
        <p>This vault has no request queue (ERC-7540): deposits and cash redemptions settle at once, so nothing is pending or claimable.</p>
      ) : (
        position?.queued != null && view !== null && <QueueRequests position={position.queued} now={view.state.timestamp} />
      )}
      {config.queue !== null && <p class="note">Claim or cancel on the Deposit / redeem page. Shares and cash waiting in the queue are not in the figures above.</p>}
    </section>
  );
}
