import { network } from "hardhat";
import { deployMarket, type Market } from "../scripts/devnet/deployMarket.js";
import { defaultTokenSpecs } from "../scripts/devnet/tokenSpecs.js";

/** One in-process chain for the whole test run, so that loadFixture snapshots are shared between files. */
export const connection = await network.getOrCreate();
export const { ethers, networkHelpers } = connection;

/** The local market with ten constituents (BTC-like with 8 decimals, ETH-like, and eight more). */
export async function marketFixture(): Promise<Market> {
  const [deployer] = await ethers.getSigners();
  return deployMarket({ deployer, tokens: defaultTokenSpecs({ count: 10 }) });
}
