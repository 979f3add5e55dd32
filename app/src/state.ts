import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { AppConfig } from "./config.js";
import type { Chain, TransactionGas, VaultEvent, VaultView } from "./chain.js";
import type { Connection, DiscoveredWallet } from "./wallet.js";

/** What every page reads: the chain's latest view, the event history, and the wallet. */
export interface AppState {
  config: AppConfig;
  chain: Chain;
  blockNumber: number | null;
  view: VaultView | null;
  /** Each holding's price source by lower-case token address, read after the view; null until first read. */
  sources: ReadonlyMap<string, string> | null;
  /** Why the vault could not be read at the latest block (RPC down, a price source down). */
  viewError: string | null;
  history: VaultEvent[] | null;
  historyError: string | null;
  /** The gas of the transaction that emitted an event of `history`, read when first asked for. */
  transactionGas(event: VaultEvent): Promise<TransactionGas>;
  wallets: DiscoveredWallet[];
  connection: Connection | null;
  walletError: string | null;
  connect(wallet: DiscoveredWallet): Promise<void>;
  disconnect(): void;
  switchNetwork(): Promise<void>;
  /** Re-reads everything now (after a transaction), instead of waiting for the next block. */
  refresh(): Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error("useApp outside the app");
  return state;
}
