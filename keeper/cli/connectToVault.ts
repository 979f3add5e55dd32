import type { JsonRpcProvider } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import { ConfigError } from "../config.js";

export interface VaultConnection {
  chainId: number;
  head: number;
  /** The vault's deploymentBlock() view; null for a vault without it. */
  deploymentBlock: number | null;
}

/**
 * Checks the chain and the vault an auditor named before anything is read: an unreachable RPC is a KeeperError
 * (exit 3), an address without code or without a vault a ConfigError (exit 2), each one line naming the input
 * (`rpcInput`, `vaultInput`: the flag or variable the value came from).
 */
export async function connectToVault(provider: JsonRpcProvider, vault: string, { rpcInput, vaultInput }: { rpcInput: string; vaultInput: string }): Promise<VaultConnection> {
  let chainId: number;
  let head: number;
  try {
    chainId = Number((await provider.getNetwork()).chainId);
    head = await provider.getBlockNumber();
  } catch {
    throw new KeeperError(`cannot reach the chain at ${rpcInput}`);
  }
  if ((await provider.getCode(vault)) === "0x") throw new ConfigError(`${vaultInput} ${vault}: no contract at this address on chain ${chainId} (an account, or another chain's vault?)`);
  const contract = IndexVault__factory.connect(vault, provider);
  const deploymentBlock = await contract.deploymentBlock().catch(() => null);
  if (deploymentBlock === null && (await contract.asset().catch(() => null)) === null) throw new ConfigError(`${vaultInput} ${vault}: not an index vault on chain ${chainId}`);
  return { chainId, head, deploymentBlock: deploymentBlock === null ? null : Number(deploymentBlock) };
}
