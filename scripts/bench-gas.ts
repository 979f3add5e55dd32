/**
 * `npm run bench:gas`: gas of the vault's entry points on the real Uniswap V3 devnet market at 10, 50 and
 * 100 constituents, and the per-trade overhead of a keeper batch over the same swaps sent straight to the
 * SwapRouter. One run, one embedded chain per constituent count. Writes bench/gas.json and prints a table.
 *
 * Every figure is a receipt's gasUsed (after refunds), each call its own transaction, so every account and
 * slot starts cold as on mainnet. The trade overhead compares, from the same snapshot, a keeper batch of N
 * buys (stablecoin -> each constituent, same sizes) with one SwapRouter.multicall of the same N exactInput
 * swaps from an EOA with a standing approval; each side's one-trade call is subtracted and the difference
 * divided by N - 1, so the figure is per trade, both sides cold per pool. The batch's fixed pricing preamble has
 * already touched each token contract, which the direct side pays inside its swaps (about 2.5k per trade).
 *
 * The `_proxy_feed` figures come from a second vault on the same market whose oracle reads every price through
 * Chainlink's EACAggregatorProxy over an OCR-layout aggregator (devnet/deployProxyFeeds.ts), as on mainnet.
 *
 * `npm run bench:gas -- --skip-batches` re-measures everything but the batch figures (the same chains, without
 * the batch measurements, which read no market pool) and updates bench/gas.json, keeping the batch figures.
 * `-- --counts=100` (or `10,100`...) measures those constituent counts only and updates their figures in
 * bench/gas.json, keeping the others.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { Command } from "commander";
import { Contract, MaxUint256, Wallet, ZeroAddress, type Signer } from "ethers";
import { network } from "hardhat";
import { deployMarket, type Market } from "../devnet/deployMarket.js";
import { deployProxyFeeds } from "../devnet/deployProxyFeeds.js";
import { deployVault, type VaultDeployment } from "../devnet/deployVault.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { uniswapArtifacts } from "../keeper/chain/uniswapArtifacts.js";
import { parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { ConfigError } from "../keeper/config.js";
import { loadProfiledCode, profileTransaction } from "./gasProfile.js";
import { executeAsAdmin } from "../test/helpers/timelock.js";
import { refreshFeeds, singleHopPath } from "../test/helpers/market.js";
import {
  IndexQueue__factory,
  IndexVault__factory,
  OracleRouter__factory,
  OcrTestAggregator__factory,
  TestToken__factory,
  type IndexVault,
} from "../types/ethers-contracts/index.js";
import type { IIndexVault } from "../types/ethers-contracts/contracts/IndexVault.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

/** EIP-7825 (Osaka, Hardhat's default hardfork) caps a transaction's gas limit at 2^24. */
const TX_GAS_CAP = 16_777_216n;
const BLOCK_GAS_LIMIT = 60_000_000n;
const STABLE = 10n ** 6n;
const DEPOSIT_ASSETS = 2_000_000n * STABLE;
/** Each buy: small against the thinnest pool ($1M), so no swap crosses a tick and sizes compare cleanly. */
const BUY_ASSETS = 5_000n * STABLE;
const COUNTS = [10, 50, 100] as const;
/** Which Solidity functions (as scripts/gasProfile.ts names them) make up each on-chain check of a trade. */
const TRADE_CHECKS: [string, RegExp][] = [
  ["transfer of amountIn to the adapter (no allowance is ever granted)", /^SafeERC20\.(_?safeTransfer)( -> token)?$/],
  ["swap through UniswapV3Adapter (pool allowlist, CREATE2 pool address, callback payment), less the direct SwapRouter swap", /-> adapter swap$/],
  ["balance-delta measurement of the output (two balanceOf) and the minimum-received check", /^RebalanceLogic\._swap( -> token)?$/],
  ["oracle minimum output (cached prices of both tokens, minAmountOut bound)", /^(RebalanceLogic\.(_checkTrade|_cachedPrice)|NavLib\.minAmountOutUp)$/],
  ["loss budget and the TradeExecuted event (oracle values in and out)", /^(RebalanceLogic\._chargeLoss|NavLib\.valueDown|LossBudgetLib\..*)$/],
  ["position check against the committed targets (net change per token, weights against target and max weight)", /^RebalanceLogic\.(_recordChange|_changeSlot|_checkPositions?|_balancesOf|_weightWad|_checkWeights|_checkedSlot|_balanceSlot)$/],
  ["trade loop, calldata decoding and the adapter allowlist", /^(RebalanceLogic\.(executeTrades|_executeTrade)|IndexVault\.executeTrades)$/],
];

