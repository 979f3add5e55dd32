import { network } from "hardhat";
import { deployMarket, type Market } from "../devnet/deployMarket.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { deployVault, type VaultDeployment } from "../devnet/deployVault.js";
import { TestToken__factory } from "../types/ethers-contracts/index.js";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

/** One in-process chain for the whole test run, so that loadFixture snapshots are shared between files. */
export const connection = await network.getOrCreate();
export const { ethers, networkHelpers } = connection;

/** The local market with ten constituents (BTC-like with 8 decimals, ETH-like, and eight more). */
export async function marketFixture(): Promise<Market> {
  const [deployer] = await ethers.getSigners();
  return deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 10 }) });
}

export interface VaultFixture {
  market: Market;
  deployment: VaultDeployment;
  keeper: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  depositors: HardhatEthersSigner[];
}

/** The market plus the vault stack (timelocked admin), with three depositors holding $10M of stablecoin each. */
export async function vaultFixture(): Promise<VaultFixture> {
  const market = await marketFixture();
  const [deployer, keeper, guardian, feeRecipient, ...depositors] = await ethers.getSigners();
  const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  for (const d of depositors.slice(0, 3)) {
    await (await stable.mint(d.address, 10_000_000n * 10n ** 6n)).wait();
    await (await stable.connect(d).approve(deployment.vault, ethers.MaxUint256)).wait();
  }
  return { market, deployment, keeper, guardian, depositors: depositors.slice(0, 3) };
}

/**
 * The realistic liquidity layout (`--liquidity realistic`) with ten constituents, one of each tenth of the
 * pattern, and its vault: both adapters, every venue and WETH/USDC allowlisted, depositors funded as above.
 */
export async function realisticVaultFixture(): Promise<VaultFixture> {
  const [deployer, keeper, guardian, feeRecipient, ...depositors] = await ethers.getSigners();
  const market = await deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 10 }), liquidity: "realistic" });
  const deployment = await deployVault({ deployer, market, keeper: keeper.address, guardian: guardian.address, feeRecipient: feeRecipient.address });
  const stable = TestToken__factory.connect(market.stablecoin.address, deployer);
  for (const d of depositors.slice(0, 3)) {
    await (await stable.mint(d.address, 10_000_000n * 10n ** 6n)).wait();
    await (await stable.connect(d).approve(deployment.vault, ethers.MaxUint256)).wait();
  }
  return { market, deployment, keeper, guardian, depositors: depositors.slice(0, 3) };
}
