import { useEffect, useRef, useState } from "preact/hooks";
import { parseUnits, type ContractTransactionResponse, type TypedDataDomain } from "ethers";
import { IERC20Permit__factory, IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { explainError, isRejection } from "../errors.js";
import { afterSlippage, BPS, feeOfGross, formatBps, formatNumber, formatTokenAmount, formatUsd } from "../../../keeper/core/index.js";
import { gasText } from "../gas.js";
import { useApp } from "../state.js";
import { signerOf } from "../wallet.js";
import { Loading } from "../Loading.js";
import { readQueuePosition, type QueuePosition } from "../queue.js";
import { QueuedPath } from "./QueuedPath.js";
import { readPermitDomain, signPermit } from "../permit.js";

/** How long a signed permit stays valid: long enough to confirm the deposit, short enough not to linger. */
const PERMIT_LIFETIME_SECONDS = 1_800;

/** A decimal input parsed to base units; null with the reason when it is not a positive amount. */
function parseAmount(text: string, decimals: number): { value: bigint | null; error: string | null } {
  if (text.trim() === "") return { value: null, error: null };
  try {
    const value = parseUnits(text.trim(), decimals);
    return value > 0n ? { value, error: null } : { value: null, error: "Enter an amount above zero." };
  } catch {
    return { value: null, error: `"${text}" is not an amount (use digits and at most ${decimals} decimals).` };
  }
}

interface Balances {
  stable: bigint;
  allowance: bigint;
  shares: bigint;
  eth: bigint;
}


/** Whether this tab remembers `key` (a refused permit); a browser that blocks storage remembers nothing. */
function sessionFlag(key: string): boolean {
  try {
    return sessionStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

/** Remembers `key` for this tab; where storage is blocked the page only forgets it on reload. */
function setSessionFlag(key: string): void {
  try {
    sessionStorage.setItem(key, "1");
  } catch {
    return;
  }
}

export function Trade() {
  const { connection, view, viewError, chain, config, blockNumber, refresh } = useApp();
  const [balances, setBalances] = useState<Balances | null>(null);
  const [queuePosition, setQueuePosition] = useState<QueuePosition | null>(null);
  const [depositText, setDepositText] = useState("");
  const [cashText, setCashText] = useState("");
  const [kindText, setKindText] = useState("");
  const [slippageBps, setSlippageBps] = useState(50);
  // `preview`: the error came from reading a preview, so the next good read clears it (a price source back up).
  const [status, setStatus] = useState<{ text: string; error: boolean; preview?: boolean } | null>(null);
  const previewFailed = (e: unknown) => setStatus({ text: explainError(e, config.rpcUrl), error: true, preview: true });
  const previewRead = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setStatus((s) => (s?.preview === true ? null : s));
  };
  const [busy, setBusy] = useState(false);
  const [depositPreview, setDepositPreview] = useState<{ shares: bigint; gas: string } | null>(null);
  // The stablecoin's EIP-2612 domain; null when it takes no permit, undefined until read.
  const [permitDomain, setPermitDomain] = useState<TypedDataDomain | null | undefined>(undefined);
  // The detection could not reach the chain (it is retried on each new block; meanwhile the page approves).
  const [permitUnknown, setPermitUnknown] = useState(false);
  // A permit deposit failed for another reason than a rejected signature (a DAI-style permit, a contract wallet):
  // approve for the rest of the session.
  const [permitRefused, setPermitRefused] = useState(false);
  const [cashPreview, setCashPreview] = useState<{ assets: bigint; gas: string } | null>(null);
  const [kindPreview, setKindPreview] = useState<{ amounts: bigint[]; gas: string } | null>(null);
  const account = connection?.account;
  const wrongNetwork = connection !== null && connection.chainId !== config.chainId;
  const d = view?.state.stablecoin.decimals ?? 6;
  const sd = view?.shareDecimals ?? 18;
  const deposit = parseAmount(depositText, d);
  const cash = parseAmount(cashText, sd);
  const kind = parseAmount(kindText, sd);

  useEffect(() => {
    if (account === undefined || view === null) return setBalances(null);
    const stable = TestToken__factory.connect(view.state.stablecoin.address, chain.provider);
    Promise.all([stable.balanceOf(account), stable.allowance(account, config.vault), chain.vault.balanceOf(account), chain.provider.getBalance(account), readQueuePosition(chain, account)]).then(
      ([s, allowance, shares, eth, queued]) => {
        setBalances({ stable: s, allowance, shares, eth });
        setQueuePosition(queued);
      },
      (e) => setStatus({ text: explainError(e, config.rpcUrl), error: true }),
    );
  }, [account, blockNumber, view === null]);

  const stablecoin = view?.state.stablecoin.address;
  const refusedKey = `permit-refused:${config.chainId}:${stablecoin}`;
  useEffect(() => {
    setPermitDomain(undefined);
    setPermitUnknown(false);
    setPermitRefused(stablecoin !== undefined && sessionFlag(refusedKey));
  }, [stablecoin]);
  // One detection at a time: a slow RPC is not hammered with a new read per block, and a late answer still counts.
  const permitReading = useRef(false);
  const latestStablecoin = useRef(stablecoin);
  latestStablecoin.current = stablecoin;
  useEffect(() => {
    if (stablecoin === undefined || permitDomain !== undefined || permitReading.current) return;
    permitReading.current = true;
    readPermitDomain(stablecoin, chain.provider, BigInt(config.chainId))
      .then(
        (domain) => {
          if (latestStablecoin.current !== stablecoin) return;
          setPermitDomain(domain);
          setPermitUnknown(false);
        },
        () => latestStablecoin.current === stablecoin && setPermitUnknown(true),
      )
      .finally(() => (permitReading.current = false));
  }, [stablecoin, blockNumber, permitDomain === undefined]);

  const vaultGas = (data: string) => gasText(chain.provider, { from: account!, to: config.vault, data });

  useEffect(() => {
    setDepositPreview(null);
    if (deposit.value === null || account === undefined || view === null) return;
    const assets = deposit.value;
    (async () => {
      const shares = await chain.vault.previewDeposit(assets);
      const min = afterSlippage(shares, slippageBps);
      const gas =
        balances !== null && balances.allowance < assets
          ? permitDomain && !permitRefused
            ? "estimated by your wallet once the permit is signed"
            : `the approval ${await gasText(chain.provider, {
                from: account,
                to: view.state.stablecoin.address,
                data: TestToken__factory.createInterface().encodeFunctionData("approve", [config.vault, assets]),
              })}; the deposit's is estimated once the vault is approved (until then it would revert)`
          : await vaultGas(chain.vault.interface.encodeFunctionData("depositWithMin", [assets, account, min]));
      return { shares, gas };
    })().then(previewRead(setDepositPreview), previewFailed);
  }, [depositText, slippageBps, account, blockNumber, balances?.allowance, permitDomain, permitRefused]);

  useEffect(() => {
    setCashPreview(null);
    if (cash.value === null || account === undefined) return;
    const shares = cash.value;
    (async () => {
      const assets = await chain.vault.previewRedeem(shares);
      const min = afterSlippage(assets, slippageBps);
      return { assets, gas: await vaultGas(chain.vault.interface.encodeFunctionData("redeemWithMin", [shares, account, account, min])) };
    })().then(previewRead(setCashPreview), previewFailed);
  }, [cashText, slippageBps, account, blockNumber]);

  useEffect(() => {
    setKindPreview(null);
    if (kind.value === null || account === undefined || view === null) return;
    const shares = kind.value;
    const zeros = view.holdings.map(() => 0n);
    (async () => {
      // The exact amounts, by simulating the redemption itself from the account (it reads no oracle).
      const amounts = await chain.vault.redeemInKind.staticCall(shares, account, account, zeros, { from: account });
      const mins = amounts.map((a) => afterSlippage(a, slippageBps));
      return { amounts: [...amounts], gas: await vaultGas(chain.vault.interface.encodeFunctionData("redeemInKind", [shares, account, account, mins])) };
    })().then(previewRead(setKindPreview), previewFailed);
  }, [kindText, slippageBps, account, blockNumber]);

  /** Sends through the wallet, waits for the receipt, and says what happened; nothing is retried silently. */
  const send = async (what: string, build: () => Promise<ContractTransactionResponse>, onFailure?: (e: unknown) => string) => {
    if (connection === null) return;
    setBusy(true);
    setStatus({ text: `${what}: confirm in your wallet…`, error: false });
    try {
      const tx = await build();
      setStatus({ text: `${what}: sent ${tx.hash}, waiting for it to be mined…`, error: false });
      const receipt = await chain.provider.waitForTransaction(tx.hash);
      if (receipt?.status !== 1) throw new Error(`${what}: the transaction ${tx.hash} reverted`);
      setStatus({ text: `${what}: done in block ${receipt.blockNumber} (${formatNumber(Number(receipt.gasUsed), 0)} gas).`, error: false });
      await refresh();
    } catch (e) {
      setStatus({ text: `${what} failed. ${explainError(e, config.rpcUrl)}${onFailure === undefined ? "" : onFailure(e)}`, error: true });
    } finally {
      setBusy(false);
    }
  };
  const vaultFor = async () => IndexVault__factory.connect(config.vault, await signerOf(connection!));

  if (view === null) return <Loading title="Deposit / redeem" reading={viewError === null ? "the vault" : null} />;
  const paused = view.state.depositsPaused;
  const oracleDown = viewError !== null;
  const blocked = connection === null ? "Connect a wallet first." : wrongNetwork ? `Switch your wallet to ${config.chainName} first.` : busy ? "A transaction is in progress." : null;
  const depositBlocked =
    blocked ??
    (paused ? "Deposits are paused by the guardian; redeeming in kind still works." : null) ??
    (oracleDown ? "A price source is down: deposits wait until it recovers." : null) ??
    deposit.error ??
    (deposit.value === null ? "Enter an amount." : null) ??
    (balances !== null && deposit.value !== null && deposit.value > balances.stable ? `Your balance is ${formatUsd(balances.stable, d)}, less than this amount.` : null);
  // Already approved: deposit; else one transaction with a permit when the stablecoin takes one; else approve first.
  const depositPath =
    balances === null || deposit.value === null || (permitDomain === undefined && !permitUnknown)
      ? null
      : balances.allowance >= deposit.value
        ? "approved"
        : permitDomain !== undefined && permitDomain !== null && !permitRefused
          ? "permit"
          : "approve";
  const needsApproval = depositPath === "approve";
  const cashBlocked =
    blocked ??
    (oracleDown ? "A price source is down: cash redemptions wait; redeem in kind instead." : null) ??
    cash.error ??
    (cash.value === null ? "Enter a number of shares." : null) ??
    (balances !== null && cash.value !== null && cash.value > balances.shares ? "You hold fewer shares than this." : null);
  const kindBlocked = blocked ?? kind.error ?? (kind.value === null ? "Enter a number of shares." : null) ?? (balances !== null && kind.value !== null && kind.value > balances.shares ? "You hold fewer shares than this." : null);
  const reason = (id: string, text: string | null) =>
    text !== null && (
      <p id={id} class="note" data-testid={id}>
        {text}
      </p>
    );

  return (
    <section aria-labelledby="trade-title">
      <h1 id="trade-title">Deposit / redeem</h1>
      <p>
        <strong>Instant</strong>: deposit, or redeem for cash, settles in your own transaction at the current NAV. It prices every constituent, so it costs the most gas (fine on an L2 or for a
        large ticket), and it needs every price source up and, for cash, enough cash in the vault (exit fee {formatBps(view.fees.exitBps)}). <strong>In kind</strong> hands you your slice of every
        token the vault holds at once: no fee, no oracle, works even while deposits are paused or a price source is down. <strong>Queued</strong> (ERC-7540){" "}
        {config.queue === null ? (
          <>is not deployed for this vault.</>
        ) : (
          <>
            is a cheap request now, settled with everyone else's at the next daily cut-off at a NAV read after it, so nobody knows the price when asking; you may cancel for exactly what you put
            in until the cut-off, then claim your shares or cash once the keeper has settled. Use it when the price can wait a day, for a small ticket on an expensive chain, or to exit for more
            cash than the vault holds now (a short window pays pro rata and the rest waits).
          </>
        )}
      </p>
      {balances !== null && (
        <p data-testid="balances">
          Your balances: {formatUsd(balances.stable, d)} {view.state.stablecoin.symbol}, {formatTokenAmount(String(balances.shares), sd)} {view.symbol}, {formatTokenAmount(String(balances.eth), 18)} ETH.
        </p>
      )}
      {status !== null && (
        <p class={status.error ? "error" : "note"} role={status.error ? "alert" : "status"} data-testid="status">
          {status.text}
        </p>
      )}
      <label style={{ maxWidth: "20rem" }}>
        Slippage tolerance (bps)
        <input type="number" min={0} max={1000} value={slippageBps} onInput={(e) => setSlippageBps(Math.min(1000, Math.max(0, Number((e.target as HTMLInputElement).value) || 0)))} />
      </label>

      {config.faucet !== null && (
        <form
          aria-labelledby="faucet-title"
          onSubmit={(e) => {
            e.preventDefault();
            void send("Faucet", async () => {
              const minter = await chain.provider.getSigner(config.faucet!.minter);
              return TestToken__factory.connect(view.state.stablecoin.address, minter).mint(connection!.account, parseUnits(config.faucet!.amount, d));
            });
          }}
        >
          <h2 id="faucet-title">Devnet faucet</h2>
          <p class="note">Test stablecoin for this devnet only, minted by the node's unlocked deployer account.</p>
          <button type="submit" disabled={connection === null || busy} aria-describedby="faucet-reason">
            Get {config.faucet.amount} {view.state.stablecoin.symbol}
          </button>
          {reason("faucet-reason", connection === null ? "Connect a wallet first." : null)}
        </form>
      )}

      <form
        aria-labelledby="deposit-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (depositBlocked !== null || deposit.value === null || depositPreview === null) return;
          const assets = deposit.value;
          if (needsApproval) {
            void send("Approval", async () => TestToken__factory.connect(view.state.stablecoin.address, await signerOf(connection!)).approve(config.vault, assets));
            return;
          }
          const min = afterSlippage(depositPreview.shares, slippageBps);
          if (depositPath === "permit") {
            void send("Deposit", async () => {
              setStatus({ text: "Deposit: sign the permit in your wallet (a signature, not a transaction: no gas)…", error: false });
              const signer = await signerOf(connection!);
              const owner = connection!.account;
              const nonce = await IERC20Permit__factory.connect(view.state.stablecoin.address, chain.provider).nonces(owner);
              const deadline = BigInt((await chain.provider.getBlock("latest"))!.timestamp + PERMIT_LIFETIME_SECONDS);
              const { v, r, s } = await signPermit(signer, permitDomain!, { owner, spender: config.vault, value: assets, nonce, deadline });
              setStatus({ text: "Deposit: permit signed; confirm the deposit transaction in your wallet…", error: false });
              return IndexVault__factory.connect(config.vault, signer).depositWithPermit(assets, owner, min, deadline, v, r, s);
            }, (e) => {
              if (isRejection(e)) return "";
              setSessionFlag(refusedKey);
              setPermitRefused(true);
              return " The permit did not go through, so this page now approves the vault first, then deposits: press Approve.";
            });
            return;
          }
          void send("Deposit", async () => (await vaultFor()).depositWithMin(assets, connection!.account, min));
        }}
      >
        <h2 id="deposit-title">Deposit</h2>
        <label>
          Amount ({view.state.stablecoin.symbol})
          <input name="deposit-amount" inputMode="decimal" value={depositText} onInput={(e) => setDepositText((e.target as HTMLInputElement).value)} />
        </label>
        {depositPreview !== null && deposit.value !== null && (
          <p class="note" data-testid="deposit-preview">
            You receive about {formatTokenAmount(String(depositPreview.shares), sd)} {view.symbol}, at least {formatTokenAmount(String(afterSlippage(depositPreview.shares, slippageBps)), sd)} (slippage{" "}
            {formatBps(slippageBps)}). Entry fee {formatBps(view.fees.entryBps)} ≈ {formatUsd(feeOfGross(deposit.value, view.fees.entryBps), d)}. Gas: {depositPreview.gas}.
          </p>
        )}
        {depositPath !== null && depositBlocked === null && (
          <p class="note" data-testid="deposit-path" data-path={depositPath}>
            {depositPath === "approved"
              ? "One transaction: the vault is already approved for this amount."
              : depositPath === "permit"
                ? `One transaction: your wallet asks you to sign a permit (EIP-2612: a signature, no gas) letting the vault take this amount, then to confirm the deposit, which uses it.`
                : permitRefused
                  ? `Two transactions: the permit did not go through with ${view.state.stablecoin.symbol} and your wallet, so you approve the vault first, then deposit.`
                  : permitDomain === undefined
                    ? `Two transactions: the app could not yet read whether ${view.state.stablecoin.symbol} takes a permit (the chain's RPC did not answer), so you approve the vault first, then deposit.`
                    : `Two transactions: ${view.state.stablecoin.symbol} takes no permit (EIP-2612), so you approve the vault first, then deposit.`}
          </p>
        )}
        <button type="submit" disabled={depositBlocked !== null || depositPreview === null || depositPath === null} aria-describedby="deposit-reason">
          {needsApproval ? `Approve ${depositText} ${view.state.stablecoin.symbol}` : "Deposit"}
        </button>
        {reason("deposit-reason", depositBlocked ?? (needsApproval ? "Step 1 of 2: approve the vault to take this amount, then deposit." : null))}
      </form>

      <form
        aria-labelledby="cash-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (cashBlocked !== null || cash.value === null || cashPreview === null) return;
          const shares = cash.value;
          const min = afterSlippage(cashPreview.assets, slippageBps);
          void send("Cash redemption", async () => (await vaultFor()).redeemWithMin(shares, connection!.account, connection!.account, min));
        }}
      >
        <h2 id="cash-title">Redeem for cash</h2>
        <label>
          Shares ({view.symbol})
          <input name="cash-shares" inputMode="decimal" value={cashText} onInput={(e) => setCashText((e.target as HTMLInputElement).value)} />
        </label>
        {cashPreview !== null && (
          <p class="note" data-testid="cash-preview">
            You receive about {formatUsd(cashPreview.assets, d)}, at least {formatUsd(afterSlippage(cashPreview.assets, slippageBps), d)}, after the exit fee of {formatBps(view.fees.exitBps)} ≈{" "}
            {formatUsd((cashPreview.assets * BigInt(view.fees.exitBps)) / BPS, d)} (it stays in the vault). Gas: {cashPreview.gas}.
          </p>
        )}
        <button type="submit" disabled={cashBlocked !== null || cashPreview === null} aria-describedby="cash-reason">
          Redeem for cash
        </button>
        {reason("cash-reason", cashBlocked)}
      </form>

      <form
        aria-labelledby="kind-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (kindBlocked !== null || kind.value === null || kindPreview === null) return;
          const shares = kind.value;
          const mins = kindPreview.amounts.map((a) => afterSlippage(a, slippageBps));
          void send("In-kind redemption", async () => (await vaultFor()).redeemInKind(shares, connection!.account, connection!.account, mins));
        }}
      >
        <h2 id="kind-title">Redeem in kind</h2>
        <label>
          Shares ({view.symbol})
          <input name="kind-shares" inputMode="decimal" value={kindText} onInput={(e) => setKindText((e.target as HTMLInputElement).value)} />
        </label>
        {kindPreview !== null && (
          <table data-testid="kind-preview">
            <caption>You receive (minimum after {formatBps(slippageBps)}); no fee. Gas: {kindPreview.gas}.</caption>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col" class="num">
                  Minimum
                </th>
              </tr>
            </thead>
            <tbody>
              {view.holdings.map((h, i) =>
                kindPreview.amounts[i]! === 0n ? null : (
                  <tr key={h.token}>
                    <th scope="row">{h.symbol}</th>
                    <td class="num">{formatTokenAmount(String(kindPreview.amounts[i]!), h.decimals)}</td>
                    <td class="num">{formatTokenAmount(String(afterSlippage(kindPreview.amounts[i]!, slippageBps)), h.decimals)}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
        <button type="submit" disabled={kindBlocked !== null || kindPreview === null} aria-describedby="kind-reason">
          Redeem in kind
        </button>
        {reason("kind-reason", kindBlocked)}
      </form>

      {queuePosition !== null && (
        <QueuedPath position={queuePosition} now={view.state.timestamp} blocked={blocked} balances={balances} send={send} reason={reason} />
      )}
    </section>
  );
}