/** Issue 11's goal for settle_gas_per_depositor_100 (at 50 requests). */
const SETTLE_GOAL_PER_DEPOSITOR = 60_000;
/** Requests per settled window in the queued-path figures. */
const QUEUE_REQUESTS = [1, 10, 50, 200] as const;

interface Context {
  /** Signer 0: deployer, timelock proposer and feed owner. */
  admin: Signer;
  market: Market;
  deployment: VaultDeployment;
  vault: IndexVault;
  keeper: Signer;
  depositor: Signer;
  trader: Signer;
  networkHelpers: Awaited<ReturnType<typeof network.create>>["networkHelpers"];
}

const { skipBatches, counts: countsOption } = parseScriptOptions<{ skipBatches: boolean; counts?: string }>(
  new Command("npm run bench:gas --")
    .description("Gas of the vault's entry points at 10, 50 and 100 constituents on the devnet market; writes bench/gas.json.")
    .option("--skip-batches", "re-measure everything but the keeper batch figures, keeping those of bench/gas.json", false)
    .option("--counts <list>", `measure only these constituent counts (comma-separated, of ${COUNTS.join(", ")}), keeping the others' figures`)
    .addHelpText("after", "\nExamples:\n  $ npm run bench:gas -- --skip-batches\n  $ npm run bench:gas -- --counts=100"),
);
const counts = countsOption === undefined ? COUNTS : countsOption.split(",").map(Number);
for (const n of counts) if (!COUNTS.includes(n as (typeof COUNTS)[number])) throw new ConfigError(`--counts: ${n} is not one of ${COUNTS.join(", ")}`);
const merging = skipBatches || countsOption !== undefined;
const results: Record<string, number | boolean | string> = merging ? JSON.parse(await readFile("bench/gas.json", "utf8")) : {};
// The settlement's items are re-derived whole at every count measured: none of an earlier layout survives.
// The count follows the prefix (settle_floor_per_depositor_10_at_50_requests is the 10-constituent figure).
for (const key of Object.keys(results)) if (counts.some((n) => new RegExp(`^settle_(itemised|floor)_(?:[a-z_]*?_)?${n}(?:_|$)`).test(key.replace(/_at_\d+_requests$/, "")))) delete results[key];

for (const count of counts) {
  const ctx = await setUp(count);
  const { vault, keeper, depositor, networkHelpers, market } = ctx;
  const depositorAddress = await depositor.getAddress();

  results[`first_deposit_gas_${count}`] = await gasOf(vault.connect(depositor).deposit(DEPOSIT_ASSETS, depositorAddress));
  const assets = [market.stablecoin.address, ...market.tokens.map((t) => t.address)];
  const weights = equalWeights(count);
  // An epoch is a past day start (00:00 UTC): the vault refuses a future or mid-day one.
  const epoch = Math.floor((await networkHelpers.time.latest()) / 86_400) * 86_400;
  results[`commit_gas_${count}`] = await gasOf(vault.connect(keeper).commitTargets(epoch, 0, assets, weights, `0x${"ab".repeat(32)}`));

  const trades = await buyTrades(ctx, ctx.deployment.adapter);
  const snapshot = await networkHelpers.takeSnapshot();
  if (!skipBatches) await batchFigures(ctx, trades, count);
  await snapshot.restore();
  await (await vault.connect(keeper).executeTrades(trades, MaxUint256, await vault.batchSequence())).wait();

  // Now the vault holds every constituent: the deposits and exits users would see.
  Object.assign(results, await userCalls(vault, depositor, count, ""));

  // The same through mainnet-shaped feeds: a second vault on the same market, priced through Chainlink proxies.
  const proxied = await holdingProxyFeedVault(ctx, epoch, assets, weights, (gas) => (results[`first_deposit_gas_${count}_proxy_feed`] = gas));
  Object.assign(results, await userCalls(proxied.vault, depositor, count, "_proxy_feed"));
  Object.assign(results, await queuedPath(ctx, proxied, count));
}

