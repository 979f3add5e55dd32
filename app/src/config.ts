import { getAddress, isAddress } from "ethers";

/** The runtime configuration: /config.json beside index.html, so one build serves any chain and vault. */
export interface AppConfig {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  vault: string;
  /** The vault's ERC-7540 request queue (IndexQueue); null when the deployment has none. */
  queue: string | null;
  /** First block worth reading; null (the default) asks the vault for its deploymentBlock(). */
  fromBlock: number | null;
  /** Block explorer base URL (e.g. https://etherscan.io); null on a chain without one. */
  explorerUrl: string | null;
  tokenListUrl: string;
  /** Folder URL of the published snapshots (`<epoch>.json` and index.json). */
  snapshotsUrl: string;
  /** Devnet only: an account the node unlocks that owns the test stablecoin and can mint it. */
  faucet: { minter: string; amount: string } | null;
  /** eth_getLogs range per query. */
  logBlockRange: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates a parsed config.json; the error names the bad field and value. */
export function parseConfig(json: unknown): AppConfig {
  if (json === null || typeof json !== "object") throw new ConfigError("config.json is not a JSON object");
  const c = json as Record<string, unknown>;
  const str = (key: string, optional = false): string | null => {
    const v = c[key];
    if ((v === undefined || v === null) && optional) return null;
    if (typeof v !== "string" || v.length === 0) throw new ConfigError(`config.json: "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  };
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new ConfigError(`config.json: "${key}" must be a non-negative integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const address = (key: string, v: unknown): string => {
    if (typeof v !== "string" || !isAddress(v)) throw new ConfigError(`config.json: "${key}" must be an address, got ${JSON.stringify(v)}`);
    return getAddress(v);
  };
  const faucet = c.faucet as Record<string, unknown> | null | undefined;
  return {
    chainId: int("chainId"),
    chainName: str("chainName")!,
    rpcUrl: str("rpcUrl")!,
    vault: address("vault", c.vault),
    queue: c.queue === undefined || c.queue === null ? null : address("queue", c.queue),
    fromBlock: c.fromBlock === undefined || c.fromBlock === null ? null : int("fromBlock"),
    explorerUrl: str("explorerUrl", true)?.replace(/\/$/, "") ?? null,
    tokenListUrl: str("tokenListUrl")!,
    snapshotsUrl: str("snapshotsUrl")!.replace(/\/$/, ""),
    faucet: faucet == null ? null : { minter: address("faucet.minter", faucet.minter), amount: String(faucet.amount ?? "10000") },
    logBlockRange: int("logBlockRange", 10_000),
  };
}

export async function loadConfig(url = "config.json"): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ConfigError(`cannot load ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ConfigError(`cannot load ${url}: HTTP ${response.status}`);
  return parseConfig(await response.json().catch(() => null));
}
