import { Contract, MaxUint256, type Addressable, type Interface } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ethers, networkHelpers, vaultFixture, type VaultFixture } from "../fixtures.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { IndexVault__factory, OracleRouter__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import type { IIndexVault } from "../../types/ethers-contracts/contracts/IndexVault.js";
import type { MarketToken } from "../../devnet/deployMarket.js";
import { singleHopPath } from "./market.js";
import type { AdminCall, TimelockAdmin } from "./timelock.js";

export const USDC = 10n ** 6n;
/** What the funded fixture deposits before buying the basket. */
export const INITIAL_DEPOSIT = 1_000_000n * USDC;
/** What it buys of each of the ten constituents. */
export const BUY_PER_TOKEN = 60_000n * USDC;

/** Typed handles on the fixture's contracts. */
export function contractsOf(f: VaultFixture) {
  const vault = IndexVault__factory.connect(f.deployment.vault, f.keeper);
  return {
    vault,
    oracle: OracleRouter__factory.connect(f.deployment.oracle, f.keeper),
    stable: TestToken__factory.connect(f.market.stablecoin.address, f.keeper),
    router: new Contract(f.market.swapRouter, uniswapArtifacts.swapRouter.abi, f.keeper),
    quoter: new Contract(f.market.quoterV2, uniswapArtifacts.quoterV2.abi, f.keeper),
  };
}

/** The timelock admin of the fixture: signer 0 proposes, anyone executes, the delay is waited out. */
export async function adminOf(f: VaultFixture): Promise<TimelockAdmin> {
  const [proposer] = await ethers.getSigners();
  return { timelock: f.deployment.timelock, proposer, time: networkHelpers.time };
}

/** An admin call on a contract the timelock administers (the vault or the oracle router), encoded. */
export function adminCall(contract: { target: string | Addressable; interface: Interface }, fn: string, args: readonly unknown[]): AdminCall {
  return { target: contract.target as string, data: contract.interface.encodeFunctionData(fn, args) };
}

/** A keeper buy of `token` with stablecoin through the fixture's adapter; minAmountOut is the oracle floor. */
export async function buyTrade(f: VaultFixture, token: MarketToken, amountIn: bigint): Promise<IIndexVault.TradeStruct> {
  const { vault } = contractsOf(f);
  const stable = f.market.stablecoin.address;
  return {
    adapter: f.deployment.adapter,
    tokenIn: stable,
    tokenOut: token.address,
    amountIn,
    minAmountOut: await vault.oracleMinAmountOut(stable, token.address, amountIn),
    data: singleHopPath(stable, token.fee, token.address),
  };
}

/** The pool's own quote (QuoterV2, a static call) of a single-hop exact-input swap. */
export async function quoteExactInput(f: VaultFixture, tokenIn: string, tokenOut: string, fee: number, amountIn: bigint): Promise<bigint> {
  const { quoter } = contractsOf(f);
  const [amountOut] = (await quoter.quoteExactInputSingle.staticCall({ tokenIn, tokenOut, amountIn, fee, sqrtPriceLimitX96: 0 })) as bigint[];
  return amountOut;
}

/** Commits an epoch giving every constituent an equal share of 90 % and cash 10 %. */
export async function commitEqualTargets(f: VaultFixture, epoch = 1n): Promise<void> {
  const { vault } = contractsOf(f);
  const n = BigInt(f.market.tokens.length);
  const each = 9_000n / n;
  const assets = [f.market.stablecoin.address, ...f.market.tokens.map((t) => t.address)];
  const weights = [10_000n - each * n, ...f.market.tokens.map(() => each)];
  await (await vault.commitTargets(epoch, 0, assets, weights, ethers.id(`snapshot ${epoch}`))).wait();
}

export interface FundedVaultFixture extends VaultFixture {
  /** The first depositor, who holds all shares (fee shares aside). */
  holder: HardhatEthersSigner;
}

/**
 * The vault after a $1M deposit, a committed epoch and one keeper batch buying $60k of each of the ten
 * constituents through the real adapter and pools: the state most behaviour is tested from.
 */
export async function fundedVaultFixture(): Promise<FundedVaultFixture> {
  const f = await vaultFixture();
  const { vault } = contractsOf(f);
  const [holder] = f.depositors;
  await (await vault.connect(holder).deposit(INITIAL_DEPOSIT, holder.address)).wait();
  await commitEqualTargets(f);
  const trades = await Promise.all(f.market.tokens.map((t) => buyTrade(f, t, BUY_PER_TOKEN)));
  await (await vault.executeTrades(trades, MaxUint256)).wait();
  return { ...f, holder };
}

/** Stablecoin for an outsider (an attacker or a direct trader), approved to the SwapRouter. */
export async function fundedTrader(f: VaultFixture, who: HardhatEthersSigner, amount: bigint): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const stable = TestToken__factory.connect(f.market.stablecoin.address, deployer);
  await (await stable.mint(who.address, amount)).wait();
  await (await stable.connect(who).approve(f.market.swapRouter, MaxUint256)).wait();
}