/** The batch figures at `count` constituents, each measured from the snapshot it restores. */
async function batchFigures(ctx: Context, trades: IIndexVault.TradeStruct[], count: number): Promise<void> {
  const largest = await largestBatchThatFits(ctx, trades);
  results[`batch_max_trades_in_one_tx_${count}`] = largest;
  const measured = await measureBatch(ctx, trades);
  results[`batch_${count}_trades_gas`] = measured.batch;
  results[`batch_${count}_trades_gas_limit_needed`] = measured.gasLimitNeeded;
  results[`batch_${count}_trades_fits_one_tx`] = BigInt(measured.gasLimitNeeded) <= TX_GAS_CAP;
  results[`batch_${count}_trades_fits_block`] = BigInt(measured.gasLimitNeeded) <= BLOCK_GAS_LIMIT;
  results[`batch_fixed_gas_${count}`] = measured.empty;
  results[`direct_swap_gas_per_trade_${count}`] = measured.directPerTrade;
  results[`trade_overhead_gas_${count}`] = measured.overheadPerTrade;
  if (count === COUNTS[0]) Object.assign(results, await itemiseTradeOverhead(ctx, trades, measured.directPerTrade, measured.overheadPerTrade));
}
results.trade_overhead_gas = results.trade_overhead_gas_100;
results.tx_gas_cap = Number(TX_GAS_CAP);
results.feed_model =
  "*_gas_N: every price from a devnet TestPriceFeed, one cold account and two cold slots per read (the round id, then a one-slot round). *_gas_N_proxy_feed: measured through mainnet's read path, Chainlink's own EACAggregatorProxy (@chainlink/contracts 0.8.0, solc 0.6.6, no access controller as on mainnet's public USD feeds) in front of OcrTestAggregator, which reads as AccessControlledOffchainAggregator does (access list, hot variables, one-slot transmission): two cold accounts and five cold slots per price. It omits OCR's write side (signed reports, billing, validator), which no reader pays for; a feed on a newer aggregator (OCR2 DualAggregator) reads the same slots. The proxy-feed vault is a second vault on the same market, measured after the first one's trades, so the pools' prices differ by the first vault's buys; in-kind redeem reads no price";
results.queue_model =
  "IndexQueue on the proxy-feed vault. request_deposit_gas_N_at_R_requests: mean of R requests of ~1,000 USDC into one window from one EOA, each for its own controller (the first of a window writes its totals slot from zero). settle_gas_N_at_R_requests: the keeper's settle() of that window, all feeds pushed after the cut-off: one vault.deposit of the window's cash, whose one NAV read is also the forward-pricing check (the queue sets a transient cut-off in the router, IOracleRouter.setPricedAfter, and each feed round is checked as it is priced); per depositor is that over R. claim_gas: the first controller's full claim, deposit(assets, receiver), a share transfer. The unsuffixed request_deposit_gas_N, claim_gas_N and settle_gas_per_depositor_N are the 50-request figures. settle_itemised_N_*: the 50-request settlement's own trace (scripts/bench-gas.ts itemiseSettlement, scripts/gasProfile.ts), calls out charged whole: feed_reads (every price through its Chainlink proxy), market_pool_reads (each pool's slot0 and newest observation), balance_reads (the vault's balanceOf of each token), token_transfers (the window's cash into the vault, the allowance), router_registry_slots (the router's cold SLOADs: each token's source and market pool), router_code, vault_code and queue_code (their own opcodes), rest (intrinsic gas and calldata less refunds); they add up to settle_gas_N_at_50_requests. settle_floor_*: what no correct settlement with proxy feeds and the market bound can avoid, per constituent, from the same trace's first (cold) reads: a feed through its proxy, a market pool's slot0 and observation, a balanceOf, the router's registry slots per priced token (settle_floor_per_constituent_N_*); settle_floor_gas_N is that times N constituents, settle_floor_per_depositor_N_at_50_requests that over 50, settle_floor_requests_for_goal_N the fewest requests at which even the floor is within 60,000 per depositor; settle_goal_met_from_requests_N the same for the measured settlement (O(1) in requests)";
results.queue_goals_at_100 = `request_deposit_gas_100 ${results.request_deposit_gas_100} (goal <= 150000), claim_gas_100 ${results.claim_gas_100} (goal <= 80000), settle_gas_per_depositor_100 ${results.settle_gas_per_depositor_100} (goal <= 60000)`;
results.hardfork = "prague (Osaka's gas costs for these calls; the EIP-7825 cap is checked against each batch's estimate)";
results.trade_overhead_method =
  "per trade: (keeper batch of N buys - batch of its first buy) / (N - 1) - (SwapRouter.multicall of the same N exactInput swaps - multicall of the first) / (N - 1); same snapshot; both cold per pool. An empty batch reverts, so the fixed cost is the one-trade batch less one direct swap and one overhead";

await mkdir("bench", { recursive: true });
await writeFile("bench/gas.json", JSON.stringify(sortKeys(results), null, 2) + "\n");
printTable();

// ------------------------------------------------------------------------------------------------

