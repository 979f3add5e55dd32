import { Contract, MaxUint256, ZeroAddress } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { connection, ethers, networkHelpers } from "../fixtures.js";
import { deployMarket, toRaw, type Market, type MarketToken } from "../../devnet/deployMarket.js";
import { deployVault } from "../../devnet/deployVault.js";
import { defaultTokenSpecs } from "../../devnet/tokenSpecs.js";
import { moveMarket, poolPrice, poolSide } from "../../devnet/moveMarket.js";
import { sqrtPriceX96ForPrice } from "../../devnet/poolMath.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { IndexVault__factory, MarketMover__factory, TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { buyTrade, commitEqualTargets, INITIAL_DEPOSIT, USDC } from "./vault.js";
import type { VaultFixture } from "../fixtures.js";

// The laboratory of class 1 of the vault-safety review: a feed lagging the market inside its deviation threshold must not let
// anyone buy shares below market value or sell them above it. Every figure is in bps of the honest holders'
// value at MARKET prices (the pools), the value they could actually realise.

const Q192 = 1n << 192n;
/**
 * The whole matrix (lags of +/-0.5, 1 and 2 %, deposits of 0.1x, 1x and 20x NAV) runs under
 * `npm run test:deep` (STALE_NAV_MATRIX=full); `npm test` runs its corners (the largest lags both ways, the
 * smallest and largest deposits), where the losses were largest before the fix, to stay within its time.
 */
const FULL_MATRIX = process.env.STALE_NAV_MATRIX === "full";
export const LAGS = FULL_MATRIX ? [-0.02, -0.01, -0.005, 0.005, 0.01, 0.02] : [-0.02, 0.005, 0.02];
export const SIZES = FULL_MATRIX ? [0.1, 1, 20] : [0.1, 20];
export const MAX_HONEST_LOSS_BPS = 1;
/** The full matrix runs for many minutes on a loaded machine: no per-test limit then (Mocha's 0). */
export const MATRIX_TIMEOUT_MS = FULL_MATRIX ? 0 : 600_000;

export interface Lab extends VaultFixture {
  holder: HardhatEthersSigner;
  attacker: HardhatEthersSigner;
}

async function labFixture(entryFeeBps: number): Promise<Lab> {
  const [deployer, keeper, guardian, feeRecipient, holder, attacker] = await ethers.getSigners();
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 10 }) });
  const deployment = await deployVault({
    deployer,
    market,
    keeper: keeper.address,
    guardian: guardian.address,
    feeRecipient: feeRecipient.address,
    // No exit or management fee: the worst case for the holders, and no fee shares to account for.
    settings: { entryFeeBps, exitFeeBps: 0, managementFeeBps: 0 },
  });
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  for (const who of [holder, attacker]) {
    await (await stable.mint(who.address, 100_000_000n * USDC)).wait();
    await (await stable.connect(who).approve(deployment.vault, MaxUint256)).wait();
  }
  const f: VaultFixture = { market, deployment, keeper, guardian, depositors: [holder, attacker] };
  const vault = IndexVault__factory.connect(deployment.vault, keeper);
  await (await vault.connect(holder).deposit(INITIAL_DEPOSIT, holder.address)).wait();
  await commitEqualTargets(f);
  await (await vault.executeTrades(await Promise.all(market.tokens.map((t) => buyTrade(f, t, 60_000n * USDC))), MaxUint256, 0n)).wait();
  return { ...f, holder, attacker };
}
export const noFeeLab = () => labFixture(0);
export const feeLab = () => labFixture(10);

/** Value of `amount` of `token` in stablecoin base units at the pool's current price (exact, rounded down). */
async function marketValue(token: MarketToken, amount: bigint): Promise<bigint> {
  const pool = new Contract(token.pool, uniswapArtifacts.pool.abi, ethers.provider);
  const [sqrtPriceX96] = (await pool.slot0()) as [bigint];
  const ratio = sqrtPriceX96 * sqrtPriceX96;
  return token.tokenIsToken0 ? (amount * ratio) / Q192 : (amount * Q192) / ratio;
}

/** Cash plus every token at the pool price. */
async function holdingsAtMarket(market: Market, who: string): Promise<bigint> {
  const stable = TestToken__factory.connect(market.stablecoin.address, ethers.provider);
  const values = await Promise.all(market.tokens.map(async (t) => marketValue(t, await TestToken__factory.connect(t.address, ethers.provider).balanceOf(who))));
  return values.reduce((a, b) => a + b, await stable.balanceOf(who));
}

