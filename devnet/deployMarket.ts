import { Contract, ContractFactory, MaxUint256, type Signer } from "ethers";
import { TICK_SPACINGS } from "@uniswap/v3-sdk";
import { MarketMover__factory, TestPriceFeed__factory, TestToken__factory } from "../types/ethers-contracts/index.js";
import { uniswapArtifacts, type NpmArtifact } from "../keeper/chain/uniswapArtifacts.js";
import { amountsForValue, bandTicks, fullRangeTicks, sqrtPriceX96ForPrice, approximateTickAtSqrtPrice, type PoolSide } from "./poolMath.js";
import type { TokenSpec } from "./tokenSpecs.js";

/** Chainlink USD feeds answer with 8 decimals; the devnet's feeds do the same. */
export const FEED_DECIMALS = 8;

export interface MarketToken extends TokenSpec {
  address: string;
  pool: string;
  feed: string;
  tickSpacing: number;
  /** Whether the token is its pool's token0. */
  tokenIsToken0: boolean;
}

export interface MarketStablecoin {
  symbol: string;
  name: string;
  decimals: number;
  address: string;
  feed: string;
}

/** Everything deployed, as plain JSON: what `npm run devnet` writes and the keeper and scripts read. */
export interface Market {
  chainId: number;
  deployer: string;
  deployedAtBlock: number;
  weth9: string;
  factory: string;
  swapRouter: string;
  quoterV2: string;
  positionManager: string;
  /** The devnet's arbitrageur (MarketMover): moves pool prices and feeds together. */
  mover: string;
  feedDecimals: number;
  stablecoin: MarketStablecoin;
  tokens: MarketToken[];
}

export interface DeployMarketParameters {
  deployer: Signer;
  tokens: readonly TokenSpec[];
  /** Oracle observations each pool keeps, so TWAPs over that many swaps' blocks work. */
  observationCardinality?: number;
  /** Called after each token is listed, for progress output. */
  onProgress?: (done: number, total: number, token: MarketToken) => void;
}

/**
 * Share of each pool's liquidity value per range: mostly full range, so that depth survives the price moving
 * away from where the pool was seeded (nobody re-centres positions on the devnet), plus +-10 % and +-3 % bands
 * that put initialized ticks near the price.
 */
const LIQUIDITY_LAYOUT: readonly { band: number | null; share: number }[] = [
  { band: null, share: 0.7 },
  { band: 0.1, share: 0.2 },
  { band: 0.03, share: 0.1 },
];
/** The arbitrageur's inventory of each token, as a multiple of the pool's liquidity value. */
const MOVER_INVENTORY_MULTIPLE = 1000;

/**
 * Deploys the local market from the real npm artifacts: WETH9, UniswapV3Factory, SwapRouter, QuoterV2,
 * NonfungiblePositionManager, a 6-decimal stablecoin, and for each spec a token, a USD feed, and a pool
 * against the stablecoin initialised at the spec's price, with liquidity minted through the position manager.
 */