/** Deposit, cash redeem and in-kind redeem of a vault that holds every constituent, keyed with `suffix`. */
async function userCalls(vault: IndexVault, depositor: Signer, count: number, suffix: string): Promise<Record<string, number>> {
  const depositorAddress = await depositor.getAddress();
  const gas: Record<string, number> = {};
  gas[`deposit_gas_${count}${suffix}`] = await gasOf(vault.connect(depositor).deposit(10_000n * STABLE, depositorAddress));
  const shares = (await vault.balanceOf(depositorAddress)) / 100n;
  gas[`redeem_cash_gas_${count}${suffix}`] = await gasOf(vault.connect(depositor).redeem(shares, depositorAddress, depositorAddress));
  const mins = new Array<bigint>(count + 1).fill(0n);
  gas[`redeem_in_kind_gas_${count}${suffix}`] = await gasOf(vault.connect(depositor).redeemInKind(shares, depositorAddress, depositorAddress, mins));
  return gas;
}

/** The proxy-feed vault after its first deposit (whose gas goes to `onFirstDeposit`) and its buy-in trades. */
async function holdingProxyFeedVault(ctx: Context, epoch: number, assets: string[], weights: bigint[], onFirstDeposit?: (gas: number) => void): Promise<ProxyFeedVault> {
  const { keeper, depositor } = ctx;
  const proxied = await proxyFeedVault(ctx);
  const firstDepositGas = await gasOf(proxied.vault.connect(depositor).deposit(DEPOSIT_ASSETS, await depositor.getAddress()));
  onFirstDeposit?.(firstDepositGas);
  await (await proxied.vault.connect(keeper).commitTargets(epoch, 0, assets, weights, `0x${"ab".repeat(32)}`)).wait();
  const proxiedTrades = await buyTrades({ ...ctx, vault: proxied.vault }, proxied.adapter);
  await (await proxied.vault.connect(keeper).executeTrades(proxiedTrades, MaxUint256, await proxied.vault.batchSequence())).wait();
  return proxied;
}

/** A second vault on the context's market whose oracle reads every price through a Chainlink proxy. */
async function proxyFeedVault(ctx: Context): Promise<ProxyFeedVault> {
  const { admin, market, deployment, depositor } = ctx;
  const proxied = await deployProxyFeeds(admin, market);
  const second = await deployVault({
    deployer: admin,
    market: proxied.market,
    keeper: deployment.keeper,
    guardian: deployment.guardian,
    feeRecipient: deployment.feeRecipient,
  });
  const stable = TestToken__factory.connect(market.stablecoin.address, depositor);
  await (await stable.approve(second.vault, MaxUint256)).wait();
  return { vault: IndexVault__factory.connect(second.vault, admin), adapter: second.adapter, timelock: second.timelock, aggregators: [...proxied.aggregatorOf.values()] };
}

interface ProxyFeedVault {
  vault: IndexVault;
  adapter: string;
  timelock: string;
  /** Where the proxy feeds' answers are pushed. */
  aggregators: string[];
}

/**
 * The queued path (IndexQueue) on the proxy-feed vault: for each request count, from one snapshot, that many
 * deposit requests (the first by the depositor for itself, the rest for other controllers), the window's
 * settlement by the keeper once every feed has a round after the cut-off, and the first controller's claim.
 */
async function queuedPath(ctx: Context, proxied: ProxyFeedVault, count: number): Promise<Record<string, number>> {
  const { admin, keeper, depositor, networkHelpers } = ctx;
  const depositorAddress = await depositor.getAddress();
  const start = await networkHelpers.time.latest();
  const queue = await new IndexQueue__factory(admin).deploy(proxied.vault, proxied.timelock, await keeper.getAddress(), start, 86_400, 6 * 3_600);
  const queueAddress = await queue.getAddress();
  await (await TestToken__factory.connect(ctx.market.stablecoin.address, depositor).approve(queueAddress, MaxUint256)).wait();
  const snapshot = await networkHelpers.takeSnapshot();
  const gas: Record<string, number> = {};
  for (const requests of QUEUE_REQUESTS) {
    await snapshot.restore();
    let requestGas = 0;
    for (let i = 0; i < requests; i++) {
      const controller = i === 0 ? depositorAddress : Wallet.createRandom().address;
      requestGas += await gasOf(queue.connect(depositor).requestDeposit(1_000n * STABLE + BigInt(i), controller, depositorAddress));
    }
    await networkHelpers.time.increaseTo(await queue.cutOffOf(1n));
    for (const aggregator of proxied.aggregators) {
      const feed = OcrTestAggregator__factory.connect(aggregator, admin);
      await (await feed.setAnswer((await feed.latestRoundData())[1])).wait();
    }
    const settlement = await (await queue.connect(keeper).settle(1n)).wait();
    if (settlement === null) throw new Error("no receipt");
    const settleGas = Number(settlement.gasUsed);
    if (!(await queue.depositWindow(1n)).settled) throw new Error(`the queue did not settle ${requests} requests at ${count} constituents`);
    if (requests === 50) Object.assign(gas, await itemiseSettlement(ctx, proxied, queueAddress, settlement.hash, settleGas, count));
    gas[`request_deposit_gas_${count}_at_${requests}_requests`] = Math.round(requestGas / requests);
    gas[`settle_gas_${count}_at_${requests}_requests`] = settleGas;
    gas[`settle_gas_per_depositor_${count}_at_${requests}_requests`] = Math.round(settleGas / requests);
    gas[`claim_gas_${count}_at_${requests}_requests`] = await gasOf(queue.connect(depositor)["deposit(uint256,address)"](1_000n * STABLE, depositorAddress));
  }
  // The headline figures: a request and a claim, and settlement amortised over 50 requests.
  gas[`request_deposit_gas_${count}`] = gas[`request_deposit_gas_${count}_at_50_requests`];
  gas[`claim_gas_${count}`] = gas[`claim_gas_${count}_at_50_requests`];
  gas[`settle_gas_per_depositor_${count}`] = gas[`settle_gas_per_depositor_${count}_at_50_requests`];
  return gas;
}

