import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers } from "../../fixtures.js";
import { deployMarket, type Market } from "../../../devnet/deployMarket.js";
import { deployVault, type VaultDeployment } from "../../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../../devnet/tokenSpecs.js";
import { moveMarket } from "../../../devnet/moveMarket.js";
import { devnetSyntheticAssets, devnetProviderId } from "../../../devnet/marketTokenList.js";
import { SyntheticMarket } from "../../../keeper/data/syntheticMarket.js";
import { createDevnetKeeperContext } from "../../../devnet/createDevnetKeeperContext.js";
import type { RunRebalanceReturnType } from "../../../keeper/run/runRebalance.js";
import { IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { valueInAsset } from "../../../keeper/core/index.js";
import type { KeeperContext } from "../../../keeper/run/context.js";
import type { VaultState } from "../../../keeper/chain/readVault.js";
import type { MarketDataProvider } from "../../../keeper/data/types.js";
import type { RegimeConfig } from "../../../keeper/core/index.js";

const TOKENS = 24;
export const N = 20;
const WARM_UP_DAYS = 55;

interface KeeperE2EFixture {
  market: Market;
  deployment: VaultDeployment;
}

async function keeperE2EFixture(): Promise<KeeperE2EFixture> {
  const [deployer, keeper, guardian, feeRecipient, depositor] = await ethers.getSigners();
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: TOKENS, seed: 7 }) });
  const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  await (await stable.mint(depositor.address, 1_000_000n * 10n ** 6n)).wait();
  await (await stable.connect(depositor).approve(deployment.vault, ethers.MaxUint256)).wait();
  await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(1_000_000n * 10n ** 6n, depositor.address)).wait();
  return { market, deployment };
}

const DAY = 86_400;

/** The keeper on the devnet ($1M deposited), fed by a synthetic market that a crash phase turns bearish. */
export async function setUpKeeperOnDevnet({ checkpoint, regime }: { checkpoint?: KeeperContext["checkpoint"]; regime?: Partial<RegimeConfig> } = {}) {
  const { market, deployment } = await networkHelpers.loadFixture(keeperE2EFixture);
  const [, keeper] = await ethers.getSigners();
  const now = await networkHelpers.time.latest();
  const synthetic = new SyntheticMarket({
    seed: 11,
    assets: devnetSyntheticAssets(market),
    phases: [
      { days: WARM_UP_DAYS + 14, driftAnnual: 0.8, volatilityAnnual: 0.3 },
      { days: 25, driftAnnual: -4, volatilityAnnual: 0.3 },
      { days: 200, driftAnnual: 4, volatilityAnnual: 0.3 },
    ],
    startIso: new Date((now - WARM_UP_DAYS * DAY) * 1000).toISOString(),
  });
  for (let d = 0; d < WARM_UP_DAYS; d++) synthetic.step();
  // The market data provider, which a test can take offline (every call fails, as CoinGecko after its retries).
  let offline = false;
  const online = synthetic.provider();
  const down = () => Promise.reject(new Error("market data provider offline"));
  const data: MarketDataProvider = {
    name: online.name,
    getUniverse: (limit, asOf) => (offline ? down() : online.getUniverse(limit, asOf)),
    getRegimeHistory: (ids, days, asOf) => (offline ? down() : online.getRegimeHistory(ids, days, asOf)),
  };
  const ctx = await createDevnetKeeperContext({
    provider: ethers.provider,
    keeper,
    market,
    deployment,
    data,
    constituentCount: N,
    planner: { dustAsset: 50n * 10n ** 6n },
    // The tests walk a whole bear market and recovery in weeks: a 20-day window and a cool-down of two weeks, not
    // the default 50 and 30 days (with those the 25-day crash is over before the model leaves it, on day 26).
    regime: { window: 20, minDwellDays: 14, ...regime },
    snapshotDir: await mkdtemp(path.join(tmpdir(), "snapshots-")),
    checkpoint,
  });
  const [deployer] = await ethers.getSigners();
  /** One simulated day: the synthetic market moves, and so do the pools and feeds, a day later on-chain. */
  const advanceDay = async () => {
    synthetic.step();
    await networkHelpers.time.increase(DAY);
    const prices = new Map(market.tokens.map((t) => [t.address, synthetic.priceUsd(devnetProviderId(t.symbol))]));
    await moveMarket({ signer: deployer, market, pricesUsd: prices });
  };
  await advanceDay();
  const setOffline = (value: boolean) => {
    offline = value;
  };
  return { market, deployment, ctx, synthetic, advanceDay, setOffline };
}

export async function chainNow(): Promise<Date> {
  return new Date((await networkHelpers.time.latest()) * 1000);
}

/** Every committed target is met within `toleranceBps` of NAV (the planner's cash buffer comes off risk weights). */
export function expectOnTarget(state: VaultState, toleranceBps: number, cashBufferBps = 200) {
  const stable = state.stablecoin.address.toLowerCase();
  const riskShare = 10_000 - cashBufferBps;
  for (const { token, weightBps } of state.targets) {
    const holding = state.holdings.find((h) => h.token.address === token.address)!;
    const value = valueInAsset(holding.balance, token.decimals, state.pricesAsset18.get(token.address)!);
    const actualBps = Number((value * 10_000n) / state.navAsset);
    const isCash = token.address.toLowerCase() === stable;
    const expected = isCash ? weightBps + (cashBufferBps * (10_000 - weightBps)) / 10_000 : (weightBps * riskShare) / 10_000;
    expect(Math.abs(actualBps - expected), `${token.address} weight ${actualBps} bps vs target ${expected}`).to.be.lessThanOrEqual(toleranceBps);
  }
}

/** No trade broke a limit: received >= minAmountOut >= the vault's oracle bound at the block before. */
export async function expectWithinLimits(ctx: KeeperContext, result: RunRebalanceReturnType) {
  const vault = IndexVault__factory.connect(ctx.vault, ctx.provider);
  for (const batch of result.batches) {
    for (const t of batch.trades) {
      expect(t.amountOut >= t.minAmountOut, "received below minAmountOut").to.equal(true);
      const oracleMin = await vault.oracleMinAmountOut(t.tokenIn, t.tokenOut, t.amountIn, { blockTag: batch.blockNumber - 1 });
      expect(t.minAmountOut >= oracleMin, "minAmountOut below the oracle bound").to.equal(true);
    }
  }
}