export async function deployMarket({ deployer, tokens, observationCardinality = 32, onProgress }: DeployMarketParameters): Promise<Market> {
  const provider = deployer.provider;
  if (provider === null) throw new Error("deployMarket: the deployer signer has no provider");
  const deployerAddress = await deployer.getAddress();
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployedAtBlock = await provider.getBlockNumber();

  const weth9 = await deployArtifact(uniswapArtifacts.weth9, deployer);
  const factory = await deployArtifact(uniswapArtifacts.factory, deployer);
  const swapRouter = await deployArtifact(uniswapArtifacts.swapRouter, deployer, factory, weth9);
  const quoterV2 = await deployArtifact(uniswapArtifacts.quoterV2, deployer, factory, weth9);
  // The token descriptor only renders NFT metadata, which nothing here reads.
  const positionManager = await deployArtifact(uniswapArtifacts.positionManager, deployer, factory, weth9, "0x0000000000000000000000000000000000000000");
  const mover = await new MarketMover__factory(deployer).deploy(swapRouter, deployerAddress);
  const moverAddress = await mover.getAddress();

  const stableDecimals = 6;
  const stable = await new TestToken__factory(deployer).deploy("USD Coin (devnet)", "USDC", stableDecimals, deployerAddress);
  const stableAddress = await stable.getAddress();
  const stableFeed = await new TestPriceFeed__factory(deployer).deploy(FEED_DECIMALS, "USDC / USD", 10n ** BigInt(FEED_DECIMALS), deployerAddress);
  await (await stableFeed.setUpdater(moverAddress, true)).wait();
  const totalLiquidityUsd = tokens.reduce((sum, t) => sum + t.liquidityUsd, 0);
  await (await stable.mint(deployerAddress, toRaw(totalLiquidityUsd * 1.01, stableDecimals))).wait();
  await (await stable.mint(moverAddress, toRaw(totalLiquidityUsd * MOVER_INVENTORY_MULTIPLE, stableDecimals))).wait();
  await (await stable.approve(positionManager, MaxUint256)).wait();

  const npm = new Contract(positionManager, uniswapArtifacts.positionManager.abi, deployer);
  const factoryContract = new Contract(factory, uniswapArtifacts.factory.abi, deployer);
  const listed: MarketToken[] = [];
  for (const spec of tokens) {
    const token = await new TestToken__factory(deployer).deploy(spec.name, spec.symbol, spec.decimals, deployerAddress);
    const address = await token.getAddress();
    const feed = await new TestPriceFeed__factory(deployer).deploy(FEED_DECIMALS, `${spec.symbol} / USD`, toRaw(spec.priceUsd, FEED_DECIMALS), deployerAddress);
    await (await feed.setUpdater(moverAddress, true)).wait();

    const side: PoolSide = { tokenIsToken0: address.toLowerCase() < stableAddress.toLowerCase(), tokenDecimals: spec.decimals, stableDecimals };
    const [token0, token1] = side.tokenIsToken0 ? [address, stableAddress] : [stableAddress, address];
    const sqrtPriceX96 = sqrtPriceX96ForPrice(side, spec.priceUsd);
    const tickSpacing = TICK_SPACINGS[spec.fee as keyof typeof TICK_SPACINGS];
    const tick = approximateTickAtSqrtPrice(sqrtPriceX96);

    const positions = LIQUIDITY_LAYOUT.map(({ band, share }) => {
      const [tickLower, tickUpper] = band === null ? fullRangeTicks(tickSpacing) : bandTicks(tick, band, tickSpacing);
      // Value in raw token1 units: USD -> stablecoin raw, or USD -> token raw when the token is token1.
      const valueToken1Raw = side.tokenIsToken0 ? spec.liquidityUsd * share * 10 ** stableDecimals : ((spec.liquidityUsd * share) / spec.priceUsd) * 10 ** spec.decimals;
      const [amount0, amount1] = amountsForValue(sqrtPriceX96, tickLower, tickUpper, valueToken1Raw);
      return { tickLower, tickUpper, amount0, amount1 };
    });
    const tokenNeeded = positions.reduce((sum, p) => sum + (side.tokenIsToken0 ? p.amount0 : p.amount1), 0n);
    await (await token.mint(deployerAddress, tokenNeeded)).wait();
    await (await token.mint(moverAddress, toRaw((spec.liquidityUsd / spec.priceUsd) * MOVER_INVENTORY_MULTIPLE, spec.decimals))).wait();
    await (await token.approve(positionManager, MaxUint256)).wait();

    await (await npm.createAndInitializePoolIfNecessary(token0, token1, spec.fee, sqrtPriceX96)).wait();
    const pool: string = await factoryContract.getPool(token0, token1, spec.fee);
    const poolContract = new Contract(pool, uniswapArtifacts.pool.abi, deployer);
    await (await poolContract.increaseObservationCardinalityNext(observationCardinality)).wait();
    for (const p of positions) {
      await (
        await npm.mint({
          token0,
          token1,
          fee: spec.fee,
          tickLower: p.tickLower,
          tickUpper: p.tickUpper,
          amount0Desired: p.amount0,
          amount1Desired: p.amount1,
          amount0Min: 0,
          amount1Min: 0,
          recipient: deployerAddress,
          deadline: MaxUint256,
        })
      ).wait();
    }
    const listedToken: MarketToken = { ...spec, address, pool, feed: await feed.getAddress(), tickSpacing, tokenIsToken0: side.tokenIsToken0 };
    listed.push(listedToken);
    onProgress?.(listed.length, tokens.length, listedToken);
  }

  return {
    chainId,
    deployer: deployerAddress,
    deployedAtBlock,
    weth9,
    factory,
    swapRouter,
    quoterV2,
    positionManager,
    mover: moverAddress,
    feedDecimals: FEED_DECIMALS,
    stablecoin: { symbol: "USDC", name: "USD Coin (devnet)", decimals: stableDecimals, address: stableAddress, feed: await stableFeed.getAddress() },
    tokens: listed,
  };
}

async function deployArtifact(artifact: NpmArtifact, signer: Signer, ...args: unknown[]): Promise<string> {
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...args);
  await contract.waitForDeployment();
  return contract.getAddress();
}

/** A decimal amount to raw units (the fraction beyond 15 digits is dropped), for inventories and answers. */
export function toRaw(amount: number, decimals: number): bigint {
  if (!(amount >= 0) || !Number.isFinite(amount)) throw new RangeError(`amount must be finite and non-negative, got ${amount}`);
  const whole = Math.floor(amount);
  const fractionDigits = Math.min(decimals, 15);
  const fraction = BigInt(Math.round((amount - whole) * 10 ** fractionDigits)) * 10n ** BigInt(decimals - fractionDigits);
  return BigInt(whole) * 10n ** BigInt(decimals) + fraction;
}
