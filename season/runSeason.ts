import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Provider, Signer } from "ethers";
import { formatDecimal, formatNumber, nextWeeklyRebalance } from "../keeper/core/index.js";
import { readVault, type VaultState } from "../keeper/chain/readVault.js";
import { SyntheticMarket } from "../keeper/data/syntheticMarket.js";
import { queuedSeasonFlow, seasonFlows } from "./seasonFlows.js";
import { createDevnetKeeperContext } from "../devnet/createDevnetKeeperContext.js";
import { createKeeperJobs } from "../keeper/run/createKeeperJobs.js";
import type { RebalanceMode, RunRebalanceReturnType } from "../keeper/run/runRebalance.js";
import { firstBasket, holdingRecords, maxDrawdown, rebalanceRecords, regimeTimeline, type DepositorAction, type SeasonReportData, type SeriesPoint, type TradeRecord } from "../keeper/report/index.js";
import { IndexQueue__factory, IndexVault__factory, TestToken__factory } from "../types/ethers-contracts/index.js";
import { deployMarket, type Market } from "../devnet/deployMarket.js";
import { deployVault } from "../devnet/deployVault.js";
import { moveMarket } from "../devnet/moveMarket.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { devnetProviderId, devnetSyntheticAssets } from "../devnet/marketTokenList.js";
import { SEASON_PHASES, SEASON_WARM_UP_DAYS, seasonConstituentCount } from "./seasonSettings.js";

export { SEASON_PHASES, SEASON_WARM_UP_DAYS, seasonConstituentCount };

export interface RunSeasonParameters {
  provider: Provider;
  /** deployer, keeper, guardian, fee recipient, then three depositors. */
  signers: Signer[];
  weeks: number;
  tokens: number;
  seed: number;
  network: string;
  /**
   * Where the keeper publishes what an auditor needs: snapshots/<epoch>.json and tokenlist.json, so that
   * `keeper audit --snapshots <dir>/snapshots --token-list <dir>/tokenlist.json` re-verifies the season.
   */
  publishDir: string;
  /** Moves the chain's clock: the next block's timestamp. */
  setNextBlockTimestamp: (seconds: number) => Promise<void>;
  onProgress?: (line: string) => void;
  /**
   * The keeper's on-chain depth screen (default on, as the keeper runs). Off, each day's snapshot skips ~15
   * eth_calls per token (the season's market is deep, so the screen never excludes a token in it).
   */
  depthScreen?: boolean;
  /** Called once the vault is deployed, before the first day: a long season's chain is usable while it grows. */
  onDeployed?: (deployment: { vault: string; deployedAtBlock: number }) => Promise<void>;
}

const DAY = 86_400;
const DEPOSIT_USD = 1_000_000n;

/**
 * A simulated season of the index on a chain: deploys the market and the vault (as `npm run devnet` does),
 * then day by day moves a seeded synthetic market, carries its prices to the pools and feeds through arbitrage,
 * lets depositors come and go, and runs the keeper's own jobs (`keeper run`'s code) on the simulated clock:
 * the Monday rebalance, the daily regime check, the Sunday notice. Returns everything the report shows.
 */
