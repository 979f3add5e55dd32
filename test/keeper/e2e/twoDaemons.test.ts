import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet, type JsonRpcProvider } from "ethers";
import { network } from "hardhat";
import { createJsonRpcProvider } from "../../../keeper/chain/createJsonRpcProvider.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { deployMarket, type Market } from "../../../devnet/deployMarket.js";
import { deployVault, type VaultDeployment } from "../../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../../devnet/tokenSpecs.js";
import { devnetProviderId, devnetSyntheticAssets, marketTokenList } from "../../../devnet/marketTokenList.js";
import { moveMarket } from "../../../devnet/moveMarket.js";
import { DEVNET_ACCOUNTS } from "../../../devnet/accounts.js";
import { SyntheticMarket } from "../../../keeper/data/syntheticMarket.js";
import { epochFor } from "../../../keeper/core/index.js";
import { IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { executeAsAdmin } from "../../helpers/timelock.js";
import { expectOnTarget } from "./keeperFixture.js";

/**
 * Two `keeper run` processes (the real CLI binary) on one vault on a JSON-RPC devnet, as operators run them for
 * availability: a Sunday notice, a Monday rebalance and a regime switch, with the devnet's clock moved by the test
 * (KEEPER_CLOCK=chain). No lock server: the vault's batch sequence and committed epoch keep them from trading
 * twice. Tagged @deep: `npm run test:daemons` (or `npm run test:deep`), not `npm test` (two to three minutes a case).
 */
const DAY = 86_400;
const TOKENS = 10;
const CONSTITUENTS = "8";
const KEEPER_BIN = path.resolve("bin/keeper.js");

interface LogLine {
  msg: string;
  job?: string;
  at?: string;
  receivedAt: number;
  [key: string]: unknown;
}

/** One `keeper run` process and the JSON log lines it wrote. */
class Daemon {
  readonly lines: LogLine[] = [];
  readonly child: ChildProcess;
  exited = false;
  #listeners: (() => void)[] = [];

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [KEEPER_BIN, "run", "--log-json"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } });
    let buffer = "";
    this.child.stderr!.on("data", (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        try {
          this.lines.push({ ...(JSON.parse(text) as LogLine), receivedAt: Date.now() });
        } catch {
          this.lines.push({ msg: text, receivedAt: Date.now() });
        }
        this.#listeners.forEach((l) => l());
      }
    });
    this.child.stdout!.resume();
    this.child.on("exit", () => {
      this.exited = true;
      this.#listeners.forEach((l) => l());
    });
  }

  count(test: (l: LogLine) => boolean): number {
    return this.lines.filter(test).length;
  }

  /** Resolves with the first line (from index `from`) that passes `test`. */
  waitFor(test: (l: LogLine) => boolean, from = 0, { timeoutMs = 120_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${this.name}: timed out waiting; last lines:\n${this.tail()}`)), timeoutMs);
      signal?.addEventListener("abort", () => done(new Error("cancelled")));
      const check = () => {
        const line = this.lines.slice(from).find(test);
        if (line !== undefined) done(undefined, line);
        else if (this.exited) done(new Error(`${this.name} exited; last lines:\n${this.tail()}`));
      };
      const done = (error?: Error, line?: LogLine) => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== check);
        if (error) reject(error);
        else resolve(line!);
      };
      this.#listeners.push(check);
      check();
    });
  }

  tail(): string {
    return this.lines
      .slice(-15)
      .map((l) => `  ${l.msg}${l.error ? ` (${String(l.error)})` : ""}`)
      .join("\n");
  }

  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }

  /** SIGTERM: a running job finishes, then the daemon exits 0. */
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.exited) return resolve(this.child.exitCode);
      this.child.once("exit", (code) => resolve(code));
      this.child.kill("SIGTERM");
    });
  }
}

const jobDone = (job: string) => (l: LogLine) => (l.msg === "job done" || l.msg === "job failed; tomorrow's run starts again from chain state (and retries a missed weekly rebalance)") && l.job === job;

describe("two keeper daemons (real processes), one vault, a JSON-RPC devnet @deep", function () {
  let server: Awaited<ReturnType<typeof network.createServer>>;
  let provider: JsonRpcProvider;
  let market: Market;
  let deployment: VaultDeployment;
  let synthetic: SyntheticMarket;
  let baseEnv: Record<string, string>;
  /** The second key holding KEEPER_ROLE. */
  let otherKey: string;
  let sunday: number;
  let baseline: string;
  const daemons: Daemon[] = [];

  before(async function () {
    server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const rpcUrl = `http://${address}:${port}`;
    provider = createJsonRpcProvider({ url: rpcUrl, chainId: 31337, pollingIntervalMs: 20 });
    const deployer = await provider.getSigner(0);
    market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: TOKENS, seed: 1 }) });
    deployment = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
    const depositor = new Wallet(DEVNET_ACCOUNTS.depositor.privateKey, provider);
    await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, 1_000_000n * 10n ** 6n)).wait();
    await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(deployment.vault, 1_000_000n * 10n ** 6n)).wait();
    await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(1_000_000n * 10n ** 6n, depositor.address)).wait();

    // A second keeper account, appointed through the timelock as an operator would.
    const other = Wallet.createRandom();
    otherKey = other.privateKey;
    await provider.send("hardhat_setBalance", [other.address, "0x56BC75E2D63100000"]);
    const vault = IndexVault__factory.connect(deployment.vault, deployer);
    const time = {
      increase: async (seconds: number | bigint) => {
        await provider.send("evm_increaseTime", [Number(seconds)]);
        await provider.send("evm_mine", []);
        return 0;
      },
    };
    await executeAsAdmin({ timelock: deployment.timelock, proposer: deployer, time }, { target: deployment.vault, data: vault.interface.encodeFunctionData("grantRole", [await vault.KEEPER_ROLE(), other.address]) });

    // Day 0 is the first Sunday at least a day ahead; the market rises a day, then crashes (a switch to bear
    // within a week with a 20-day window: day 5 for this seed).
    const latest = (await provider.getBlock("latest"))!.timestamp;
    sunday = Math.floor(latest / DAY) * DAY + DAY;
    while (new Date(sunday * 1000).getUTCDay() !== 0) sunday += DAY;
    synthetic = new SyntheticMarket({
      seed: 3,
      assets: devnetSyntheticAssets(market),
      warmUpDays: 60,
      startIso: new Date(sunday * 1000).toISOString(),
      phases: [
        { days: 1, driftAnnual: 0.8, volatilityAnnual: 0.3 },
        { days: 60, driftAnnual: -8, volatilityAnnual: 0.3 },
      ],
    });
    for (let d = 0; d < 20; d++) synthetic.step();
    const dir = await mkdtemp(path.join(tmpdir(), "two-daemons-"));
    // The whole history, future days included: the file provider reads only up to each run's data cut-off.
    await writeFile(path.join(dir, "market.json"), JSON.stringify({ assets: synthetic.snapshotAt(new Date(sunday * 1000)), history: synthetic.history() }));
    await writeFile(path.join(dir, "tokenlist.json"), JSON.stringify(marketTokenList(market)));
    baseEnv = {
      KEEPER_RPC_URL: rpcUrl,
      KEEPER_VAULT: deployment.vault,
      KEEPER_ADAPTER: deployment.adapter,
      KEEPER_QUOTER_V2: market.quoterV2,
      KEEPER_TOKEN_LIST: path.join(dir, "tokenlist.json"),
      KEEPER_DATA_SOURCE: "file",
      KEEPER_DATA_FILE: path.join(dir, "market.json"),
      KEEPER_CONSTITUENTS: CONSTITUENTS,
      KEEPER_REGIME_WINDOW: "20",
      KEEPER_CLOCK: "chain",
      KEEPER_METRICS_PORT: "0",
      // One or two trades a transaction: a rebalance is many batches, so a daemon can die in the middle of one.
      KEEPER_TX_GAS_LIMIT: "500000",
    };
    baseline = (await provider.send("evm_snapshot", [])) as string;
  });

  afterEach(async function () {
    await Promise.all(daemons.splice(0).map((d) => d.kill()));
    await provider.send("evm_revert", [baseline]);
    baseline = (await provider.send("evm_snapshot", [])) as string;
  });

  after(async function () {
    await Promise.all(daemons.splice(0).map((d) => d.kill()));
    await server?.close();
  });

  /** Sets the chain's time (a block with the day's prices on the pools and feeds, as arbitrage and the feeds would). */
  async function moveTo(timestamp: number): Promise<void> {
    const day = new Date(Math.floor(timestamp / DAY) * DAY * 1000).toISOString();
    const close = synthetic.history().find((o) => o.asOf === day);
    if (close === undefined) throw new Error(`no synthetic close for ${day}`);
    await provider.send("evm_setNextBlockTimestamp", [timestamp]);
    const pricesUsd = new Map(market.tokens.map((t) => [t.address, close.pricesUsd![devnetProviderId(t.symbol)]!]));
    await moveMarket({ signer: await provider.getSigner(0), market, pricesUsd });
  }

  async function startDaemon(name: string, env: Record<string, string>): Promise<Daemon> {
    const daemon = new Daemon(name, { ...baseEnv, ...env });
    daemons.push(daemon);
    await daemon.waitFor((l) => l.msg.startsWith("keeper running"));
    return daemon;
  }

  /**
   * Moves the clock to `timestamp` and waits until every daemon still alive finished `job` for it (a standby that
   * found another daemon's notice counts). `during` runs once the clock moved, with each daemon's log position.
   */
  async function runJob(timestamp: number, job: string, live: Daemon[], during?: (marks: Map<Daemon, number>) => Promise<void>): Promise<void> {
    const marks = new Map(live.map((d) => [d, d.lines.length]));
    await moveTo(timestamp);
    await during?.(marks);
    const finished = (l: LogLine) => jobDone(job)(l) || (job === "notice" && l.msg.startsWith("standby: another daemon did this job"));
    await Promise.all(live.filter((d) => !d.exited).map((d) => d.waitFor(finished, marks.get(d))));
  }

  /** The daemon that confirms the first batch after `marks`, SIGKILLed at once: it dies in the middle of a rebalance. */
  async function killFirstToTrade(marks: Map<Daemon, number>, signal?: AbortSignal, onKill?: (d: Daemon) => void): Promise<Daemon> {
    const first = await Promise.any([...marks].map(([d, mark]) => d.waitFor((l) => l.msg === "batch confirmed", mark, { signal }).then(() => d)));
    onKill?.(first);
    await first.kill();
    return first;
  }

  /** Every batch sequence number once, every trade in exactly one batch, one commit per epoch; trades by direction per epoch. */
  async function expectNoTradeTwice() {
    const vault = IndexVault__factory.connect(deployment.vault, provider);
    const from = deployment.deployedAtBlock;
    const batches = await vault.queryFilter(vault.filters.BatchExecuted(), from);
    const sequences = batches.map((b) => Number(b.args.batchSequence));
    expect(new Set(sequences).size, "a batch sequence number used twice").to.equal(sequences.length);
    expect(sequences, "batch sequence numbers in order, none missing").to.deep.equal(sequences.map((_, i) => i + (sequences[0] ?? 0)));
    const trades = await vault.queryFilter(vault.filters.TradeExecuted(), from);
    expect(trades.length).to.equal(batches.reduce((n, b) => n + Number(b.args.trades), 0));
    const batchTxs = new Set(batches.map((b) => b.transactionHash));
    expect(trades.every((t) => batchTxs.has(t.transactionHash))).to.equal(true);
    const commits = await vault.queryFilter(vault.filters.TargetsCommitted(), from);
    expect(new Set(commits.map((c) => String(c.args.epoch))).size, "an epoch committed twice").to.equal(commits.length);
    // The epoch each trade traded towards: the last commit before it.
    const stable = market.stablecoin.address.toLowerCase();
    /** Per epoch and token: the token amounts bought and sold. */
    const flows = new Map<bigint, Map<string, { bought: bigint; sold: bigint }>>();
    for (const t of trades) {
      const commit = [...commits].reverse().find((c) => c.blockNumber < t.blockNumber || (c.blockNumber === t.blockNumber && c.index < t.index));
      expect(commit, "a trade before any commit").to.not.equal(undefined);
      const buy = t.args.tokenIn.toLowerCase() === stable;
      const token = (buy ? t.args.tokenOut : t.args.tokenIn).toLowerCase();
      const epoch = flows.get(commit!.args.epoch) ?? new Map<string, { bought: bigint; sold: bigint }>();
      flows.set(commit!.args.epoch, epoch);
      const flow = epoch.get(token) ?? { bought: 0n, sold: 0n };
      epoch.set(token, buy ? { ...flow, bought: flow.bought + t.args.amountOut } : { ...flow, sold: flow.sold + t.args.amountIn });
    }
    const senders = new Set(await Promise.all(batches.map(async (b) => (await b.getTransaction()).from.toLowerCase())));
    return { flows, senders, commits, batches: batches.length };
  }

  interface SeasonParameters {
    /** Starts the daemons (the chain is at Sunday 11:59). */
    start(): Promise<Daemon[]>;
    /** Which rebalance loses a daemon at its first confirmed batch; the killed one is started again afterwards. */
    killAt?: "weekly" | "switch";
    restart(killed: Daemon): Promise<Daemon>;
  }

  /**
   * A week on the devnet's clock: the notice on Sunday noon, the Monday rebalance, then daily regime checks until
   * the crash switches the vault to bear and its sells are done. Checks holdings on target after each.
   */
  async function season({ start, killAt, restart }: SeasonParameters) {
    const monday = sunday + DAY;
    const mondayEpoch = epochFor(new Date(monday * 1000));
    await moveTo(sunday + 12 * 3600 - 60);
    let live = await start();
    await runJob(sunday + 12 * 3600 + 30, "notice", live);
    const published = (await readdir(baseEnv.KEEPER_SNAPSHOT_DIR)).filter((f) => /^\d+\.json$/.test(f));
    expect(published, "the notices of both daemons published one snapshot, Monday's").to.deep.equal([`${mondayEpoch}.json`]);

    const killed: { weekly?: Daemon; switch?: Daemon } = {};
    await runJob(monday + 30, "daily", live, killAt === "weekly" ? async (marks) => void (killed.weekly = await killFirstToTrade(marks)) : undefined);
    let state = await readVault({ runner: provider, vault: deployment.vault });
    expect(state.epoch).to.equal(mondayEpoch);
    expect(state.regime).to.equal("bull");
    expectOnTarget(state, 60);
    if (killed.weekly !== undefined) live = [...live.filter((d) => d !== killed.weekly), await restart(killed.weekly)];

    let day = monday;
    for (let i = 0; i < 6 && state.regime === "bull"; i++) {
      day += DAY;
      const kill =
        killAt === "switch"
          ? async (marks: Map<Daemon, number>) => {
              // Only the switch trades mid-week: the first batch of the day is the switch's. A day without one ends
              // when every daemon finished its check.
              const dayOver = new AbortController();
              // A daemon killed below ends its own wait for "job done" (it exited): the kill is recorded first.
              const quiet = Promise.all([...marks].map(([d, mark]) => d.waitFor(jobDone("daily"), mark))).catch(() => undefined);
              await Promise.race([killFirstToTrade(marks, dayOver.signal, (d) => (killed.switch ??= d)).catch(() => undefined), quiet]);
              dayOver.abort();
            }
          : undefined;
      await runJob(day + 30, "daily", live, kill);
      state = await readVault({ runner: provider, vault: deployment.vault });
    }
    expect(state.regime, "the crash switched the vault to bear within the week").to.equal("bear");
    expectOnTarget(state, 60);
    const events = await expectNoTradeTwice();
    // Monday invested the cash: a buy done twice would overshoot by a whole buy and have to be sold back, where
    // the planner's own second round trims crumbs only. The switch only sold.
    const monday_ = [...(events.flows.get(mondayEpoch) ?? new Map()).values()];
    const mondayCommit = events.commits.find((c) => c.args.epoch === mondayEpoch)!;
    const constituents = mondayCommit.args.assets.filter((a, i) => a.toLowerCase() !== market.stablecoin.address.toLowerCase() && mondayCommit.args.weightsBps[i] > 0n);
    expect(monday_.filter((f) => f.bought > 0n).length, "Monday bought every constituent").to.equal(constituents.length);
    for (const f of monday_) expect(f.sold * 100n <= f.bought, `Monday sold back ${f.sold} of ${f.bought} bought`).to.equal(true);
    const bear = [...(events.flows.get(state.epoch) ?? new Map()).values()];
    expect(bear.length).to.be.greaterThan(0);
    expect(bear.every((f) => f.bought === 0n && f.sold > 0n), "the switch to bear bought something").to.equal(true);
    expect(events.commits).to.have.length(2);
    return { events, killed, live, switchEpoch: state.epoch, mondayEpoch };
  }

  async function freshSnapshotDir(): Promise<void> {
    baseEnv.KEEPER_SNAPSHOT_DIR = await mkdtemp(path.join(tmpdir(), "two-daemons-snapshots-"));
  }

  it("one shared key: two daemons race through the notice, the Monday rebalance (the first to trade killed mid-run) and a regime switch; nothing traded twice", async function () {
    await freshSnapshotDir();
    const env = { KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey };
    const { killed, events } = await season({
      start: () => Promise.all([startDaemon("a", env), startDaemon("b", env)]),
      killAt: "weekly",
      restart: (d) => startDaemon(`${d.name}'`, env),
    });
    expect(killed.weekly, "a daemon died mid-rebalance").to.not.equal(undefined);
    expect(events.senders).to.deep.equal(new Set([DEVNET_ACCOUNTS.keeper.address.toLowerCase()]));
  });

  it("two keys holding KEEPER_ROLE: two daemons race through the notice, the Monday rebalance and a regime switch (the first to trade killed mid-run); nothing traded twice", async function () {
    await freshSnapshotDir();
    const envs = { a: { KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey }, b: { KEEPER_PRIVATE_KEY: otherKey } };
    const { killed, events } = await season({
      start: () => Promise.all([startDaemon("a", envs.a), startDaemon("b", envs.b)]),
      killAt: "switch",
      restart: (d) => startDaemon(`${d.name}'`, envs[d.name as "a" | "b"]),
    });
    expect(killed.switch, "a daemon died mid-switch").to.not.equal(undefined);
    const keys = [DEVNET_ACCOUNTS.keeper.address.toLowerCase(), new Wallet(otherKey).address.toLowerCase()];
    expect([...events.senders].every((s) => keys.includes(s)), "a batch from neither key").to.equal(true);
  });

  it("a standby (KEEPER_TAKEOVER_DELAY_S) leaves the work to the live daemon, and takes over the regime switch when that one dies mid-run", async function () {
    await freshSnapshotDir();
    const delayS = 5;
    let primary: Daemon | undefined;
    let standby: Daemon | undefined;
    const { killed, events } = await season({
      start: async () => {
        [primary, standby] = await Promise.all([startDaemon("primary", { KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey }), startDaemon("standby", { KEEPER_PRIVATE_KEY: otherKey, KEEPER_TAKEOVER_DELAY_S: String(delayS) })]);
        return [primary, standby];
      },
      killAt: "switch",
      restart: (d) => startDaemon(`${d.name}'`, { KEEPER_PRIVATE_KEY: DEVNET_ACCOUNTS.keeper.privateKey }),
    });
    // Only the primary can trade first (the standby waits): it is the one killed, mid-switch.
    expect(killed.switch).to.equal(primary);
    const kill = primary!.lines.filter((l) => l.msg === "batch confirmed").at(-1)!.receivedAt;
    const takeover = await standby!.waitFor((l) => l.msg.startsWith("standby: no keeper progress") && l.receivedAt > kill);
    const standbyBatch = await standby!.waitFor((l) => l.msg === "batch confirmed" && l.receivedAt > kill);
    // It waited the delay after the vault's last progress (the primary's last batch) before acting.
    expect(takeover.receivedAt - kill).to.be.greaterThanOrEqual(delayS * 1000 - 200);
    console.log(`      takeover: the standby's first batch ${((standbyBatch.receivedAt - kill) / 1000).toFixed(1)} s after the primary died (KEEPER_TAKEOVER_DELAY_S=${delayS})`);
    // Before that, the standby sent nothing: every batch up to the kill came from the primary's key.
    const other = new Wallet(otherKey).address.toLowerCase();
    expect(events.senders).to.deep.equal(new Set([DEVNET_ACCOUNTS.keeper.address.toLowerCase(), other]));
    expect(standby!.count((l) => l.msg === "batch confirmed" && l.receivedAt < kill), "the standby traded while the primary was alive").to.equal(0);
  });
});
