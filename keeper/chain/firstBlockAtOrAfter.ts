import type { Provider } from "ethers";

/**
 * The first block whose timestamp is at or after `timestampS` (a binary search over block times), or the latest
 * block when none is yet. Never below `fromBlock`: blocks before it (before the vault existed) hold nothing to read.
 */
export async function firstBlockAtOrAfter(provider: Provider, timestampS: number, fromBlock = 0): Promise<number> {
  const time = async (n: number) => {
    const block = await provider.getBlock(n);
    if (block === null) throw new Error(`firstBlockAtOrAfter: block ${n} not found`);
    return block.timestamp;
  };
  const latest = await provider.getBlockNumber();
  if ((await time(latest)) < timestampS) return latest;
  // Invariant: time(hi) >= timestampS; every block below lo is before it.
  let lo = fromBlock;
  let hi = latest;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await time(mid)) < timestampS) lo = mid + 1;
    else hi = mid;
  }
  return hi;
}
