import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import type { Chain, VaultEvent } from "../../app/src/chain.js";
import { dailyNavSeries, navWarning } from "../../app/src/dailyNav.js";

const DAY = 86_400;
/** 12-second blocks from the block at the first day's midnight; the vault deployed at block 100. */
const T0 = 1_796_000_000 - (1_796_000_000 % DAY);
const BLOCK_TIME = 12;
const PER_DAY = DAY / BLOCK_TIME;
const FROM = 100;
const LATEST = 5 * PER_DAY + 3_000;
const timeOf = (block: number) => T0 + block * BLOCK_TIME;
/** NAV per share (USDC, 6 decimals, 18-decimal shares): 1.000000 at deployment, up 0.000001 a block. */
const navOf = (block: number) => 1_000_000n + BigInt(block - FROM);

// The errors ethers' JsonRpcProvider (the app's read side) makes of a node's error answers to an eth_call.
const rpc = new JsonRpcProvider("http://127.0.0.1:8545", Network.from(31337), { staticNetwork: true });
const nodeError = (message: string) => rpc.getRpcError({ method: "eth_call", params: [{ to: "0x" + "11".repeat(20), data: "0x18160ddd" }, "0x1"], id: 1, jsonrpc: "2.0" }, { id: 1, error: { code: -32000, message } });

/**
 * A node that keeps state for blocks from `stateFrom` on (a pruned node; 0 for an archive node), and whose reads
 * at the blocks in `flaky` fail `flaky.get(block)` times first (a load-balanced RPC's lagging backend).
 */
function fakeChain(stateFrom: number, flaky = new Map<number, number>()): { chain: Chain; reads: number[] } {
  const reads: number[] = [];
  const at = async (blockTag: number) => {
    reads.push(blockTag);
    const left = flaky.get(blockTag) ?? 0;
    if (left > 0) {
      flaky.set(blockTag, left - 1);
      throw nodeError("header not found");
    }
    if (blockTag < stateFrom) throw nodeError(`missing trie node ${"ab".repeat(32)} (path )`);
  };
  const chain = {
    provider: { getBlock: async (block: number) => (block > LATEST ? null : { timestamp: timeOf(block) }) },
    vault: {
      totalSupply: async ({ blockTag }: { blockTag: number }) => (await at(blockTag), 10n ** 24n),
      convertToAssets: async (_one: bigint, { blockTag }: { blockTag: number }) => (await at(blockTag), navOf(blockTag)),
    },
    fromBlock: async () => FROM,
  } as unknown as Chain;
  return { chain, reads };
}

/** A deposit or redemption at `block` at `price` USDC base units per share. */
function trade(name: "Deposit" | "Withdraw", block: number, price: bigint): VaultEvent {
  const shares = 1000n * 10n ** 18n;
  return { log: { blockNumber: block }, event: { name, args: { assets: price * 1000n, shares } }, timestamp: timeOf(block) } as unknown as VaultEvent;
}
const HISTORY = [trade("Deposit", FROM, 1_000_000n), trade("Deposit", 2 * PER_DAY + 50, 1_002_000n), trade("Withdraw", 3 * PER_DAY + 70, 1_003_000n), trade("Deposit", 5 * PER_DAY + 10, 1_005_000n)];
/** The last block of each day: the vault's first, the five midnights' previous blocks, the latest. */
const CLOSES = [FROM, ...[1, 2, 3, 4, 5].map((d) => d * PER_DAY - 1), LATEST];
const navPoint = (block: number) => ({ block, timestamp: timeOf(block), navPerShare: Number(navOf(block)) / 1e6 });

