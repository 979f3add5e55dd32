import { useState } from "preact/hooks";
import { parseUnits, type ContractTransactionResponse, type Interface } from "ethers";
import type { JSX } from "preact";
import { IndexQueue__factory, IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { feeOfGross, formatBps, formatDuration, formatTokenAmount, formatUnixTime, formatUsd } from "../../../keeper/core/index.js";
import { useApp } from "../state.js";
import { signerOf } from "../wallet.js";
import type { QueuePosition } from "../queue.js";
import type { QueueRequestSide } from "../../../keeper/chain/readQueue.js";
import { useGasText, type GasRequest } from "../gas.js";

/**
 * "Gas: …" of one action, before the wallet opens: the node's estimate and its cost at the current gas price (the
 * instant forms' estimate), or why the node cannot estimate it. An approval step says so and that the action's own
 * gas follows it.
 */
function GasNote({ id, request, approval }: { id: string; request: GasRequest; approval?: string }) {
  const { chain, blockNumber } = useApp();
  const text = useGasText(chain.provider, request, blockNumber) ?? "estimating…";
  return (
    <p class="note" data-testid={id}>
      Gas: {approval === undefined ? text : `the approval ${text}; the ${approval}'s is estimated once the queue is approved (until then it would revert)`}.
    </p>
  );
}

/** A decimal input in base units, or the reason it is not a positive amount. */
function parsePositive(text: string, decimals: number): bigint | string | null {
  if (text.trim() === "") return null;
  try {
    const value = parseUnits(text.trim(), decimals);
    return value > 0n ? value : "Enter an amount above zero.";
  } catch {
    return `"${text}" is not an amount (use digits and at most ${decimals} decimals).`;
  }
}

/** Pending and claimable requests in words (My position and the deposit page show the same lines). */
export function QueueRequests({ position, now }: { position: QueuePosition; now: number }) {
  const { view } = useApp();
  const d = view?.state.stablecoin.decimals ?? 6;
  const sd = view?.shareDecimals ?? 18;
  const shares = (n: bigint) => `${formatTokenAmount(String(n), sd)} ${view?.symbol ?? "shares"}`;
  const closed = (side: QueueRequestSide) =>
    `window ${side.window} closed at ${formatUnixTime(side.cutOff)}; waiting for its settlement (the keeper's; anyone's from ${formatUnixTime(side.openToAllAt)})`;
  // What a cancel would take back now (the current window's request, a short redemption's rest, or the request of a
  // window whose settlement had to wait) and what waits for a settlement past its cut-off: a controller can have both.
  const when = (side: QueueRequestSide, amount: (n: bigint) => string, why: string) =>
    side.cancellable === 0n
      ? closed(side)
      : side.cancellable >= side.pending
        ? now < position.currentCutOff && side.window === position.currentWindow
          ? `window ${side.window}; cancellable until its cut-off ${formatUnixTime(position.currentCutOff)} (in ${formatDuration(position.currentCutOff - now)}), then settled by the keeper at a NAV read after the cut-off`
          : `cancellable now (the settlement of window ${side.window} ${why})`
        : `${amount(side.cancellable)} cancellable now, ${amount(side.pending - side.cancellable)} in ${closed(side)}`;
  const rows = [
    position.account.deposit.pending > 0n && { id: "pending-deposit", label: "Pending deposit", text: `${formatUsd(position.account.deposit.pending, d)}, ${when(position.account.deposit, (n) => formatUsd(n, d), "had to wait")}` },
    position.account.deposit.claimableAssets > 0n && { id: "claimable-deposit", label: "Claimable deposit", text: `${shares(position.account.deposit.claimableShares)} bought with ${formatUsd(position.account.deposit.claimableAssets, d)}` },
    position.account.redeem.pending > 0n && { id: "pending-redeem", label: "Pending redemption", text: `${shares(position.account.redeem.pending)}, ${when(position.account.redeem, shares, "was short of cash or had to wait")}` },
    position.account.redeem.claimableShares > 0n && { id: "claimable-redeem", label: "Claimable redemption", text: `${formatUsd(position.account.redeem.claimableAssets, d)} for ${shares(position.account.redeem.claimableShares)}` },
  ].filter((r) => r !== false);
  if (rows.length === 0) return <p data-testid="queue-requests">No queued request: nothing pending or claimable.</p>;
  return (
    <dl class="cards" data-testid="queue-requests">
      {rows.map((r) => (
        <div class="card" key={r.id}>
          <dt>{r.label}</dt>
          <dd data-testid={r.id}>{r.text}</dd>
        </div>
      ))}
    </dl>
  );
}

interface Props {
  position: QueuePosition;
  now: number;
  /** Why nothing can be sent now (no wallet, wrong network, a transaction in flight), or null. */
  blocked: string | null;
  balances: { stable: bigint; shares: bigint } | null;
  send(what: string, build: () => Promise<ContractTransactionResponse>): Promise<void>;
  reason(id: string, text: string | null): JSX.Element | false | null;
}

/**
 * The ERC-7540 path (IndexQueue): a request waits in the queue's escrow for its window's cut-off, the keeper
 * settles the whole window at one NAV read after it, and the requester claims. Requests need no price source.
 */
export function QueuedPath({ position, now, blocked, balances, send, reason }: Props) {
  const { connection, view, config } = useApp();
  const [depositText, setDepositText] = useState("");
  const [redeemText, setRedeemText] = useState("");
  if (view === null || connection === null) return null;
  const d = view.state.stablecoin.decimals;
  const sd = view.shareDecimals;
  const account = connection.account;
  const queue = async () => IndexQueue__factory.connect(position.address, await signerOf(connection));
  const deposit = parsePositive(depositText, d);
  const redeem = parsePositive(redeemText, sd);
  // The queue keeps two windows per controller (by window parity): only a request two, four, ... windows old and still
  // pending (its settlement a full window late) holds the current window's place.
  const earlier = (side: QueueRequestSide) => {
    const age = position.currentWindow - side.window;
    return side.pending > 0n && side.window !== 0n && age >= 2n && age % 2n === 0n
      ? `Your request of window ${side.window} is still pending, a full window late: anyone may settle it from ${formatUnixTime(side.openToAllAt)}; claim it then, and request again.`
      : null;
  };
  const depositBlocked =
    blocked ??
    (typeof deposit === "string" ? deposit : null) ??
    (deposit === null ? "Enter an amount." : null) ??
    (balances !== null && typeof deposit === "bigint" && deposit > balances.stable ? `Your balance is ${formatUsd(balances.stable, d)}, less than this amount.` : null) ??
    earlier(position.account.deposit);
  const depositNeedsApproval = typeof deposit === "bigint" && position.account.assetAllowance < deposit;
  const redeemBlocked =
    blocked ??
    (typeof redeem === "string" ? redeem : null) ??
    (redeem === null ? "Enter a number of shares." : null) ??
    (balances !== null && typeof redeem === "bigint" && redeem > balances.shares ? "You hold fewer shares than this." : null) ??
    earlier(position.account.redeem);
  const redeemNeedsApproval = typeof redeem === "bigint" && position.account.shareAllowance < redeem;
  const cancellable = (side: QueueRequestSide) => side.cancellable > 0n;
  const queueInterface = IndexQueue__factory.createInterface();
  const queueCall = (fn: string, args: unknown[]): GasRequest => ({ from: account, to: position.address, data: (queueInterface as Interface).encodeFunctionData(fn, args) });
  // Before the approval the request would revert, so only the approval is estimated; the request is, once approved.
  const depositGas: GasRequest | null =
    typeof deposit !== "bigint" ? null : depositNeedsApproval ? { from: account, to: view.state.stablecoin.address, data: TestToken__factory.createInterface().encodeFunctionData("approve", [position.address, deposit]) } : queueCall("requestDeposit", [deposit, account, account]);
  const redeemGas: GasRequest | null =
    typeof redeem !== "bigint" ? null : redeemNeedsApproval ? { from: account, to: config.vault, data: IndexVault__factory.createInterface().encodeFunctionData("approve", [position.address, redeem]) } : queueCall("requestRedeem", [redeem, account, account]);

  return (
    <>
      <h2 id="queue-title">Queued request (ERC-7540)</h2>
      <p>
        The window open now is {String(position.currentWindow)}; its cut-off is {formatUnixTime(position.currentCutOff)} (in {formatDuration(Math.max(0, position.currentCutOff - now))}).
      </p>
      <QueueRequests position={position} now={now} />
      <div class="actions">
        {position.account.deposit.claimableAssets > 0n && (
          <div>
            <button type="button" disabled={blocked !== null} onClick={() => void send("Claim of the queued deposit", async () => (await queue())["deposit(uint256,address)"](position.account.deposit.claimableAssets, account))}>
              Claim {formatTokenAmount(String(position.account.deposit.claimableShares), sd)} {view.symbol}
            </button>
            <GasNote id="queue-claim-deposit-gas" request={queueCall("deposit(uint256,address)", [position.account.deposit.claimableAssets, account])} />
          </div>
        )}
        {position.account.redeem.claimableShares > 0n && (
          <div>
            <button type="button" disabled={blocked !== null} onClick={() => void send("Claim of the queued redemption", async () => (await queue()).redeem(position.account.redeem.claimableShares, account, account))}>
              Claim {formatUsd(position.account.redeem.claimableAssets, d)}
            </button>
            <GasNote id="queue-claim-redeem-gas" request={queueCall("redeem", [position.account.redeem.claimableShares, account, account])} />
          </div>
        )}
        {cancellable(position.account.deposit) && (
          <div>
            <button type="button" disabled={blocked !== null} onClick={() => void send("Cancellation of the queued deposit", async () => (await queue()).cancelDepositRequest(account, account))}>
              Cancel the pending deposit: {formatUsd(position.account.deposit.cancellable, d)}
            </button>
            <GasNote id="queue-cancel-deposit-gas" request={queueCall("cancelDepositRequest", [account, account])} />
          </div>
        )}
        {cancellable(position.account.redeem) && (
          <div>
            <button type="button" disabled={blocked !== null} onClick={() => void send("Cancellation of the queued redemption", async () => (await queue()).cancelRedeemRequest(account, account))}>
              Cancel the pending redemption: {formatTokenAmount(String(position.account.redeem.cancellable), sd)} {view.symbol}
            </button>
            <GasNote id="queue-cancel-redeem-gas" request={queueCall("cancelRedeemRequest", [account, account])} />
          </div>
        )}
      </div>

      <form
        aria-labelledby="queue-deposit-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (depositBlocked !== null || typeof deposit !== "bigint") return;
          if (depositNeedsApproval) {
            void send("Approval for the queue", async () => TestToken__factory.connect(view.state.stablecoin.address, await signerOf(connection)).approve(position.address, deposit));
            return;
          }
          void send("Deposit request", async () => (await queue()).requestDeposit(deposit, account, account));
        }}
      >
        <h3 id="queue-deposit-title">Request a deposit</h3>
        <label>
          Amount to queue ({view.state.stablecoin.symbol})
          <input name="queue-deposit-amount" inputMode="decimal" value={depositText} onInput={(e) => setDepositText((e.target as HTMLInputElement).value)} />
        </label>
        <p class="note" data-testid="queue-deposit-fees">
          The window settles through the vault's deposit, so its entry fee of {formatBps(view.fees.entryBps)} is taken then
          {typeof deposit === "bigint" ? ` (≈ ${formatUsd(feeOfGross(deposit, view.fees.entryBps), d)} of this amount)` : ""}; the request, a cancellation and the claim cost only their gas.
        </p>
        <button type="submit" disabled={depositBlocked !== null} aria-describedby="queue-deposit-reason">
          {depositNeedsApproval ? `Approve the queue for ${depositText} ${view.state.stablecoin.symbol}` : "Request deposit"}
        </button>
        {depositBlocked === null && depositGas !== null && <GasNote id="queue-deposit-gas" request={depositGas} approval={depositNeedsApproval ? "request" : undefined} />}
        {reason("queue-deposit-reason", depositBlocked ?? (depositNeedsApproval ? "Step 1 of 2: approve the queue to take this amount, then request." : null))}
      </form>

      <form
        aria-labelledby="queue-redeem-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (redeemBlocked !== null || typeof redeem !== "bigint") return;
          if (redeemNeedsApproval) {
            // Shares, not the stablecoin: the queue pulls them into its escrow with the share allowance.
            void send("Approval of shares for the queue", async () => IndexVault__factory.connect(config.vault, await signerOf(connection)).approve(position.address, redeem));
            return;
          }
          void send("Redemption request", async () => (await queue()).requestRedeem(redeem, account, account));
        }}
      >
        <h3 id="queue-redeem-title">Request a cash redemption</h3>
        <label>
          Shares to queue ({view.symbol})
          <input name="queue-redeem-shares" inputMode="decimal" value={redeemText} onInput={(e) => setRedeemText((e.target as HTMLInputElement).value)} />
        </label>
        <p class="note" data-testid="queue-redeem-fees">
          The window settles through the vault's cash redemption, so its exit fee of {formatBps(view.fees.exitBps)} is taken from the cash then; the request, a cancellation and the claim
          cost only their gas.
        </p>
        <button type="submit" disabled={redeemBlocked !== null} aria-describedby="queue-redeem-reason">
          {redeemNeedsApproval ? `Approve the queue for ${redeemText} ${view.symbol}` : "Request redemption"}
        </button>
        {redeemBlocked === null && redeemGas !== null && <GasNote id="queue-redeem-gas" request={redeemGas} approval={redeemNeedsApproval ? "request" : undefined} />}
        {reason("queue-redeem-reason", redeemBlocked ?? (redeemNeedsApproval ? "Step 1 of 2: approve the queue to take these shares, then request." : null))}
      </form>
    </>
  );
}