/**
 * Where a settlement's gas goes, from its own trace (scripts/gasProfile.ts): every opcode the queue, the vault
 * and the router run, and every call out of them charged whole (the callee's cold account, its code and its
 * slots), grouped by what is read. `settle_itemised_N_*` add up to the receipt's gasUsed (`rest`: the
 * intrinsic gas, calldata and refunds).
 *
 * The floor: what any correct settlement of N constituents must read cold, per constituent, measured here as
 * each item's mean first (cold) read: the feed through its proxy (proxy and aggregator accounts, their slots,
 * their code), the market pool (slot0 and the newest observation), the vault's balance, and the router's
 * registry slots (the cold SLOADs of the router, per priced token). Times N, over 50 requests.
 */
async function itemiseSettlement(ctx: Context, proxied: ProxyFeedVault, queue: string, hash: string, settleGas: number, count: number): Promise<Record<string, number>> {
  const { depositor, market } = ctx;
  const provider = depositor.provider!;
  const request = (method: string, params: unknown[]) => (provider as unknown as { send(m: string, p: unknown[]): Promise<unknown> }).send(method, params);
  const vaultAddress = await proxied.vault.getAddress();
  const oracleAddress = await proxied.vault.oracle();
  const oracle = OracleRouter__factory.connect(oracleAddress, depositor);
  const tokens = [market.stablecoin.address, ...(await proxied.vault.registeredAssets())];
  const profiled = new Map([
    [queue.toLowerCase(), await loadProfiledCode("contracts/IndexQueue.sol:IndexQueue")],
    [vaultAddress.toLowerCase(), await loadProfiledCode("contracts/IndexVault.sol:IndexVault")],
    [oracleAddress.toLowerCase(), await loadProfiledCode("contracts/oracles/OracleRouter.sol:OracleRouter")],
  ]);
  const kindOf = new Map<string, "feed" | "pool" | "token">();
  for (const token of tokens) {
    kindOf.set(token.toLowerCase(), "token");
    kindOf.set((await oracle.sourceOf(token)).feed.toLowerCase(), "feed");
    const pool = await oracle.marketPoolOf(token);
    if (pool !== ZeroAddress) kindOf.set(pool.toLowerCase(), "pool");
  }
  const items = { feed_reads: 0, market_pool_reads: 0, balance_reads: 0, token_transfers: 0, router_registry_slots: 0, router_code: 0, vault_code: 0, queue_code: 0 };
  // Per read target, the gas of its calls up to and including the first of each function: a pool's slot0
  // and observation, a feed's or a balance's first (cold) read; later warm reads are not part of the floor.
  const firstReads = { feed: new Map<string, number>(), pool: new Map<string, number>(), token: new Map<string, number>() };
  const seen = new Set<string>();
  await profileTransaction(request, hash, profiled, new Map(), (step) => {
    const kind = step.target === undefined ? undefined : kindOf.get(step.target);
    if (step.target !== undefined) {
      const balanceRead = kind === "token" && step.fn === "BoundedTokenCallLib.tryBalanceOf";
      if (kind === "feed") items.feed_reads += step.gas;
      else if (kind === "pool") items.market_pool_reads += step.gas;
      else if (balanceRead) items.balance_reads += step.gas;
      else items.token_transfers += step.gas;
      const key = `${step.target} ${step.fn}`;
      if ((kind === "feed" || kind === "pool" || balanceRead) && !seen.has(key)) {
        seen.add(key);
        const reads = firstReads[kind!];
        reads.set(step.target, (reads.get(step.target) ?? 0) + step.gas);
      }
      return;
    }
    if (step.contract === "OracleRouter") {
      // A cold SLOAD costs 2,100; a warm one 100.
      if (step.op === "SLOAD" && step.gas >= 2_100) items.router_registry_slots += step.gas;
      else items.router_code += step.gas;
    } else if (step.contract === "IndexQueue") {
      items.queue_code += step.gas;
    } else {
      items.vault_code += step.gas;
    }
  });
  const out: Record<string, number> = {};
  for (const [item, gas] of Object.entries(items)) out[`settle_itemised_${count}_${item}`] = gas;
  out[`settle_itemised_${count}_rest`] = settleGas - Object.values(items).reduce((a, b) => a + b, 0);
  const mean = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
  const perConstituent = {
    feed: mean(firstReads.feed),
    market_pool: mean(firstReads.pool),
    balance: mean(firstReads.token),
    router_registry: items.router_registry_slots / tokens.length,
  };
  for (const [item, gas] of Object.entries(perConstituent)) out[`settle_floor_per_constituent_${count}_${item}`] = Math.round(gas);
  const floorPerConstituent = Object.values(perConstituent).reduce((a, b) => a + b, 0);
  out[`settle_floor_per_constituent_${count}`] = Math.round(floorPerConstituent);
  // Times the constituents only: the stablecoin's own feed and balance reads (about one more constituent's worth) are
  // left out, so the floor is a lower bound.
  out[`settle_floor_gas_${count}`] = Math.round(floorPerConstituent * count);
  out[`settle_floor_per_depositor_${count}_at_50_requests`] = Math.round((floorPerConstituent * count) / 50);
  out[`settle_floor_requests_for_goal_${count}`] = Math.ceil((floorPerConstituent * count) / SETTLE_GOAL_PER_DEPOSITOR);
  out[`settle_goal_met_from_requests_${count}`] = Math.ceil(settleGas / SETTLE_GOAL_PER_DEPOSITOR);
  return out;
}

