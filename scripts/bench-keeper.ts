/**
 * `npm run bench:keeper`: the keeper's speed. (1) Targets and plan for 100 constituents from a 5,000-asset
 * universe (pure core, median of repeated runs). (2) A full 100-constituent rebalance from cash on Hardhat's
 * in-process chain through the real keeper path (snapshot, commit, quote, simulate, send, confirm).
 * Writes bench/keeper.json and prints a table.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { computeTargets, DEFAULT_REGIME_CONFIG, lastWeeklyRebalance, planRebalance, type MarketAsset, type Snapshot } from "../keeper/core/index.js";
import { seededRandom } from "../keeper/data/seededRandom.js";
import { SyntheticMarket } from "../keeper/data/syntheticMarket.js";
import { runRebalance } from "../keeper/run/runRebalance.js";
import { deployMarket } from "../devnet/deployMarket.js";
import { deployVault } from "../devnet/deployVault.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { devnetSyntheticAssets } from "../devnet/marketTokenList.js";
import { createDevnetKeeperContext } from "../devnet/createDevnetKeeperContext.js";
import { IndexVault__factory, TestToken__factory } from "../types/ethers-contracts/index.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

const results: Record<string, number | boolean> = {};

// (1) The pure core on a 5,000-asset universe.
{
  const random = seededRandom(42);
  const universe: MarketAsset[] = Array.from({ length: 5000 }, (_, i) => ({
    id: `asset-${i}`,
    symbol: `A${i}`,
    priceUsd: 10 ** (-2 + 5 * random.next()),
    marketCapUsd: 1e12 * (i + 1) ** -1.2 * (0.5 + random.next()),
    volume24hUsd: 1e9 * random.next(),
    ...(i % 50 === 7 ? { isStablecoin: true } : {}),
    ...(i % 40 === 3 ? { derivativeOf: "asset-0" } : {}),
  }));
  const registry = universe.map((a) => a.id);
  const snapshot: Snapshot = {
    version: 1,
    asOf: "2026-11-23T00:00:00.000Z",
    chainId: 1,
    universe,
    registry,
    currentMembers: universe.slice(0, 100).map((a) => a.id),
    methodology: { constituentCount: 100, bufferFraction: 0.2, capFraction: null, minMarketCapUsd: 0, minVolumeUsd: 0 },
    regime: { state: "bull", previous: "bull", changed: false, asOf: "2026-11-23T00:00:00.000Z", source: "bench", inputs: {} },
  };
  const stablecoin = { address: "0x" + "f".repeat(40), decimals: 6 };
  const addressOf = (id: string) => "0x" + Number(id.split("-")[1]).toString(16).padStart(40, "0");
  const holdings = [{ token: stablecoin, balance: 50_000n * 10n ** 6n }, ...universe.slice(0, 100).map((a) => ({ token: { address: addressOf(a.id), decimals: 18 }, balance: 10n ** 20n }))];
  const prices = new Map(universe.slice(0, 150).map((a) => [addressOf(a.id), BigInt(Math.round(a.priceUsd * 1e6)) * 10n ** 18n]));
  const run = () => {
    const { weightsBps } = computeTargets(snapshot);
    const targetsBps = [...weightsBps].map(([id, weightBps]) => ({ token: { address: addressOf(id), decimals: 18 }, weightBps }));
    for (const a of universe.slice(0, 150)) if (!prices.has(addressOf(a.id))) prices.set(addressOf(a.id), 10n ** 24n);
    return planRebalance({ holdings, prices, targetsBps, stablecoin, config: { dustAsset: 10n * 10n ** 6n } });
  };
  for (let i = 0; i < 5; i++) run();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  results.plan_ms_100_of_5000 = round(times[Math.floor(times.length / 2)], 2);
  results.plan_ms_100_of_5000_p95 = round(times[Math.floor(times.length * 0.95)], 2);
  console.log(`targets + plan, 100 of 5,000: median ${results.plan_ms_100_of_5000} ms, p95 ${results.plan_ms_100_of_5000_p95} ms`);
}

// (2) A full 100-constituent rebalance from cash on the in-process chain.
{
  const { ethers } = await network.create();
  const [deployer, keeper, guardian, feeRecipient, depositor] = await ethers.getSigners();
  console.log("deploying 100 tokens with pools and the vault ...");
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 100 }) });
  const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const capital = 10_000_000n * 10n ** 6n;
  await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, capital)).wait();
  await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(deployment.vault, capital)).wait();
  await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(capital, depositor.address)).wait();
  const block = await ethers.provider.getBlock("latest");
  const synthetic = new SyntheticMarket({ seed: 1, assets: devnetSyntheticAssets(market), warmUpDays: DEFAULT_REGIME_CONFIG.window + 5, startIso: new Date(block!.timestamp * 1000).toISOString() });
  const ctx = await createDevnetKeeperContext({
    provider: ethers.provider,
    keeper,
    market,
    deployment,
    data: synthetic.provider(),
    constituentCount: 100,
    snapshotDir: await mkdtemp(path.join(tmpdir(), "bench-snapshots-")),
  });
  console.log("rebalancing $10M from cash into 100 constituents ...");
  const started = performance.now();
  const result = await runRebalance(ctx, { asOf: lastWeeklyRebalance(new Date(block!.timestamp * 1000)), mode: "weekly" });
  results.rebalance_100_wall_s = round((performance.now() - started) / 1000, 1);
  const commitReceipt = await ethers.provider.getTransactionReceipt(result.commitTx!);
  results.rebalance_100_txs = result.batches.length + 1;
  results.rebalance_100_gas = Number(result.batches.reduce((g, b) => g + b.gasUsed, 0n) + commitReceipt!.gasUsed);
  results.rebalance_100_trades = result.batches.reduce((n, b) => n + b.trades.length, 0);
  results.rebalance_100_constituents = result.targets!.targets.assets.length;
  results.rebalance_100_complete = result.complete;
  const costAsset = result.batches.flatMap((b) => b.trades).reduce((c, t) => c + (t.valueIn - t.valueOut), 0n);
  results.rebalance_100_cost_bps_of_nav = round(Number((costAsset * 1_000_000n) / result.before.navAsset) / 100, 2);
}

await mkdir("bench", { recursive: true });
await writeFile("bench/keeper.json", JSON.stringify(results, null, 2) + "\n");
console.table(results);

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
