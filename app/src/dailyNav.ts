import { isError } from "ethers";
import { formatUnixTime } from "../../keeper/core/index.js";
import type { Chain, VaultEvent } from "./chain.js";

export interface NavPoint {
  /** Unix seconds of the block read. */
  timestamp: number;
  block: number;
  /** Stablecoin per share, in whole units. */
  navPerShare: number;
}

export interface NavSeries {
  /** By block: NAV read at each day's close, and each deposit's and redemption's price on the days it could not be. */
  points: NavPoint[];
  /** Each day's close asked for, oldest first (the latest block last), and whether the node gave its NAV. */
  closes: { block: number; timestamp: number; read: boolean }[];
}

const DAY = 86_400;

/**
 * Per chain, block timestamps and NAV per share at a block: each block asked once per page load (a closed day's
 * last block never changes).
 */
const caches = new WeakMap<Chain, { blockTimes: Map<number, Promise<number>>; navAt: Map<number, Promise<number | null>> }>();
function cacheOf(chain: Chain) {
  if (!caches.has(chain)) caches.set(chain, { blockTimes: new Map(), navAt: new Map() });
  return caches.get(chain)!;
}

function blockTime(chain: Chain, block: number): Promise<number> {
  const { blockTimes } = cacheOf(chain);
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
  const { blockTimes } = cacheOf(chain);
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
 * NAV per share at the close of each day (eth_call at that day's last block). A read that fails is asked once more
 * (a node's passing error); a day whose close still cannot be read (a pruned node keeps state for recent blocks
 * only, one without archive state for none but the latest) is drawn from its events instead: the price of each
 * deposit and redemption since the close before. `closes` marks which were read, for the warning (navWarning).
 */
export async function dailyNavSeries(chain: Chain, latest: number, shareDecimals: number, assetDecimals: number, history: readonly VaultEvent[]): Promise<NavSeries> {
  const { navAt } = cacheOf(chain);
  const from = await chain.fromBlock();
  const blocks = await dailyCloseBlocks(chain, from, latest, history);
  const times = await Promise.all(blocks.map((block) => blockTime(chain, block)));
  const one = 10n ** BigInt(shareDecimals);
  const scale = 10 ** assetDecimals;
  // The NAV at a block, null when there is none (no shares yet, or no code yet: before the vault's deployment), or
  // "failed" when the node gave no answer.
  const read = async (blockTag: number): Promise<number | null | "failed"> => {
    if (!navAt.has(blockTag)) {
      navAt.set(
        blockTag,
        chain.vault.totalSupply({ blockTag }).then(async (supply) => (supply === 0n ? null : Number(await chain.vault.convertToAssets(one, { blockTag })) / scale)),
      );
    }
    return navAt.get(blockTag)!.catch((error: unknown) => {
      navAt.delete(blockTag);
      return isError(error, "BAD_DATA") ? null : "failed";
    });
  };
  const first = await Promise.all(blocks.map(read));
  const navs = await Promise.all(first.map((nav, i) => (nav === "failed" ? read(blocks[i]!) : nav)));
  const points = blocks.flatMap((block, i) => {
    const nav = navs[i]!;
    if (nav !== "failed") return nav === null ? [] : [{ block, timestamp: times[i]!, navPerShare: nav }];
    // The day up to this close: its deposits and redemptions, after the close before it.
    return history
      .filter((e) => e.log.blockNumber <= block && (i === 0 || e.log.blockNumber > blocks[i - 1]!))
      .filter((e) => (e.event.name === "Deposit" || e.event.name === "Withdraw") && (e.event.args.shares as bigint) > 0n)
      .map((e) => ({ block: e.log.blockNumber, timestamp: e.timestamp, navPerShare: Number(((e.event.args.assets as bigint) * one) / (e.event.args.shares as bigint)) / scale }));
  });
  return { points: points.sort((a, b) => a.block - b.block), closes: blocks.map((block, i) => ({ block, timestamp: times[i]!, read: navs[i] !== "failed" })) };
}

/** How many runs of missing closes the warning names before it counts the rest. */
const NAMED_RUNS = 3;

/** The Overview's warning above the chart: which closes' NAV the RPC could not give, and what stands in for it; null when none. */
export function navWarning({ closes }: NavSeries): string | null {
  const missing = closes.filter((c) => !c.read);
  if (missing.length === 0) return null;
  const firstRead = closes.findIndex((c) => c.read);
  if (closes.length > 1 && (firstRead === -1 || firstRead === closes.length - 1)) {
    return "This RPC keeps no archive state, so past NAV cannot be read at old blocks: the chart shows the price of each deposit and redemption instead.";
  }
  const at = (c: (typeof closes)[number]) => `block ${c.block} (${formatUnixTime(c.timestamp)})`;
  const span = (run: typeof closes) => (run.length === 1 ? at(run[0]!) : `from ${at(run[0]!)} to ${at(run.at(-1)!)}`);
  const one = missing.length === 1;
  // Only the oldest closes: a node that keeps no older state (a pruned node keeps the recent blocks' only).
  if (firstRead === missing.length) {
    return `This RPC keeps no state before ${at(closes[firstRead]!)}, so NAV per share is read at each day's close from there on; ${one ? "the close before it" : `the ${missing.length} closes before it`}, ${span(missing)}, ${one ? "shows" : "show"} the price of each deposit and redemption instead.`;
  }
  // Runs of consecutive missing closes, each named by its first and last.
  const runs: (typeof closes)[] = [];
  closes.forEach((c, i) => {
    if (c.read) return;
    if (i > 0 && !closes[i - 1]!.read) runs.at(-1)!.push(c);
    else runs.push([c]);
  });
  const rest = runs.slice(NAMED_RUNS).reduce((sum, run) => sum + run.length, 0);
  const named = runs.slice(0, NAMED_RUNS).map(span).join("; ") + (rest > 0 ? `; and ${rest} more` : "");
  return `NAV per share could not be read at ${missing.length} of the ${closes.length} day closes, ${named}: the RPC failed ${one ? "the read" : "each read"} twice. ${one ? "That day shows" : "Those days show"} the price of each deposit and redemption instead; a reload reads ${one ? "it" : "them"} again.`;
}
