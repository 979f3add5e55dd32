import { isError } from "ethers";
import type { Chain, VaultEvent } from "./chain.js";

export interface NavPoint {
  /** Unix seconds of the block read. */
  timestamp: number;
  block: number;
  /** Stablecoin per share, in whole units. */
  navPerShare: number;
}

export interface NavSeries {
  points: NavPoint[];
  /** False when the node keeps no archive state: the points are then each deposit's and redemption's price. */
  archive: boolean;
}

const DAY = 86_400;

/** Block timestamps, each block asked once per page load (a closed day's last block never changes). */
const blockTimes = new Map<number, Promise<number>>();
/** NAV per share at a block, for the same reason. */
const navAt = new Map<number, Promise<number | null>>();

function blockTime(chain: Chain, block: number): Promise<number> {
  if (!blockTimes.has(block)) {
    blockTimes.set(
      block,
      chain.provider.getBlock(block).then((b) => {
        if (b === null) throw new Error(`block ${block} not found`);
        return b.timestamp;
      }),
    );
  }
  return blockTimes.get(block)!;
}

/**
 * The last block of each UTC day, from the vault's deployment to `latest` (the NAV the day closed at), found by
 * binary search over block timestamps. The searches of all days run together, so each step is one JSON-RPC batch,
 * and they start from the blocks the event history already timed.
 */
export async function dailyCloseBlocks(chain: Chain, from: number, latest: number, history: readonly VaultEvent[]): Promise<number[]> {
  for (const e of history) if (!blockTimes.has(e.log.blockNumber)) blockTimes.set(e.log.blockNumber, Promise.resolve(e.timestamp));
  const [start, end] = await Promise.all([blockTime(chain, from), blockTime(chain, latest)]);
  const known = [...blockTimes.keys()].filter((b) => b >= from && b <= latest).sort((a, b) => a - b);
  const knownTimes = await Promise.all(known.map((b) => blockTimes.get(b)!));
  const days: number[] = [];
  for (let midnight = (Math.floor(start / DAY) + 1) * DAY; midnight <= end; midnight += DAY) days.push(midnight);
  const closes = await Promise.all(
    days.map(async (midnight) => {
      // Invariant: time(lo) < midnight <= time(hi); hi = latest + 1 stands for "after the last block".
      let lo = from;
      let hi = latest + 1;
      known.forEach((b, i) => {
        if (knownTimes[i]! < midnight && b > lo) lo = b;
        if (knownTimes[i]! >= midnight && b < hi) hi = b;
      });
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if ((await blockTime(chain, mid)) < midnight) lo = mid;
        else hi = mid;
      }
      return lo;
    }),
  );
  return [...new Set([from, ...closes, latest])];
}

/**
 * NAV per share at the close of each day (eth_call at that day's last block). A node without archive state cannot
 * answer for old blocks: then the points come from the events alone (each deposit's and redemption's price).
 */
export async function dailyNavSeries(chain: Chain, latest: number, shareDecimals: number, assetDecimals: number, history: readonly VaultEvent[]): Promise<NavSeries> {
  const from = await chain.fromBlock();
  const blocks = await dailyCloseBlocks(chain, from, latest, history);
  const one = 10n ** BigInt(shareDecimals);
  const scale = 10 ** assetDecimals;
  const read = (blockTag: number) => {
    if (!navAt.has(blockTag)) {
      navAt.set(
        blockTag,
        chain.vault.totalSupply({ blockTag }).then(async (supply) => (supply === 0n ? null : Number(await chain.vault.convertToAssets(one, { blockTag })) / scale)),
      );
    }
    return navAt.get(blockTag)!;
  };
  const outcomes = await Promise.all(
    blocks.map(async (block) => {
      try {
        const [navPerShare, timestamp] = await Promise.all([read(block), blockTime(chain, block)]);
        return { ok: true as const, point: navPerShare === null ? null : { block, timestamp, navPerShare } };
      } catch (error) {
        navAt.delete(block);
        // No code at that block (before the vault's deployment) is an answer; a node without the state is not.
        if (isError(error, "BAD_DATA")) return { ok: true as const, point: null };
        return { ok: false as const, point: null };
      }
    }),
  );
  const historical = outcomes.slice(0, -1);
  if (historical.length === 0 || historical.some((o) => o.ok)) return { points: outcomes.flatMap((o) => (o.point === null ? [] : [o.point])), archive: true };
  const points = history
    .filter((e) => (e.event.name === "Deposit" || e.event.name === "Withdraw") && (e.event.args.shares as bigint) > 0n)
    .map((e) => ({ block: e.log.blockNumber, timestamp: e.timestamp, navPerShare: Number(((e.event.args.assets as bigint) * one) / (e.event.args.shares as bigint)) / scale }));
  return { points, archive: false };
}