export async function runSeason({ provider, signers, weeks, tokens, seed, network, publishDir, setNextBlockTimestamp, onProgress, onDeployed, depthScreen = true }: RunSeasonParameters): Promise<SeasonReportData> {
  const wallStart = performance.now();
  const startedAt = new Date().toISOString();
  const [deployer, keeperSigner, guardian, feeRecipient, ...depositors] = signers;
  if (depositors.length < 3) throw new Error("runSeason needs at least 7 signers");
  const progress = onProgress ?? (() => {});

  progress(`deploying ${tokens} tokens with Uniswap V3 pools, feeds and the vault ...`);
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: tokens, seed }) });
  const deployment = await deployVault({ deployer, market, keeper: await keeperSigner.getAddress(), guardian: await guardian.getAddress(), feeRecipient: await feeRecipient.getAddress() });
  await onDeployed?.({ vault: deployment.vault, deployedAtBlock: deployment.deployedAtBlock });
  const vault = IndexVault__factory.connect(deployment.vault, provider);
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  const unit = 10n ** BigInt(market.stablecoin.decimals);
  for (const d of depositors.slice(0, 3)) {
    await (await stable.mint(await d.getAddress(), 10n * DEPOSIT_USD * unit)).wait();
    await (await TestToken__factory.connect(market.stablecoin.address, d).approve(deployment.vault, 2n ** 255n)).wait();
  }

  // Day 0 is the first Monday 00:00 UTC after the chain's clock.
  const latest = await provider.getBlock("latest");
  const day0 = nextWeeklyRebalance(new Date(latest!.timestamp * 1000)).getTime() / 1000;
  const synthetic = new SyntheticMarket({ seed, assets: devnetSyntheticAssets(market), phases: SEASON_PHASES, warmUpDays: SEASON_WARM_UP_DAYS, startIso: new Date(day0 * 1000).toISOString() });
  // The queued path: the deployment's IndexQueue, whose daily windows close at 22:00 UTC, settled by the keeper's 00:00 run.
  const queue = IndexQueue__factory.connect(deployment.queue, provider);
  await (await TestToken__factory.connect(market.stablecoin.address, depositors[1]).approve(deployment.queue, 2n ** 255n)).wait();
  let queuedWindow: bigint | undefined;
  const devnetCtx = await createDevnetKeeperContext({
    provider,
    keeper: keeperSigner,
    market,
    deployment,
    data: synthetic.provider(),
    constituentCount: seasonConstituentCount(tokens),
    snapshotDir: path.join(publishDir, "snapshots"),
    ...(depthScreen ? {} : { methodology: { minOnChainDepthUsd: 0 } }),
  });
  const ctx = { ...devnetCtx, queue: deployment.queue };
  // A new season publishes into an empty folder: an earlier run's snapshots must not be mistaken for its own.
  await rm(path.join(publishDir, "snapshots"), { recursive: true, force: true });
  await mkdir(publishDir, { recursive: true });
  await writeFile(path.join(publishDir, "tokenlist.json"), JSON.stringify(ctx.tokenList, null, 2));
  const results: { mode: RebalanceMode; result: RunRebalanceReturnType; date: string }[] = [];
  let today = "";
  const jobs = createKeeperJobs(ctx, { onResult: (mode, result) => void results.push({ mode, result, date: today }) });

  const flows = seasonFlows(weeks, seed);
  const queuedFlow = queuedSeasonFlow(flows);
  const actions: DepositorAction[] = [];
  const series: SeriesPoint[] = [];
  const btc = market.tokens[0];
  const startPrices = new Map(market.tokens.map((t) => [t.address, t.priceUsd]));
  let basket: Map<string, number> | undefined;
  let firstNavPerShare: number | undefined;

  for (let d = 0; d < weeks * 7; d++) {
    const dayStart = day0 + d * DAY;
    today = new Date(dayStart * 1000).toISOString().slice(0, 10);
    if (d > 0) synthetic.step();
    await setNextBlockTimestamp(dayStart);
    const prices = new Map(market.tokens.map((t) => [t.address, synthetic.priceUsd(devnetProviderId(t.symbol))]));
    await moveMarket({ signer: deployer, market, pricesUsd: prices });

    if (d === 0) {
      // The first depositor seeds the vault before the first Monday rebalance.
      actions.push(await deposit(depositors[0], DEPOSIT_USD * unit, today));
    }
    const now = new Date(dayStart * 1000);
    await jobs.daily(now);
    if (now.getUTCDay() === 0) await jobs.notice(new Date((dayStart + 12 * 3600) * 1000));
    await depositorsAct(d, today);

    const state = await readVault({ runner: provider, vault: deployment.vault });
    const navPerShare = Number(state.navAsset) / Number(state.totalSupply) * 1e6;
    firstNavPerShare ??= navPerShare;
    basket ??= firstBasket(state);
    series.push({
      date: today,
      navPerShare: navPerShare / firstNavPerShare,
      buyAndHold: basket === undefined ? 1 : [...basket].reduce((v, [address, w]) => v + (w * prices.get(address)!) / startPrices.get(address)!, 0),
      btc: prices.get(btc.address)! / btc.priceUsd,
      regime: state.regime,
    });
    if (now.getUTCDay() === 0 || d === weeks * 7 - 1) {
      const week = Math.floor(d / 7) + 1;
      progress(`week ${String(week).padStart(2)}/${weeks}  ${today}  regime ${state.regime.padEnd(4)}  NAV/share ${series[series.length - 1].navPerShare.toFixed(4)}  NAV $${formatNumber(Number(state.navAsset) / Number(unit), 0)}  trades so far ${results.reduce((n, r) => n + r.result.batches.reduce((m, b) => m + b.trades.length, 0), 0)}`);
    }
  }

  async function deposit(who: Signer, assets: bigint, date: string): Promise<DepositorAction> {
    const receipt = await (await IndexVault__factory.connect(deployment.vault, who).deposit(assets, await who.getAddress())).wait();
    const event = receipt!.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === "Deposit");
    return { date, depositor: await who.getAddress(), kind: "deposit", assets: Number(assets) / Number(unit), shares: Number(event!.args.shares) / Number(unit) / 1e6, txHash: receipt!.hash };
  }

  /** Once the keeper's daily run has settled the queued request's window: the settlement, then the claim of every share. */
  async function claimQueuedDeposit(who: Signer, date: string): Promise<void> {
    if (queuedWindow === undefined) return;
    const [settled] = await queue.queryFilter(queue.filters.DepositsSettled(queuedWindow));
    if (settled === undefined) return;
    const owner = await who.getAddress();
    const toShares = (raw: bigint) => Number(raw) / Number(unit) / 1e6;
    actions.push({ date, depositor: owner, kind: "deposit-settled", assets: Number(settled.args.assets) / Number(unit), shares: toShares(settled.args.shares), txHash: settled.transactionHash });
    const assets = await queue.maxDeposit(owner);
    const receipt = await (await queue.connect(who)["deposit(uint256,address)"](assets, owner)).wait();
    const claim = receipt!.logs.map((l) => queue.interface.parseLog(l)).find((e) => e?.name === "Deposit");
    actions.push({ date, depositor: owner, kind: "deposit-claim", assets: Number(assets) / Number(unit), shares: toShares(claim!.args.shares), txHash: receipt!.hash });
    queuedWindow = undefined;
  }

  /** Depositors come and go (seasonFlows): deposits most weeks, small cash redemptions, one in-kind exit mid-season. */
  async function depositorsAct(d: number, date: string): Promise<void> {
    const byName = { launch: depositors[0], b: depositors[1], c: depositors[2] } as Record<string, Signer>;
    await claimQueuedDeposit(byName.b, date);
    for (const flow of flows.filter((f) => f.day === d)) {
      const who = byName[flow.depositor];
      if (flow === queuedFlow && flow.kind === "deposit") {
        const owner = await who.getAddress();
        const assets = BigInt(flow.amountUsd) * unit;
        const receipt = await (await queue.connect(who).requestDeposit(assets, owner, owner)).wait();
        queuedWindow = await queue.depositWindowOf(owner);
        actions.push({ date, depositor: owner, kind: "deposit-request", assets: Number(assets) / Number(unit), shares: 0, txHash: receipt!.hash });
      } else if (flow.kind === "deposit") {
        actions.push(await deposit(who, BigInt(flow.amountUsd) * unit, date));
      } else if (flow.kind === "redeem-cash") {
        // Half of what the vault's cash lets this depositor redeem now (maxRedeem).
        const v = IndexVault__factory.connect(deployment.vault, who);
        const shares = (await v.maxRedeem(await who.getAddress())) / 2n;
        if (shares === 0n) continue;
        const expected = await v.previewRedeem(shares);
        const receipt = await (await v.redeemWithMin(shares, await who.getAddress(), await who.getAddress(), (expected * 99n) / 100n)).wait();
        actions.push({ date, depositor: await who.getAddress(), kind: "redeem-cash", assets: Number(expected) / Number(unit), shares: Number(shares) / Number(unit) / 1e6, txHash: receipt!.hash });
      } else {
        const v = IndexVault__factory.connect(deployment.vault, who);
        const shares = (await v.balanceOf(await who.getAddress())) / 2n;
        if (shares === 0n) continue;
        const navBefore = await v.totalAssets();
        const supply = await v.totalSupply();
        // Slippage protection in kind: at least 99% of the pro-rata slice of each token (cash first).
        const tokens = [market.stablecoin.address, ...(await v.registeredAssets())];
        const minAmountsOut = await Promise.all(tokens.map(async (t) => ((await TestToken__factory.connect(t, provider).balanceOf(deployment.vault)) * shares * 99n) / supply / 100n));
        const receipt = await (await v.redeemInKind(shares, await who.getAddress(), await who.getAddress(), minAmountsOut)).wait();
        actions.push({ date, depositor: await who.getAddress(), kind: "redeem-in-kind", assets: Number((navBefore * shares) / supply) / Number(unit), shares: Number(shares) / Number(unit) / 1e6, txHash: receipt!.hash });
      }
    }
  }

  const finalState = await readVault({ runner: provider, vault: deployment.vault });
  const trades = await tradeLog(provider, market, finalState, deployment.deployedAtBlock);
  const rebalances = rebalanceRecords(results, finalState);
  const navs = series.map((p) => p.navPerShare);
  const totalGasUsed = rebalances.reduce((g, r) => g + r.gasUsed, 0);
  return {
    weeks,
    tokens,
    seed,
    network,
    chainId: Number((await provider.getNetwork()).chainId),
    vault: deployment.vault,
    vaultDeploymentBlock: Number(await IndexVault__factory.connect(deployment.vault, provider).deploymentBlock()),
    stablecoinSymbol: market.stablecoin.symbol,
    btcSymbol: btc.symbol,
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: Math.round((performance.now() - wallStart) / 100) / 10,
    series,
    rebalances,
    regimeTimeline: regimeTimeline(series),
    trades,
    depositorActions: actions,
    holdings: holdingRecords(finalState),
    final: {
      navAsset: Number(finalState.navAsset) / Number(unit),
      navPerShare: Number(finalState.navAsset) / Number(finalState.totalSupply) * 1e6,
      totalSupply: Number(finalState.totalSupply) / Number(unit) / 1e6,
      maxDrawdown: maxDrawdown(navs),
      buyAndHoldMaxDrawdown: maxDrawdown(series.map((p) => p.buyAndHold)),
      btcMaxDrawdown: maxDrawdown(series.map((p) => p.btc)),
      totalGasUsed,
      totalTradingCostAsset: rebalances.reduce((c, r) => c + r.costAsset, 0),
    },
  };
}

