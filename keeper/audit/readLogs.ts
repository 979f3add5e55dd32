import type { Filter, Log, Provider } from "ethers";

/** eth_getLogs over [fromBlock, toBlock] in chunks, since public RPCs cap the range of one query. */
export async function readLogs(provider: Provider, filter: Omit<Filter, "fromBlock" | "toBlock">, fromBlock: number, toBlock: number, blockRange: number): Promise<Log[]> {
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += blockRange) {
    const end = Math.min(toBlock, start + blockRange - 1);
    logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
  }
  return logs;
}
