import { render } from "preact";
import { getAddress } from "ethers";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { loadConfig, type AppConfig } from "./config.js";
import { connectChain, readPriceSources, readVaultView, VaultHistoryCache, type VaultEvent, type VaultView } from "./chain.js";
import { browserHistoryStore } from "./historyStore.js";
import { explainError } from "./errors.js";
import { AppContext, type AppState } from "./state.js";
import { connectWallet, discoverWallets, switchChain, type Connection, type DiscoveredWallet } from "./wallet.js";
import { WalletBar } from "./WalletBar.js";
import { Overview } from "./pages/Overview.js";
import { Holdings } from "./pages/Holdings.js";
import { lazyPage } from "./lazyPage.js";

// Only Overview (the landing page) and Holdings (its table is on Overview) are in the first script; the others
// load when opened, so the first render does not wait for the audit, the trade forms or the chart library.
const TransactionPage = lazyPage(() => import("./pages/TransactionPage.js").then((m) => m.TransactionPage));
/** Pages that show the vault's state first: its read goes alone on the wire, before the history's. */
const STATE_FIRST = new Set(["overview", "holdings"]);
const PAGES = [
  { path: "overview", title: "Overview", component: Overview },
  { path: "holdings", title: "Holdings", component: Holdings },
  { path: "transactions", title: "Transactions", component: lazyPage(() => import("./pages/Transactions.js").then((m) => m.Transactions)) },
  { path: "methodology", title: "Methodology", component: lazyPage(() => import("./pages/Methodology.js").then((m) => m.Methodology)) },
  { path: "position", title: "My position", component: lazyPage(() => import("./pages/Position.js").then((m) => m.Position)) },
  { path: "trade", title: "Deposit / redeem", component: lazyPage(() => import("./pages/Trade.js").then((m) => m.Trade)) },
  { path: "audit", title: "Audit", component: lazyPage(() => import("./pages/Audit.js").then((m) => m.Audit)) },
] as const;

function useHashRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, "").split("/").filter((p) => p.length > 0);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

