import type { Filter, Log, Provider } from "ethers";
import { HTTP_RETRY_POLICY, type RetryPolicy } from "../data/fetchWithRetry.js";

export interface ReadLogsOptions {
  /** Called after each chunk with the blocks read so far and in all. */
  onProgress?: (blocksRead: number, blocks: number) => void;
  /** Called before a failed query is retried. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** A failed eth_getLogs (a flaky or rate-limited node) is retried under the keeper's one retry policy. */
  retry?: RetryPolicy;
}

/** eth_getLogs over [fromBlock, toBlock] in chunks, since public RPCs cap the range of one query. */
export async function readLogs(provider: Provider, filter: Omit<Filter, "fromBlock" | "toBlock">, fromBlock: number, toBlock: number, blockRange: number, { onProgress, onRetry, retry = HTTP_RETRY_POLICY }: ReadLogsOptions = {}): Promise<Log[]> {
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += blockRange) {
    const end = Math.min(toBlock, start + blockRange - 1);
    for (let attempt = 0; ; attempt++) {
      try {
        logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
        break;
      } catch (error) {
        if (attempt >= retry.maxRetries) throw error;
        const delayMs = Math.min(retry.baseDelayMs * 2 ** attempt, retry.maxDelayMs);
        onRetry?.(error, attempt + 1, delayMs);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    onProgress?.(end - fromBlock + 1, toBlock - fromBlock + 1);
  }
  return logs;
}
