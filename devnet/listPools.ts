import { Contract, type Signer } from "ethers";
import { TICK_SPACINGS } from "@uniswap/v3-sdk";
import { erc20 } from "../keeper/chain/erc20.js";
import { uniswapArtifacts } from "../keeper/chain/uniswapArtifacts.js";
import { V3_LIQUIDITY_LAYOUT } from "../keeper/backtest/devnetLiquidityLayout.js";
import { amountsForValue, approximateTickAtSqrtPrice, bandTicks, fullRangeTicks, sqrtPriceX96ForPrice, toRaw, type PoolSide } from "./poolMath.js";

/** One side of a devnet pool: a token, its decimals and its USD price when the pool is seeded. */
export interface PoolAsset {
  address: string;
  decimals: number;
  priceUsd: number;
}

/** Puts `amount` raw units of `token` in the deployer's hands (minting a test token, wrapping ETH into WETH). */
export type FundToken = (token: string, amount: bigint) => Promise<void>;

export interface ListV3PoolParameters {
  deployer: Signer;
  positionManager: string;
  factory: string;
  base: PoolAsset;
  quote: PoolAsset;
  fee: number;
  liquidityUsd: number;
  fund: FundToken;
  observationCardinality: number;
}

export interface ListedV3Pool {
  pool: string;
  tickSpacing: number;
  /** Whether `base` is the pool's token0. */
  baseIsToken0: boolean;
}

/**
 * Creates the Uniswap V3 pool of base/quote at their USD price ratio through the real position manager and
 * mints `liquidityUsd` of liquidity in V3_LIQUIDITY_LAYOUT's ranges, with `observationCardinality` oracle slots.
 */
export async function listV3Pool(p: ListV3PoolParameters): Promise<ListedV3Pool> {
  const deployerAddress = await p.deployer.getAddress();
  const baseIsToken0 = p.base.address.toLowerCase() < p.quote.address.toLowerCase();
  const side: PoolSide = { tokenIsToken0: baseIsToken0, tokenDecimals: p.base.decimals, stableDecimals: p.quote.decimals };
  const [token0, token1] = baseIsToken0 ? [p.base.address, p.quote.address] : [p.quote.address, p.base.address];
  const sqrtPriceX96 = sqrtPriceX96ForPrice(side, p.base.priceUsd / p.quote.priceUsd);
  const tickSpacing = TICK_SPACINGS[p.fee as keyof typeof TICK_SPACINGS];
  const tick = approximateTickAtSqrtPrice(sqrtPriceX96);
  const token1Asset = baseIsToken0 ? p.quote : p.base;

  const positions = V3_LIQUIDITY_LAYOUT.map(({ band, share }) => {
    const [tickLower, tickUpper] = band === null ? fullRangeTicks(tickSpacing) : bandTicks(tick, band, tickSpacing);
    const valueToken1Raw = ((p.liquidityUsd * share) / token1Asset.priceUsd) * 10 ** token1Asset.decimals;
    const [amount0, amount1] = amountsForValue(sqrtPriceX96, tickLower, tickUpper, valueToken1Raw);
    return { tickLower, tickUpper, amount0, amount1 };
  });
  await p.fund(token0, positions.reduce((sum, q) => sum + q.amount0, 0n));
  await p.fund(token1, positions.reduce((sum, q) => sum + q.amount1, 0n));

  const npm = new Contract(p.positionManager, uniswapArtifacts.positionManager.abi, p.deployer);
  await (await npm.createAndInitializePoolIfNecessary(token0, token1, p.fee, sqrtPriceX96)).wait();
  const factory = new Contract(p.factory, uniswapArtifacts.factory.abi, p.deployer);
  const pool: string = await factory.getPool(token0, token1, p.fee);
  await (await new Contract(pool, uniswapArtifacts.pool.abi, p.deployer).increaseObservationCardinalityNext(p.observationCardinality)).wait();
  for (const q of positions) {
    await (
      await npm.mint({
        token0,
        token1,
        fee: p.fee,
        tickLower: q.tickLower,
        tickUpper: q.tickUpper,
        amount0Desired: q.amount0,
        amount1Desired: q.amount1,
        amount0Min: 0,
        amount1Min: 0,
        recipient: deployerAddress,
        deadline: 2n ** 64n,
      })
    ).wait();
  }
  return { pool, tickSpacing, baseIsToken0 };
}

export interface ListV2PairParameters {
  deployer: Signer;
  factoryV2: string;
  base: PoolAsset;
  quote: PoolAsset;
  liquidityUsd: number;
  fund: FundToken;
}

/**
 * Creates the Uniswap V2 pair of base/quote on the real V2 factory and deposits `liquidityUsd`, half in each
 * token at their USD prices (a V2 pair's liquidity is always full range).
 */
export async function listV2Pair(p: ListV2PairParameters): Promise<string> {
  const deployerAddress = await p.deployer.getAddress();
  const factory = new Contract(p.factoryV2, uniswapArtifacts.v2Factory.abi, p.deployer);
  await (await factory.createPair(p.base.address, p.quote.address)).wait();
  const pair: string = await factory.getPair(p.base.address, p.quote.address);
  for (const asset of [p.base, p.quote]) {
    const amount = toRaw(p.liquidityUsd / 2 / asset.priceUsd, asset.decimals);
    await p.fund(asset.address, amount);
    await (await erc20(asset.address, p.deployer).transfer(pair, amount)).wait();
  }
  await (await new Contract(pair, uniswapArtifacts.v2Pair.abi, p.deployer).mint(deployerAddress)).wait();
  return pair;
}
