import { BrowserProvider, getAddress, toBeHex, type Eip1193Provider, type JsonRpcSigner } from "ethers";
import type { AppConfig } from "./config.js";

/** An EIP-6963 announcement: a wallet's provider with its name and icon. */
export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface DiscoveredWallet {
  info: WalletInfo;
  provider: Eip1193Provider & { on?: (event: string, listener: (...args: unknown[]) => void) => void; removeListener?: (event: string, listener: (...args: unknown[]) => void) => void };
}

/**
 * Wallets announced by EIP-6963 (every extension answers a request event), and the injected window.ethereum
 * as a fallback for wallets that predate it. Calls `onChange` with the list each time a wallet announces itself.
 */
export function discoverWallets(onChange: (wallets: DiscoveredWallet[]) => void): () => void {
  const found = new Map<string, DiscoveredWallet>();
  const emit = () => {
    const list = [...found.values()];
    const injected = (window as unknown as { ethereum?: DiscoveredWallet["provider"] }).ethereum;
    if (injected !== undefined && !list.some((w) => w.provider === injected)) {
      list.push({ info: { uuid: "injected", name: "Browser wallet", icon: "", rdns: "injected" }, provider: injected });
    }
    onChange(list);
  };
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<DiscoveredWallet>).detail;
    if (detail?.info?.uuid === undefined || typeof detail.provider?.request !== "function") return;
    found.set(detail.info.uuid, detail);
    emit();
  };
  window.addEventListener("eip6963:announceProvider", onAnnounce);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  emit();
  return () => window.removeEventListener("eip6963:announceProvider", onAnnounce);
}

export interface Connection {
  wallet: DiscoveredWallet;
  account: string;
  chainId: number;
}

export async function connectWallet(wallet: DiscoveredWallet): Promise<Connection> {
  const accounts = (await wallet.provider.request({ method: "eth_requestAccounts" })) as string[];
  if (accounts.length === 0) throw new Error("The wallet shared no account.");
  const chainId = Number(await wallet.provider.request({ method: "eth_chainId" }));
  return { wallet, account: getAddress(accounts[0]!), chainId };
}

/** Switches the wallet to the app's chain (EIP-3326), adding the chain first when the wallet does not know it (EIP-3085). */
export async function switchChain(wallet: DiscoveredWallet, config: AppConfig): Promise<void> {
  const chainId = toBeHex(config.chainId);
  try {
    await wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
  } catch (error) {
    const code = (error as { code?: number }).code ?? (error as { data?: { originalError?: { code?: number } } }).data?.originalError?.code;
    if (code !== 4902) throw error;
    await wallet.provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId,
          chainName: config.chainName,
          rpcUrls: [config.rpcUrl],
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          blockExplorerUrls: config.explorerUrl === null ? undefined : [config.explorerUrl],
        },
      ],
    });
  }
}

export async function signerOf(connection: Connection): Promise<JsonRpcSigner> {
  return new BrowserProvider(connection.wallet.provider).getSigner(connection.account);
}
