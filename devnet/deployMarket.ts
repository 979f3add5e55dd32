import { Contract, ContractFactory, MaxUint256, type Signer } from "ethers";
import { MarketMover__factory, TestPriceFeed__factory, TestStablecoin__factory, TestToken__factory } from "../types/ethers-contracts/index.js";
import { uniswapArtifacts, type NpmArtifact } from "../keeper/chain/uniswapArtifacts.js";
import { toRaw } from "./poolMath.js";
import { listV2Pair, listV3Pool, type FundToken, type ListedV3Pool, type PoolAsset } from "./listPools.js";
import type { TokenSpec } from "./tokenSpecs.js";
import { realisticTokenLayout, venuePlan, WETH_PRICE_USD, WETH_USDC_FEE, WETH_USDC_LIQUIDITY_USD, type LiquidityLayout, type TokenLayout } from "../keeper/backtest/devnetLiquidityLayout.js";

export { toRaw } from "./poolMath.js";
export { realisticTokenLayout, type LiquidityLayout, type TokenLayout } from "../keeper/backtest/devnetLiquidityLayout.js";

/** Chainlink USD feeds answer with 8 decimals; the devnet's feeds do the same. */
export const FEED_DECIMALS = 8;

/** One pool or pair a token trades in. */
export interface MarketVenue {
  protocol: "v3" | "v2";
  /** The other token: the stablecoin or WETH. */
  quote: string;
  /** The V3 fee tier; a V2 pair's fee is 0.3 %, written 3000. */
  fee: number;
  pool: string;
  liquidityUsd: number;
}

export interface MarketToken extends TokenSpec {
  address: string;
  /** The token's first V3 pool: its market pool for the oracle's stale-NAV bound (against `venues[0].quote`). */
  pool: string;
  feed: string;
  tickSpacing: number;
  /** Whether the token is its pool's token0. */
  tokenIsToken0: boolean;
  layout: TokenLayout;
  /** Every pool and pair the token trades in, `pool` first. */
  venues: MarketVenue[];
}

/** WETH's USD feed and its pool against the stablecoin, in the realistic layout. */
export interface MarketWeth {
  priceUsd: number;
  feed: string;
  /** The WETH/stablecoin V3 pool. */
  pool: string;
  fee: number;
  liquidityUsd: number;
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
  /** Uniswap V2's factory (v2-core), whose pairs SwapRouter02 trades. */
  factoryV2: string;
  /** SwapRouter02 (swap-router-contracts): V2 and V3 in one router, the only one on the L2s and Sepolia. */
  swapRouter02: string;
  /** MixedRouteQuoterV1 (swap-router-contracts): quotes routes that mix V2 pairs and V3 pools. */
  mixedRouteQuoter: string;
  positionManager: string;
  /** The devnet's arbitrageur (MarketMover): moves pool prices and feeds together. */
  mover: string;
  feedDecimals: number;
  stablecoin: MarketStablecoin;
  liquidity: LiquidityLayout;
  /** Present in the realistic layout, where WETH is the routing token. */
  weth?: MarketWeth;
  tokens: MarketToken[];
}

export interface DeployMarketParameters {
  deployer: Signer;
  tokens: readonly TokenSpec[];
  /** Oracle observations each pool keeps, so TWAPs over that many swaps' blocks work. */
  observationCardinality?: number;
  /** How liquidity is spread (default: one stablecoin pool per token). */
  liquidity?: LiquidityLayout;
  /** Called after each token is listed, for progress output. */
  onProgress?: (done: number, total: number, token: MarketToken) => void;
}

/** The arbitrageur's inventory of each token, as a multiple of the pool's liquidity value. */
const MOVER_INVENTORY_MULTIPLE = 1000;

/**
 * Deploys the local market from the real npm artifacts: WETH9, UniswapV3Factory, SwapRouter, QuoterV2,
 * NonfungiblePositionManager, a 6-decimal stablecoin, and for each spec a token, a USD feed, and a pool
 * against the stablecoin initialised at the spec's price, with liquidity minted through the position manager.
 */
