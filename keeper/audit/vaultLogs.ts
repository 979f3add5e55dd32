import { getAddress } from "ethers";
import { IERC20Metadata__factory, IndexVault__factory } from "../../types/ethers-contracts/index.js";
import type { RecordedLog } from "./types.js";

export const vaultInterface = IndexVault__factory.createInterface();
export const transferInterface = IERC20Metadata__factory.createInterface();
export const AUDITED_VAULT_EVENTS = [
  "TargetsCommitted",
  "TradeExecuted",
  "BatchExecuted",
  "MaxSlippageSet",
  "LossBudgetSet",
  "TargetToleranceSet",
  "AssetRegistered",
  "AssetDeregistered",
] as const;

/**
 * What the vault's own logs name: every token it registered, committed or traded (checksummed, the stablecoin
 * first), each epoch it committed or traded in, its trade batches (transaction hash -> block number) and the
 * blocks where the loss budget's window changed.
 */
export function vaultLogIndex(
  vaultLogs: readonly RecordedLog[],
  stablecoin: string,
): { tokens: string[]; epochs: string[]; batches: Map<string, number>; lossBudgetBlocks: number[] } {
  const tokens = new Set<string>([stablecoin.toLowerCase()]);
  const epochs = new Set<string>();
  const batches = new Map<string, number>();
  const lossBudgetBlocks = new Set<number>();
  for (const log of vaultLogs) {
    const event = vaultInterface.parseLog({ topics: [...log.topics], data: log.data });
    if (event === null) continue;
    if (event.name === "LossBudgetSet") lossBudgetBlocks.add(log.blockNumber);
    if (event.name === "AssetRegistered") tokens.add(String(event.args.token).toLowerCase());
    if (event.name === "TargetsCommitted") {
      epochs.add(String(event.args.epoch));
      for (const a of event.args.assets as string[]) tokens.add(a.toLowerCase());
    }
    if (event.name === "TradeExecuted") {
      epochs.add(String(event.args.epoch));
      tokens.add(String(event.args.tokenIn).toLowerCase());
      tokens.add(String(event.args.tokenOut).toLowerCase());
      if (!batches.has(log.transactionHash)) batches.set(log.transactionHash, log.blockNumber);
    }
  }
  return { tokens: [...tokens].map((t) => getAddress(t)), epochs: [...epochs], batches, lossBudgetBlocks: [...lossBudgetBlocks] };
}
