import { useApp } from "./state.js";

/** Connect (one button per discovered wallet), the connected account, and the wrong-network banner. */
export function WalletBar() {
  const { wallets, connection, connect, disconnect, config, switchNetwork, walletError } = useApp();
  return (
    <div class="wallet" aria-live="polite">
      {connection === null ? (
        wallets.length === 0 ? (
          <p>No wallet found in this browser: install one (any EIP-6963 or EIP-1193 wallet) to deposit. Everything else works without it.</p>
        ) : (
          wallets.map((w) => (
            <button key={w.info.uuid} type="button" onClick={() => void connect(w)}>
              Connect {w.info.name}
            </button>
          ))
        )
      ) : (
        <>
          <span>
            Connected: <code data-testid="account">{connection.account}</code>
          </span>
          <button type="button" onClick={disconnect}>
            Disconnect
          </button>
        </>
      )}
      {connection !== null && connection.chainId !== config.chainId && (
        <p class="warning" role="alert">
          Your wallet is on chain {connection.chainId}; this vault is on {config.chainName} (chain {config.chainId}).{" "}
          <button type="button" onClick={() => void switchNetwork()}>
            Switch to {config.chainName}
          </button>
        </p>
      )}
      {walletError !== null && (
        <p class="error" role="alert">
          {walletError}
        </p>
      )}
    </div>
  );
}