async function setUp(count: number): Promise<Context> {
  // Prague: Osaka's gas schedule for everything measured here, without EIP-7825's per-transaction cap, so
  // that a batch above the cap can still be measured; whether it fits the cap is read from its estimate.
  const { ethers, networkHelpers } = await network.create({ override: { hardfork: "prague" } });
  const [deployer, keeper, guardian, feeRecipient, depositor, trader] = await ethers.getSigners();
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count }) });
  // Fees on, as users would meet them; a budget that lets a 100-token buy-in run in one window.
  const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const vault = IndexVault__factory.connect(deployment.vault, deployer);
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  for (const who of [depositor, trader]) {
    await (await stable.mint(who.address, 100_000_000n * STABLE)).wait();
  }
  await (await stable.connect(depositor).approve(deployment.vault, MaxUint256)).wait();
  await (await stable.connect(trader).approve(market.swapRouter, MaxUint256)).wait();
  return { admin: deployer, market, deployment, vault, keeper, depositor, trader, networkHelpers };
}

function equalWeights(count: number): bigint[] {
  const each = 9_000n / BigInt(count);
  return [10_000n - each * BigInt(count), ...new Array<bigint>(count).fill(each)];
}

async function buyTrades({ market, vault }: Context, adapter: string): Promise<IIndexVault.TradeStruct[]> {
  const stable = market.stablecoin.address;
  return Promise.all(
    market.tokens.map(async (t) => ({
      adapter,
      tokenIn: stable,
      tokenOut: t.address,
      amountIn: BUY_ASSETS,
      minAmountOut: await vault.oracleMinAmountOut(stable, t.address, BUY_ASSETS),
      data: singleHopPath(stable, t.fee, t.address),
    })),
  );
}

/**
 * From one snapshot: the batch, an empty batch, the same swaps through SwapRouter.multicall and an empty
 * multicall; the state is restored after each.
 */