/** What each of `who` could realise at market prices: its wallet plus its shares' slice of the vault. */
export async function walletsAtMarket(lab: Lab, who: string[]): Promise<bigint[]> {
  const vault = IndexVault__factory.connect(lab.deployment.vault, ethers.provider);
  const [vaultValue, supply] = await Promise.all([holdingsAtMarket(lab.market, lab.deployment.vault), vault.totalSupply()]);
  return Promise.all(who.map(async (w) => (await holdingsAtMarket(lab.market, w)) + ((await vault.balanceOf(w)) * vaultValue) / (supply + 10n ** 6n)));
}

/** The market value of the shares `who` holds: the base every loss is measured against. */
export async function sharesAtMarket(lab: Lab, who: string): Promise<bigint> {
  const vault = IndexVault__factory.connect(lab.deployment.vault, ethers.provider);
  const [vaultValue, supply, shares] = await Promise.all([holdingsAtMarket(lab.market, lab.deployment.vault), vault.totalSupply(), vault.balanceOf(who)]);
  return (shares * vaultValue) / (supply + 10n ** 6n);
}

export function bpsOf(delta: bigint, base: bigint): number {
  return Number((delta * 1_000_000n) / base) / 100;
}

/** Publishes `answers` on the feeds in one MarketMover transaction (feed-only moves). */
async function setFeeds(lab: Lab, answers: bigint[]): Promise<void> {
  const [owner] = await ethers.getSigners();
  const mover = MarketMover__factory.connect(lab.market.mover, owner);
  await (await mover.moveMany(lab.market.tokens.map((t, i) => ({ tokenIn: ZeroAddress, tokenOut: ZeroAddress, fee: 0, sqrtPriceLimitX96: 0n, feed: t.feed, answer: answers[i] })))).wait();
}

/** Moves every pool by `lag` (a fraction) through the real SwapRouter and puts every feed back: the market
 * now differs from the feeds by `lag`, inside a typical Chainlink deviation threshold. */
export async function openLag(lab: Lab, lag: number): Promise<void> {
  const [owner] = await ethers.getSigners();
  const answers = await Promise.all(lab.market.tokens.map(async (t) => (await TestPriceFeed__factory.connect(t.feed, owner).latestRoundData())[1]));
  const targets = new Map<string, number>();
  for (const t of lab.market.tokens) targets.set(t.address, (await poolPrice(owner, lab.market, t)) * (1 + lag));
  await moveMarket({ signer: owner, market: lab.market, pricesUsd: targets });
  await setFeeds(lab, answers);
}

/** The feeds publish the pools' prices: the lag is over. */
export async function closeLag(lab: Lab): Promise<void> {
  const [owner] = await ethers.getSigners();
  await setFeeds(lab, await Promise.all(lab.market.tokens.map(async (t) => toRaw(await poolPrice(owner, lab.market, t), lab.market.feedDecimals))));
}

export type Exit = "in kind" | "cash";

/** Deposit `size` x NAV, optionally wait for the feeds, leave; returns the honest holder's loss in bps. */
export async function attack(lab: Lab, size: number, exit: Exit, afterCatchUp: boolean): Promise<{ honestLossBps: number; attackerGainBps: number }> {
  const vault = IndexVault__factory.connect(lab.deployment.vault, lab.attacker);
  const { holder, attacker } = lab;
  const [honestBefore, attackerBefore] = await walletsAtMarket(lab, [holder.address, attacker.address]);
  const honestNav = await sharesAtMarket(lab, holder.address);
  const nav = await vault.totalAssets();
  const assets = (nav * BigInt(Math.round(size * 1000))) / 1000n;
  await (await vault.deposit(assets, attacker.address)).wait();
  if (afterCatchUp) await closeLag(lab);
  const shares = await vault.balanceOf(attacker.address);
  if (exit === "in kind") {
    await (await vault.redeemInKind(shares, attacker.address, attacker.address, new Array(lab.market.tokens.length + 1).fill(0n))).wait();
  } else {
    await (await vault.redeem(shares, attacker.address, attacker.address)).wait();
  }
  const [honestAfter, attackerAfter] = await walletsAtMarket(lab, [holder.address, attacker.address]);
  return { honestLossBps: bpsOf(honestBefore - honestAfter, honestNav), attackerGainBps: bpsOf(attackerAfter - attackerBefore, honestNav) };
}

