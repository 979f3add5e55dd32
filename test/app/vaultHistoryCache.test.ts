import { expect } from "chai";
import { network } from "hardhat";
import type { JsonRpcProvider } from "ethers";
import { deployMarket } from "../../devnet/deployMarket.js";
import { defaultTokenSpecs } from "../../devnet/tokenSpecs.js";
import { deployVault } from "../../devnet/deployVault.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { FINAL_DEPTH, SAVE_DELAY_MS, VaultHistoryCache, type Chain, type VaultEvent } from "../../app/src/chain.js";
import type { AppConfig } from "../../app/src/config.js";
import type { HistoryStore, StoredHistory } from "../../app/src/historyStore.js";

// Block numbers are the subject here: a chain of its own.
const { ethers, networkHelpers } = await network.create();

/** The app's pause before a write, plus margin. */
const SAVE_WAIT_MS = SAVE_DELAY_MS + 100;

/**
 * A one-constituent vault with deposits at three blocks: `first`, `middle` (20 blocks later) and `last` (70 blocks
 * after that, 5 before the head), so that the middle one lies between the head's final depth and 80 blocks back.
 */
async function historyFixture() {
  const [deployer, keeper, guardian, feeRecipient, depositor] = await ethers.getSigners();
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 1 }) });
  const deployment = await deployVault({ deployer, market, keeper: keeper!.address, guardian: guardian!.address, feeRecipient: feeRecipient!.address });
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  await (await stable.mint(depositor!.address, 3_000n * 10n ** 6n)).wait();
  await (await stable.connect(depositor!).approve(deployment.vault, 3_000n * 10n ** 6n)).wait();
  const vault = IndexVault__factory.connect(deployment.vault, depositor!);
  const deposit = async () => (await (await vault.deposit(1_000n * 10n ** 6n, depositor!.address)).wait())!.blockNumber;
  const first = await deposit();
  await networkHelpers.mine(20);
  const middle = await deposit();
  await networkHelpers.mine(70);
  const last = await deposit();
  await networkHelpers.mine(5);
  return { vault: deployment.vault, deploymentBlock: Number(await vault.deploymentBlock()), head: await ethers.provider.getBlockNumber(), first, middle, last };
}

type History = Awaited<ReturnType<typeof historyFixture>>;

/** A raw eth_getLogs entry as the node sends it (chain.ts reads logs with provider.send, not getLogs). */
type RawLog = Record<string, unknown>;

/**
 * The app's Chain on this in-process node; `delayLogs` holds back the eth_getLogs answers whose range ends at a
 * given block until its promise settles, as a slow or load-balanced RPC answers out of order; `rawLog` rewrites
 * each log the node answers, as another node would send it.
 */
function chainOf(h: History, delayLogs: Map<number, () => Promise<void>> = new Map(), rawLog: (l: RawLog) => RawLog = (l) => l): Chain {
  const real = ethers.provider;
  const provider = new Proxy(real, {
    get(target, property) {
      // Bound to the provider itself: its methods use private fields, which a proxy does not carry.
      const value = Reflect.get(target, property, target);
      if (property !== "send") return typeof value === "function" ? value.bind(target) : value;
      return async (method: string, params: unknown[]): Promise<unknown> => {
        if (method !== "eth_getLogs") return target.send(method, params);
        const logs = ((await target.send(method, params)) as RawLog[]).map(rawLog);
        await delayLogs.get(Number((params[0] as { toBlock: string }).toBlock))?.();
        return logs;
      };
    },
  }) as unknown as JsonRpcProvider;
  const config = { chainId: 31337, vault: h.vault, fromBlock: null, logBlockRange: 10_000 } as AppConfig;
  return { config, provider, vault: IndexVault__factory.connect(h.vault, provider), fromBlock: async () => h.deploymentBlock };
}

/** A HistoryStore in memory (values copied, as IndexedDB's structured clone does); `failWrites` refuses writes. */
function memoryStore(failWrites = false): HistoryStore & { records: Map<string, StoredHistory>; writes: number } {
  const records = new Map<string, StoredHistory>();
  const store = {
    records,
    writes: 0,
    read: async (key: string) => structuredClone(records.get(key) ?? null),
    write: async (key: string, history: StoredHistory) => {
      store.writes++;
      if (failWrites) throw new Error("InvalidStateError: the database connection is closing");
      records.set(key, structuredClone(history));
    },
  };
  return store;
}

