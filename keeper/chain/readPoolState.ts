import { Contract, type ContractRunner } from "ethers";
import { TickMath } from "@uniswap/v3-sdk";

import { uniswapArtifacts } from "./uniswapArtifacts.js";

export interface PoolTick {
  index: number;
  liquidityGross: bigint;
  liquidityNet: bigint;
}

/** A Uniswap V3 pool's tokens, fee, price and active liquidity at one block: what a depth needs. */
export interface PoolHead {
  address: string;
  token0: string;
  token1: string;
  fee: number;
  tickSpacing: number;
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  blockNumber: number;
}

/** What a swap simulation needs of a Uniswap V3 pool, read at one block: its head and the ticks around. */
export interface PoolState extends PoolHead {
  /** Every initialized tick in the tick-bitmap words read (minWord..maxWord), ascending. */
  ticks: PoolTick[];
  minWord: number;
  maxWord: number;
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
  /** The pool's head, already read this round (its block is then the block read): only the ticks are read. */
  head?: PoolHead;
}

/**
 * Reads a pool's head (unless given) and its initialized ticks (scanning the tick bitmap word by word, in
 * parallel, around the current tick or entirely), all at one block, so that an off-chain swap simulation
 * reproduces the pool exactly.
 */
export async function readPoolState({ runner, pool, blockTag, wordRadius, head: known }: ReadPoolStateParameters): Promise<PoolState> {
  const contract = new Contract(pool, uniswapArtifacts.pool.abi, runner);
  const head = known ?? (await readPoolHead({ runner, pool, blockTag }));
  const overrides = { blockTag: head.blockNumber };
  const spacing = head.tickSpacing;
  const currentWord = Math.floor(Math.floor(head.tick / spacing) / 256);
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
    ...head,
    ticks: tickIndexes.map((index, i) => ({ index, liquidityGross: tickData[i].liquidityGross, liquidityNet: tickData[i].liquidityNet })),
    minWord,
    maxWord,
  };
}

export interface ReadPoolHeadParameters {
  runner: ContractRunner;
  pool: string;
  /** Default: the latest block. */
  blockTag?: number;
}

/** A pool's tokens, fee, tick spacing, slot0 and active liquidity, all at one block. */
export async function readPoolHead({ runner, pool, blockTag }: ReadPoolHeadParameters): Promise<PoolHead> {
  const contract = new Contract(pool, uniswapArtifacts.pool.abi, runner);
  const blockNumber = blockTag ?? (await runner.provider!.getBlockNumber());
  const overrides = { blockTag: blockNumber };
  const [token0, token1, fee, tickSpacing, slot0, liquidity] = await Promise.all([
    contract.token0(overrides),
    contract.token1(overrides),
    contract.fee(overrides),
    contract.tickSpacing(overrides),
    contract.slot0(overrides),
    contract.liquidity(overrides),
  ]);
  return { address: pool, token0, token1, fee: Number(fee), tickSpacing: Number(tickSpacing), sqrtPriceX96: slot0.sqrtPriceX96, tick: Number(slot0.tick), liquidity, blockNumber };
}