async function measureBatch(ctx: Context, trades: IIndexVault.TradeStruct[]) {
  const { vault, keeper, market, trader, networkHelpers } = ctx;
  const router = new Contract(market.swapRouter, uniswapArtifacts.swapRouter.abi, trader);
  const recipient = await trader.getAddress();
  const calls = trades.map((t) =>
    router.interface.encodeFunctionData("exactInput", [{ path: t.data, recipient, deadline: MaxUint256, amountIn: t.amountIn, amountOutMinimum: t.minAmountOut }]),
  );
  const snapshot = await networkHelpers.takeSnapshot();
  const run = async (tx: () => ReturnType<typeof gasOf>) => {
    const gas = await tx();
    await snapshot.restore();
    return gas;
  };
  const sequence = await vault.batchSequence();
  const gasLimitNeeded = Number(await vault.connect(keeper).executeTrades.estimateGas(trades, MaxUint256, sequence));
  const batch = await run(() => gasOf(vault.connect(keeper).executeTrades(trades, MaxUint256, sequence)));
  // An empty batch reverts (it must change nothing): the fixed cost is a one-trade batch less its trade.
  const single = await run(() => gasOf(vault.connect(keeper).executeTrades(trades.slice(0, 1), MaxUint256, sequence)));
  const direct = await run(() => gasOf(router.multicall(calls)));
  const directSingle = await run(() => gasOf(router.multicall(calls.slice(0, 1))));
  const directEmpty = await run(() => gasOf(router.multicall([])));
  const n = trades.length;
  const directPerTrade = Math.round((direct - directSingle) / (n - 1));
  const overheadPerTrade = Math.round((batch - single) / (n - 1)) - directPerTrade;
  const empty = single - (directSingle - directEmpty) - overheadPerTrade;
  return { batch, gasLimitNeeded, empty, directPerTrade, overheadPerTrade };
}

/**
 * The per-trade overhead itemised: the batch of N and the batch of its first trade are traced opcode by
 * opcode and charged to the Solidity function each opcode belongs to (scripts/gasProfile.ts); their
 * difference over N - 1 is one more trade's cost per function. Calls out of the vault (the token transfer to
 * the adapter, the adapter's swap, the balance reads) are charged whole to the calling function; the adapter's
 * swap is then split into the direct swap it replaces and the adapter's own cost. Run at the smallest count,
 * whose traces stay small; the overhead is the same within 30 gas at every count.
 */
async function itemiseTradeOverhead(ctx: Context, trades: IIndexVault.TradeStruct[], directPerTrade: number, overhead: number): Promise<Record<string, number | string>> {
  const { vault, keeper, networkHelpers, market, deployment } = ctx;
  const provider = keeper.provider!;
  const request = (method: string, params: unknown[]) => (provider as unknown as { send(m: string, p: unknown[]): Promise<unknown> }).send(method, params);
  const vaultCode = await loadProfiledCode("contracts/IndexVault.sol:IndexVault");
  const profiled = new Map([[deployment.vault.toLowerCase(), vaultCode]]);
  const code = await provider.getCode(deployment.vault);
  const linked = JSON.parse(await readFile("artifacts/contracts/IndexVault.sol/IndexVault.json", "utf8")).deployedLinkReferences as Record<string, Record<string, { start: number }[]>>;
  for (const [source, libraries] of Object.entries(linked)) {
    for (const [name, [{ start }]] of Object.entries(libraries)) {
      const address = `0x${code.slice(2 + start * 2, 2 + start * 2 + 40)}`.toLowerCase();
      profiled.set(address, await loadProfiledCode(`${source.replace(/^project\//, "")}:${name}`));
    }
  }
  const labels = new Map<string, string>([[market.stablecoin.address.toLowerCase(), "token"], [deployment.adapter.toLowerCase(), "adapter swap"], [deployment.oracle.toLowerCase(), "oracle"]]);
  for (const t of market.tokens) labels.set(t.address.toLowerCase(), "token");
  const snapshot = await networkHelpers.takeSnapshot();
  const sequence = await vault.batchSequence();
  const profileOf = async (batch: IIndexVault.TradeStruct[]) => {
    const receipt = await (await vault.connect(keeper).executeTrades(batch, MaxUint256, sequence)).wait();
    const totals = await profileTransaction(request, receipt!.hash, profiled, labels);
    await snapshot.restore();
    return totals;
  };
  const all = await profileOf(trades);
  const first = await profileOf(trades.slice(0, 1));
  const n = trades.length;
  const perTrade: Record<string, number> = {};
  for (const key of new Set([...all.keys(), ...first.keys()])) {
    const gas = Math.round(((all.get(key) ?? 0) - (first.get(key) ?? 0)) / (n - 1));
    if (gas !== 0) perTrade[key] = gas;
  }
  const swapKey = "RebalanceLogic._swap -> adapter swap";
  perTrade[swapKey] = (perTrade[swapKey] ?? 0) - directPerTrade;
  const out: Record<string, number | string> = {};
  const checks = new Map<string, number>();
  for (const [fn, gas] of Object.entries(perTrade)) {
    const check = TRADE_CHECKS.find(([, owns]) => owns.test(fn))?.[0] ?? "shared code (OpenZeppelin Math, transient-slot helpers: the optimizer shares these bytes between the checks, so the source map cannot say whose they are)";
    checks.set(check, (checks.get(check) ?? 0) + gas);
    out[`trade_overhead_function_${fn}`] = gas;
  }
  const grossSum = [...checks.values()].reduce((a, b) => a + b, 0);
  checks.set("refunds: slots restored within the transaction (the adapter's balance of tokenIn, the pool's lock), net of the direct swap's", overhead - grossSum);
  for (const [check, gas] of checks) out[`trade_overhead_item_${check}`] = gas;
  out.trade_overhead_items_sum = overhead;
  out.trade_overhead_items_method = `trade_overhead_item_*: one more trade's gas per check, at ${n} constituents (batch of ${n} minus batch of 1, over ${n - 1}), from debug_traceTransaction: every opcode the vault and its libraries run is charged to the Solidity function solc's source map names for it (trade_overhead_function_*), and the functions are grouped into checks; a call out of the vault is charged whole to the calling function, and the adapter's swap less the direct SwapRouter swap it replaces (direct_swap_gas_per_trade_${n}). Refunds are not opcodes: they are the difference to the receipts' overhead, so the items add up to trade_overhead_gas_${n}`;
  return out;
}