const ids = (events: VaultEvent[]) => events.map((e) => `${e.log.blockNumber}:${e.log.index}`);
const blocksOf = (events: VaultEvent[]) => events.filter((e) => e.event.name === "Deposit").map((e) => e.log.blockNumber);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("app VaultHistoryCache on a real chain", function () {
  it("overlapping updates run in order: the answer given last (the one the page keeps) is the newest, each event once", async function () {
    const h = await networkHelpers.loadFixture(historyFixture);
    let release!: () => void;
    let held = 0;
    const older = h.last - 1;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new VaultHistoryCache(chainOf(h, new Map([[older, () => (held++, gate)]])));
    await cache.update(h.first);
    // A refresh for an older block is still waiting for its logs when the next block's refresh starts; the page
    // shows each answer as it comes (main.tsx setHistory), so the last one to arrive is what stays on screen.
    const answers: VaultEvent[][] = [];
    const slow = cache.update(older).then((events) => answers.push([...events]));
    const fast = cache.update(h.head).then((events) => answers.push([...events]));
    setTimeout(release, 50);
    await Promise.all([slow, fast]);
    // The older refresh's logs were the ones held back.
    expect(held).to.equal(1);
    const shown = answers.at(-1)!;
    expect(blocksOf(shown)).to.deep.equal([h.first, h.middle, h.last]);
    expect(new Set(ids(shown)).size).to.equal(shown.length);
    // And the cache itself did not step back: asking again at the head reads nothing and lists the same.
    expect(ids(await cache.update(h.head))).to.deep.equal(ids(shown));
  });

  it("a log whose blockTimestamp a node sends as null is timed by its block's header, not 1970", async function () {
    const h = await networkHelpers.loadFixture(historyFixture);
    let nulled = 0;
    const events = await new VaultHistoryCache(chainOf(h, new Map(), (l) => (nulled++, { ...l, blockTimestamp: null }))).update(h.head);
    expect(nulled).to.equal(events.length);
    expect(blocksOf(events)).to.deep.equal([h.first, h.middle, h.last]);
    for (const e of events) expect(e.timestamp, `block ${e.log.blockNumber}`).to.equal((await ethers.provider.getBlock(e.log.blockNumber))!.timestamp);
  });

  it("a stored history ahead of a lagging node is read on from where it ends, listing no event twice", async function () {
    const h = await networkHelpers.loadFixture(historyFixture);
    const store = memoryStore();
    const visit = new VaultHistoryCache(chainOf(h), store);
    await visit.update(h.head);
    await sleep(SAVE_WAIT_MS);
    const [stored] = [...store.records.values()];
    expect(stored?.readThrough).to.equal(h.head - FINAL_DEPTH);
    // The middle deposit is final and stored; it lies after the block the lagging node reports.
    const lagging = h.head - 80;
    expect(h.middle).to.be.within(lagging + 1, stored!.readThrough);

    const next = new VaultHistoryCache(chainOf(h), store);
    expect(blocksOf(await next.update(lagging))).to.deep.equal([h.first, h.middle]);
    const caughtUp = await next.update(h.head);
    expect(blocksOf(caughtUp)).to.deep.equal([h.first, h.middle, h.last]);
    expect(ids(caughtUp)).to.deep.equal(ids(await new VaultHistoryCache(chainOf(h)).update(h.head)));
  });

  it("a store that refuses every write costs nothing but the cache: no unhandled rejection, the history still complete", async function () {
    const h = await networkHelpers.loadFixture(historyFixture);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // Mocha's own handler would fail whichever test runs when the rejection surfaces; this one names it here.
    const mochaHandlers = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onUnhandled);
    try {
      const store = memoryStore(true);
      const cache = new VaultHistoryCache(chainOf(h), store);
      await cache.update(h.head);
      await sleep(SAVE_WAIT_MS);
      expect(store.writes).to.equal(1);
      expect(blocksOf(await cache.update(h.head))).to.deep.equal([h.first, h.middle, h.last]);
      await sleep(50);
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
      for (const handler of mochaHandlers) process.on("unhandledRejection", handler);
    }
    expect(unhandled.map(String)).to.deep.equal([]);
  });
});