describe("app daily NAV series (the Overview chart)", function () {
  after(() => rpc.destroy());

  it("an archive node: NAV read at each day's close, no warning", async function () {
    const series = await dailyNavSeries(fakeChain(0).chain, LATEST, 18, 6, HISTORY);
    expect(series.points).to.deep.equal(CLOSES.map(navPoint));
    expect(navWarning(series)).to.equal(null);
  });

  it("a pruned node (state for the last two closes only): the older days come from event prices, and the warning says where the chart's reads start", async function () {
    const stateFrom = CLOSES.at(-2)! - 100;
    const series = await dailyNavSeries(fakeChain(stateFrom).chain, LATEST, 18, 6, HISTORY);
    // The events up to the last unreadable close (its day included), then the reads.
    const fromEvents = HISTORY.filter((e) => e.log.blockNumber <= CLOSES.at(-3)!).map((e) => ({ block: e.log.blockNumber, timestamp: e.timestamp, navPerShare: Number((e.event.args.assets * 10n ** 18n) / e.event.args.shares) / 1e6 }));
    expect(fromEvents).to.have.length(3);
    expect(series.points).to.deep.equal([...fromEvents, navPoint(CLOSES.at(-2)!), navPoint(LATEST)]);
    expect(navWarning(series)).to.equal(
      `This RPC keeps no state before block ${CLOSES.at(-2)} (2026-12-04 23:59 UTC), so NAV per share is read at each day's close from there on; the 5 closes before it, from block 100 (2026-11-30 00:20 UTC) to block ${CLOSES.at(-3)} (2026-12-03 23:59 UTC), show the price of each deposit and redemption instead.`,
    );
  });

  it("a node without archive state (the latest block only): the event prices, then the latest NAV, and the no-archive warning", async function () {
    const series = await dailyNavSeries(fakeChain(LATEST - 127).chain, LATEST, 18, 6, HISTORY);
    // The events of the days before the last close; the latest NAV stands for the day since.
    expect(series.points.map((p) => p.block)).to.deep.equal([...HISTORY.slice(0, 3).map((e) => e.log.blockNumber), LATEST]);
    expect(series.points.at(-1)).to.deep.equal(navPoint(LATEST));
    expect(navWarning(series)).to.match(/^This RPC keeps no archive state, so past NAV cannot be read at old blocks/);
  });

  it("a passing node error on one read is asked again, and the day keeps its NAV", async function () {
    const flaky = CLOSES[3]!;
    const { chain, reads } = fakeChain(0, new Map([[flaky, 1]]));
    const series = await dailyNavSeries(chain, LATEST, 18, 6, HISTORY);
    expect(series.points).to.deep.equal(CLOSES.map(navPoint));
    expect(navWarning(series)).to.equal(null);
    expect(reads.filter((b) => b === flaky).length).to.be.greaterThan(1);
  });

  it("a read that keeps failing amid readable days is named in the warning, and its day comes from event prices", async function () {
    const flaky = CLOSES[3]!;
    const series = await dailyNavSeries(fakeChain(0, new Map([[flaky, 99]])).chain, LATEST, 18, 6, HISTORY);
    // The deposit of that day (after the close before it, up to its own close) stands in for its NAV.
    const deposit = HISTORY[1]!;
    expect(deposit.log.blockNumber).to.be.within(CLOSES[2]! + 1, flaky);
    expect(series.points.map((p) => p.block)).to.deep.equal([...CLOSES.slice(0, 3), deposit.log.blockNumber, ...CLOSES.slice(4)]);
    expect(navWarning(series)).to.equal(
      `NAV per share could not be read at 1 of the 7 day closes, block ${flaky} (2026-12-02 23:59 UTC): the RPC failed the read twice. That day shows the price of each deposit and redemption instead; a reload reads it again.`,
    );
    // Scattered failures: the first three runs named, the rest counted.
    const scattered = await dailyNavSeries(fakeChain(0, new Map([0, 2, 4, 6].map((i) => [CLOSES[i]!, 99]))).chain, LATEST, 18, 6, HISTORY);
    expect(navWarning(scattered)).to.equal(
      `NAV per share could not be read at 4 of the 7 day closes, block 100 (2026-11-30 00:20 UTC); block ${CLOSES[2]} (2026-12-01 23:59 UTC); block ${CLOSES[4]} (2026-12-03 23:59 UTC); and 1 more: the RPC failed each read twice. Those days show the price of each deposit and redemption instead; a reload reads them again.`,
    );
  });
});