/** Every TradeExecuted the vault emitted, read back from the chain's logs (not from the keeper's own records). */
async function tradeLog(provider: Provider, market: Market, state: VaultState, fromBlock: number): Promise<TradeRecord[]> {
  const symbolOf = (address: string) => (address === market.stablecoin.address ? market.stablecoin.symbol : (market.tokens.find((t) => t.address === address)?.symbol ?? address));
  const decimalsOf = (address: string) => (address === market.stablecoin.address ? market.stablecoin.decimals : (market.tokens.find((t) => t.address === address)?.decimals ?? 18));
  const unit = 10 ** state.stablecoin.decimals;
  const vault = IndexVault__factory.connect(state.address, provider);
  const events = await vault.queryFilter(vault.filters.TradeExecuted(), fromBlock);
  const timestamps = new Map<number, number>();
  const records: TradeRecord[] = [];
  for (const e of events) {
    if (!timestamps.has(e.blockNumber)) timestamps.set(e.blockNumber, (await provider.getBlock(e.blockNumber))!.timestamp);
    const valueIn = Number(e.args.valueIn) / unit;
    const valueOut = Number(e.args.valueOut) / unit;
    records.push({
      date: new Date(timestamps.get(e.blockNumber)! * 1000).toISOString().slice(0, 10),
      epoch: e.args.epoch.toString(),
      txHash: e.transactionHash,
      blockNumber: e.blockNumber,
      tokenIn: symbolOf(e.args.tokenIn),
      tokenOut: symbolOf(e.args.tokenOut),
      amountIn: formatDecimal(e.args.amountIn, decimalsOf(e.args.tokenIn)),
      amountOut: formatDecimal(e.args.amountOut, decimalsOf(e.args.tokenOut)),
      minAmountOut: formatDecimal(e.args.minAmountOut, decimalsOf(e.args.tokenOut)),
      valueInAsset: valueIn,
      valueOutAsset: valueOut,
      slippageBps: valueIn === 0 ? 0 : ((valueIn - valueOut) / valueIn) * 10_000,
    });
  }
  return records;
}