/** The largest prefix of `trades` whose batch needs a gas limit within the EIP-7825 cap. */
async function largestBatchThatFits({ vault, keeper }: Context, trades: IIndexVault.TradeStruct[]): Promise<number> {
  const fits = async (n: number) => (await vault.connect(keeper).executeTrades.estimateGas(trades.slice(0, n), MaxUint256, await vault.batchSequence())) <= TX_GAS_CAP;
  if (await fits(trades.length)) return trades.length;
  let low = 0;
  let high = trades.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (await fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function printTable(): void {
  const row = (label: string, key: (n: number) => string) =>
    Object.fromEntries([["measure", label], ...COUNTS.map((n) => [`${n} constituents`, results[key(n)] ?? "-"])]);
  console.table([
    row("first deposit (vault holds only cash)", (n) => `first_deposit_gas_${n}`),
    row("deposit (vault holds every constituent)", (n) => `deposit_gas_${n}`),
    row("cash redeem", (n) => `redeem_cash_gas_${n}`),
    row("in-kind redeem", (n) => `redeem_in_kind_gas_${n}`),
    row("first deposit, Chainlink proxy feeds", (n) => `first_deposit_gas_${n}_proxy_feed`),
    row("deposit, Chainlink proxy feeds", (n) => `deposit_gas_${n}_proxy_feed`),
    row("cash redeem, Chainlink proxy feeds", (n) => `redeem_cash_gas_${n}_proxy_feed`),
    row("queued deposit request (proxy feeds, mean of 50)", (n) => `request_deposit_gas_${n}`),
    row("queued deposit claim (proxy feeds)", (n) => `claim_gas_${n}`),
    ...QUEUE_REQUESTS.map((r) => row(`settlement of ${r} requests (proxy feeds)`, (n) => `settle_gas_${n}_at_${r}_requests`)),
    ...QUEUE_REQUESTS.map((r) => row(`settlement per depositor at ${r} requests`, (n) => `settle_gas_per_depositor_${n}_at_${r}_requests`)),
    row("settlement floor per depositor at 50 requests (unavoidable cold reads)", (n) => `settle_floor_per_depositor_${n}_at_50_requests`),
    row("requests per window from which settlement is <= 60k per depositor", (n) => `settle_goal_met_from_requests_${n}`),
    row("commitTargets", (n) => `commit_gas_${n}`),
    row("batch of n buys, gasUsed", (n) => `batch_${n}_trades_gas`),
    row("batch of n buys, gas limit needed", (n) => `batch_${n}_trades_gas_limit_needed`),
    row("largest batch within the 2^24 tx cap", (n) => `batch_max_trades_in_one_tx_${n}`),
    row("batch fixed cost (one-trade batch less its trade)", (n) => `batch_fixed_gas_${n}`),
    row("direct SwapRouter swap, per trade", (n) => `direct_swap_gas_per_trade_${n}`),
    row("vault overhead per trade", (n) => `trade_overhead_gas_${n}`),
  ]);
  const items = Object.entries(results).filter(([key]) => key.startsWith("trade_overhead_item_"));
  console.table(items.map(([key, gas]) => ({ "one more trade, at 10 constituents": key.slice("trade_overhead_item_".length), gas })));
}