export async function deployMarket({ deployer, tokens, observationCardinality = 32, liquidity = "default", onProgress }: DeployMarketParameters): Promise<Market> {
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
  const factoryV2 = await deployArtifact(uniswapArtifacts.v2Factory, deployer, deployerAddress);
  const swapRouter02 = await deployArtifact(uniswapArtifacts.swapRouter02, deployer, factoryV2, factory, positionManager, weth9);
  const mixedRouteQuoter = await deployArtifact(uniswapArtifacts.mixedRouteQuoterV1, deployer, factory, factoryV2, weth9);
  const mover = await new MarketMover__factory(deployer).deploy(swapRouter, deployerAddress);
  const moverAddress = await mover.getAddress();

  const stableDecimals = 6;
  // EIP-2612 permit, as mainnet USDC has: the app deposits in one transaction with it.
  const stable = await new TestStablecoin__factory(deployer).deploy("USD Coin (devnet)", "USDC", stableDecimals, deployerAddress);
  const stableAddress = await stable.getAddress();
  const stableFeed = await new TestPriceFeed__factory(deployer).deploy(FEED_DECIMALS, "USDC / USD", 10n ** BigInt(FEED_DECIMALS), deployerAddress);
  await (await stableFeed.setUpdater(moverAddress, true)).wait();
  const minted = new Set<string>();
  const weth = new Contract(weth9, uniswapArtifacts.weth9.abi, deployer);
  // Pools are seeded from freshly minted tokens (WETH: wrapped devnet ETH); the position manager may pull each.
  const fund: FundToken = async (token, amount) => {
    if (token === weth9) await (await weth.deposit({ value: amount })).wait();
    else await (await TestToken__factory.connect(token, deployer).mint(deployerAddress, amount)).wait();
    if (!minted.has(token)) {
      await (await TestToken__factory.connect(token, deployer).approve(positionManager, MaxUint256)).wait();
      minted.add(token);
    }
  };
  const totalLiquidityUsd = tokens.reduce((sum, t) => sum + t.liquidityUsd, 0);
  await (await stable.mint(moverAddress, toRaw(totalLiquidityUsd * MOVER_INVENTORY_MULTIPLE, stableDecimals))).wait();
  const stableAsset = { address: stableAddress, decimals: stableDecimals, priceUsd: 1 };
  const v3 = { deployer, positionManager, factory, fund, observationCardinality };

  let wethMarket: MarketWeth | undefined;
  const wethAsset: PoolAsset = { address: weth9, decimals: 18, priceUsd: WETH_PRICE_USD };
  if (liquidity === "realistic") {
    // Enough devnet ETH to wrap for the WETH side of every pool (a Hardhat node's own method).
    if (!("send" in provider) || typeof provider.send !== "function") throw new Error("deployMarket: the realistic layout needs a JSON-RPC Hardhat node (hardhat_setBalance)");
    await provider.send("hardhat_setBalance", [deployerAddress, "0x" + (10n ** 36n).toString(16)]);
    const wethFeed = await new TestPriceFeed__factory(deployer).deploy(FEED_DECIMALS, "WETH / USD", toRaw(WETH_PRICE_USD, FEED_DECIMALS), deployerAddress);
    await (await wethFeed.setUpdater(moverAddress, true)).wait();
    const { pool } = await listV3Pool({ ...v3, base: wethAsset, quote: stableAsset, fee: WETH_USDC_FEE, liquidityUsd: WETH_USDC_LIQUIDITY_USD });
    wethMarket = { priceUsd: WETH_PRICE_USD, feed: await wethFeed.getAddress(), pool, fee: WETH_USDC_FEE, liquidityUsd: WETH_USDC_LIQUIDITY_USD };
  }

  const listed: MarketToken[] = [];
  for (const spec of tokens) {
    const token = await new TestToken__factory(deployer).deploy(spec.name, spec.symbol, spec.decimals, deployerAddress);
    const address = await token.getAddress();
    const feed = await new TestPriceFeed__factory(deployer).deploy(FEED_DECIMALS, `${spec.symbol} / USD`, toRaw(spec.priceUsd, FEED_DECIMALS), deployerAddress);
    await (await feed.setUpdater(moverAddress, true)).wait();
    await (await token.mint(moverAddress, toRaw((spec.liquidityUsd / spec.priceUsd) * MOVER_INVENTORY_MULTIPLE, spec.decimals))).wait();
    const layout: TokenLayout = liquidity === "realistic" ? realisticTokenLayout(listed.length) : "direct";
    const base: PoolAsset = { address, decimals: spec.decimals, priceUsd: spec.priceUsd };
    const venues: MarketVenue[] = [];
    let first: ListedV3Pool | undefined;
    for (const plan of venuePlan(layout, spec)) {
      const quote = plan.quote === "stable" ? stableAsset : wethAsset;
      const liquidityUsd = plan.liquidityUsd;
      if (plan.protocol === "v3") {
        const listedPool = await listV3Pool({ ...v3, base, quote, fee: plan.fee, liquidityUsd });
        first ??= listedPool;
        venues.push({ protocol: "v3", quote: quote.address, fee: plan.fee, pool: listedPool.pool, liquidityUsd });
      } else {
        const pair = await listV2Pair({ deployer, factoryV2, base, quote, liquidityUsd, fund });
        venues.push({ protocol: "v2", quote: quote.address, fee: 3000, pool: pair, liquidityUsd });
      }
    }
    const listedToken: MarketToken = {
      ...spec,
      address,
      pool: first!.pool,
      feed: await feed.getAddress(),
      tickSpacing: first!.tickSpacing,
      tokenIsToken0: first!.baseIsToken0,
      layout,
      venues,
    };
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
    factoryV2,
    swapRouter02,
    mixedRouteQuoter,
    mover: moverAddress,
    feedDecimals: FEED_DECIMALS,
    stablecoin: { symbol: "USDC", name: "USD Coin (devnet)", decimals: stableDecimals, address: stableAddress, feed: await stableFeed.getAddress() },
    liquidity,
    ...(wethMarket === undefined ? {} : { weth: wethMarket }),
    tokens: listed,
  };
}

async function deployArtifact(artifact: NpmArtifact, signer: Signer, ...args: unknown[]): Promise<string> {
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...args);
  await contract.waitForDeployment();
  return contract.getAddress();
}