function App({ config }: { config: AppConfig }) {
  const chain = useMemo(() => connectChain(config), [config]);
  const historyCache = useMemo(() => new VaultHistoryCache(chain, browserHistoryStore()), [chain]);
  const [blockNumber, setBlockNumber] = useState<number | null>(null);
  const [view, setView] = useState<VaultView | null>(null);
  const [viewError, setViewError] = useState<string | null>(null);
  const [sources, setSources] = useState<ReadonlyMap<string, string> | null>(null);
  const [history, setHistory] = useState<VaultEvent[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [wallets, setWallets] = useState<DiscoveredWallet[]>([]);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [walletError, setWalletError] = useState<string | null>(null);
  const reading = useRef<Promise<void> | null>(null);
  const route = useHashRoute();
  const [first = "overview", ...rest] = route;
  const shownPage = useRef(first);
  shownPage.current = first;

  const refresh = useCallback(async () => {
    // One read at a time: blocks that arrive during a read are covered by the next one.
    if (reading.current !== null) return reading.current;
    reading.current = (async () => {
      // On Overview and Holdings the vault's state first, alone on the wire: it is what they show, and the
      // history (a block read per transaction of a long-lived vault) would queue ahead of it on the node. A page
      // that lists the history starts reading it at once, beside the state.
      const historyAlongside = !STATE_FIRST.has(shownPage.current) ? chain.provider.getBlockNumber().then((n) => historyCache.update(n)) : null;
      // The history's first block (asked once), in the same round trip as the block number rather than after it.
      chain.fromBlock().catch(() => undefined);
      // Its failure is reported below, or dropped with the view's when the node is unreachable.
      historyAlongside?.catch(() => undefined);
      let latest: number;
      try {
        const v = await readVaultView(chain);
        latest = v.state.blockNumber;
        setView(v);
        setViewError(null);
        // After the view, not in it: the first paint does not wait for them. A failed read keeps the last ones
        // (sources change only by the oracle owner's hand) and is tried again on the next block.
        readPriceSources(chain, v).then(setSources, () => undefined);
      } catch (error) {
        setViewError(explainView(error, config.rpcUrl));
        // A price source down fails the view, not the history: that still loads.
        try {
          latest = await chain.provider.getBlockNumber();
        } catch {
          setHistoryError(explainError(error, config.rpcUrl));
          return;
        }
      }
      setBlockNumber(latest);
      // Alongside or not, the history is brought to the view's block (for one read alongside, the blocks since).
      await (historyAlongside ?? Promise.resolve())
        .then(() => historyCache.update(latest))
        .then(
          (h) => {
            setHistory([...h]);
            setHistoryError(null);
          },
          (error) => setHistoryError(explainError(error, config.rpcUrl)),
        );
    })().finally(() => {
      reading.current = null;
    });
    return reading.current;
  }, [chain, historyCache, config]);

  useEffect(() => {
    void refresh();
    const onBlock = () => void refresh();
    void chain.provider.on("block", onBlock);
    // A node that was down comes back: the block listener keeps polling, and so does this retry.
    const retry = setInterval(() => void refresh(), 15_000);
    return () => {
      void chain.provider.off("block", onBlock);
      clearInterval(retry);
    };
  }, [chain, refresh]);

  useEffect(() => discoverWallets(setWallets), []);

  useEffect(() => {
    const provider = connection?.wallet.provider;
    if (provider?.on === undefined) return;
    const onAccounts = (accounts: unknown) => {
      const list = accounts as string[];
      // Wallets send addresses in lower case (MetaMask does): checksummed, as connectWallet does, so that the
      // account compares equal to the addresses ethers decodes from events (My position's cost basis).
      setConnection((c) => (c === null || list.length === 0 ? null : { ...c, account: getAddress(list[0]!) }));
    };
    const onChain = (chainId: unknown) => setConnection((c) => (c === null ? null : { ...c, chainId: Number(chainId) }));
    provider.on("accountsChanged", onAccounts);
    provider.on("chainChanged", onChain);
    return () => {
      provider.removeListener?.("accountsChanged", onAccounts);
      provider.removeListener?.("chainChanged", onChain);
    };
  }, [connection?.wallet]);

  const state: AppState = {
    config,
    chain,
    blockNumber,
    view,
    sources,
    viewError,
    history,
    historyError,
    transactionGas: (event) => historyCache.transactionGas(event),
    wallets,
    connection,
    walletError,
    refresh,
    connect: async (wallet) => {
      setWalletError(null);
      try {
        setConnection(await connectWallet(wallet));
      } catch (error) {
        setWalletError(explainError(error));
      }
    },
    disconnect: () => setConnection(null),
    switchNetwork: async () => {
      if (connection === null) return;
      setWalletError(null);
      try {
        await switchChain(connection.wallet, config);
        const chainId = Number(await connection.wallet.provider.request({ method: "eth_chainId" }));
        setConnection({ ...connection, chainId });
      } catch (error) {
        setWalletError(explainError(error));
      }
    },
  };

  const page = PAGES.find((p) => p.path === first);
  useEffect(() => {
    document.title = `${first === "tx" ? "Transaction" : (page?.title ?? "Not found")} · ${view?.name ?? "Open index vault"}`;
  }, [first, page, view?.name]);
  return (
    <AppContext.Provider value={state}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p class="brand">{view?.name ?? "Open index vault"}</p>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={p.path === first ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <WalletBar />
      </header>
      <main id="main" tabIndex={-1}>
        {viewError !== null && (
          <p class="error" role="alert">
            {viewError}
          </p>
        )}
        {first === "tx" ? <TransactionPage hash={rest[0] ?? ""} /> : page !== undefined ? <page.component /> : <p>No page "{first}". Choose one above.</p>}
      </main>
      <footer>
        <p>
          {config.chainName} (chain {config.chainId}) · vault <code>{config.vault}</code> · block {blockNumber ?? "…"}
        </p>
      </footer>
    </AppContext.Provider>
  );
}

/** A vault that cannot be read: the RPC, or (the usual cause on a live chain) a price source that reverts. */
function explainView(error: unknown, rpcUrl: string): string {
  const text = explainError(error, rpcUrl);
  if (/OracleRouter/.test(text)) return `A price source is down, so NAV cannot be computed: deposits and cash redemptions are disabled until it recovers; redeeming in kind still works. ${text}`;
  return text;
}

const root = document.getElementById("app")!;
loadConfig().then(
  (config) => render(<App config={config} />, root),
  (error: Error) => {
    root.innerHTML = "";
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = `The app cannot start: ${error.message}`;
    root.append(p);
  },
);
