import { Contract, type ContractRunner } from "ethers";
import { TickMath } from "@uniswap/v3-sdk";

import { uniswapArtifacts } from "./uniswapArtifacts.js";

export interface PoolTick {
  index: number;
  liquidityGross: bigint;
  liquidityNet: bigint;
}

/** What a swap simulation needs of a Uniswap V3 pool, read at one block. */
export interface PoolState {
  address: string;
  token0: string;
  token1: string;
  fee: number;
  tickSpacing: number;
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  /** Every initialized tick in the tick-bitmap words read (minWord..maxWord), ascending. */
  ticks: PoolTick[];
  minWord: number;
  maxWord: number;
  blockNumber: number;
}

export interface ReadPoolStateParameters {
  runner: ContractRunner;
  pool: string;
  /** Read at this block (default: the latest), so that every field is from the same state. */
  blockTag?: number;
  /**
   * Tick-bitmap words to read either side of the current one (default: all of them). A word spans 256 tick
   * spacings (+-2.6 % to +-1,000 % of price, by fee tier), so 2 covers any trade the keeper's bounds allow;
   * a simulation that needs more says so (TickWindowExceededError) and the caller reads wider.
   */
  wordRadius?: number;
}

/**
 * Reads a pool's slot0, liquidity and its initialized ticks (scanning the tick bitmap word by word, in
 * parallel, around the current tick or entirely), all at one block, so that an off-chain swap simulation
 * reproduces the pool exactly.
 */
export async function readPoolState({ runner, pool, blockTag, wordRadius }: ReadPoolStateParameters): Promise<PoolState> {
  const contract = new Contract(pool, uniswapArtifacts.pool.abi, runner);
  const block = blockTag ?? (await runner.provider!.getBlockNumber());
  const overrides = { blockTag: block };
  const [token0, token1, fee, tickSpacing, slot0, liquidity] = await Promise.all([
    contract.token0(overrides),
    contract.token1(overrides),
    contract.fee(overrides),
    contract.tickSpacing(overrides),
    contract.slot0(overrides),
    contract.liquidity(overrides),
  ]);
  const spacing = Number(tickSpacing);
  const currentWord = Math.floor(Math.floor(Number(slot0.tick) / spacing) / 256);
  const radius = wordRadius ?? Number.POSITIVE_INFINITY;
  const minWord = Math.max(Math.floor(Math.floor(TickMath.MIN_TICK / spacing) / 256), currentWord - radius);
  const maxWord = Math.min(Math.floor(Math.floor(TickMath.MAX_TICK / spacing) / 256), currentWord + radius);
  const words: number[] = [];
  for (let w = minWord; w <= maxWord; w++) words.push(w);
  const bitmaps: bigint[] = await Promise.all(words.map((w) => contract.tickBitmap(w, overrides)));
  const tickIndexes: number[] = [];
  words.forEach((word, i) => {
    let bits = bitmaps[i];
    for (let bit = 0; bits !== 0n; bit++, bits >>= 1n) {
      if (bits & 1n) tickIndexes.push((word * 256 + bit) * spacing);
    }
  });
  const tickData = await Promise.all(tickIndexes.map((t) => contract.ticks(t, overrides)));
  return {
    address: pool,
    token0,
    token1,
    fee: Number(fee),
    tickSpacing: spacing,
    sqrtPriceX96: slot0.sqrtPriceX96,
    tick: Number(slot0.tick),
    liquidity,
    ticks: tickIndexes.map((index, i) => ({ index, liquidityGross: tickData[i].liquidityGross, liquidityNet: tickData[i].liquidityNet })),
    minWord,
    maxWord,
    blockNumber: block,
  };
}
