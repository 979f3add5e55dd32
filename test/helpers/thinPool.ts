import { Contract } from "ethers";
import type { Market } from "../../devnet/deployMarket.js";
import { uniswapArtifacts } from "../../keeper/chain/uniswapArtifacts.js";
import { ethers } from "../fixtures.js";

/**
 * Takes all but 1/100,000 of the deployer's liquidity out of `token`'s stablecoin pool through the position
 * manager: the pool stays, at its price, thin.
 */
export async function thinPool(market: Market, token: string): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const npm = new Contract(market.positionManager, uniswapArtifacts.positionManager.abi, deployer);
  const owned = Number(await npm.balanceOf(deployer.address));
  for (let i = 0; i < owned; i++) {
    const id: bigint = await npm.tokenOfOwnerByIndex(deployer.address, i);
    const position = await npm.positions(id);
    const pair = [position.token0.toLowerCase(), position.token1.toLowerCase()];
    if (!pair.includes(token.toLowerCase()) || !pair.includes(market.stablecoin.address.toLowerCase()) || position.liquidity === 0n) continue;
    const take = position.liquidity - position.liquidity / 100_000n;
    await (await npm.decreaseLiquidity({ tokenId: id, liquidity: take, amount0Min: 0, amount1Min: 0, deadline: 2n ** 64n })).wait();
  }
}
