import { Contract, solidityPacked, type ContractRunner } from "ethers";
import type { Pool } from "@uniswap/v3-sdk";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { afterSlippage, KeeperError } from "../core/index.js";
import { readPoolState, type PoolHead } from "./readPoolState.js";
import { swapOnPool, toSdkPool } from "./simulateSwap.js";
import { TickWindowExceededError } from "./windowTickDataProvider.js";
import type { TokenPool } from "./resolvePools.js";

import { uniswapArtifacts } from "./uniswapArtifacts.js";

export interface TradeIntent {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
}

export interface QuotedTrade extends TradeIntent {
  /** The pool (or, on a route, the first pool or pair) the trade crosses, and its fee tier. */
  pool: string;
  fee: number;
  /** The adapter's data: a Uniswap V3 path tokenIn-fee-tokenOut (a mixed-route path for SwapRouter02Adapter). */
  path: string;
  /** What the SDKs compute from pool state, trades earlier in the batch through the same pools included. */
  quotedOut: bigint;
  /** The vault's own floor: oracle value of amountIn x (1 - maxSlippage). */
  oracleMinOut: bigint;
  /** max(oracleMinOut, quotedOut x (1 - slippage)): what the vault will require. */
  minAmountOut: bigint;
}

export interface RejectedTrade {
  trade: TradeIntent;
  reason: string;
}

/** Tick-bitmap words read either side of the current one; a swap that reaches further triggers a full read. */
export const NEAR_WORDS = 2;

/** Halvings tried on a trade the pool cannot absorb within the vault's bound. */
const MAX_SHRINKS = 4;

export class QuoteMismatchError extends KeeperError {
  override name = "QuoteMismatchError";
}

export interface QuoteTradesParameters {
  runner: ContractRunner;
  chainId: number;
  vault: string;
  quoterV2: string;
  stablecoin: string;
  pools: ReadonlyMap<string, TokenPool>;
  /** In execution order: later trades through the same pool are simulated after earlier ones. */
  trades: readonly TradeIntent[];
  slippageBps: number;
  /**
   * Pool heads (by pool address) read at one block before any of our transactions: when they cover every
   * pool quoted, the quote is made at their block and reads only the ticks, not the pools again.
   */
  poolHeads?: ReadonlyMap<string, PoolHead>;
}

export interface QuoteTradesReturnType {
  quoted: QuotedTrade[];
  rejected: RejectedTrade[];
}

/**
 * Quotes each trade with the v3-sdk from the pool's state and cross-checks the first trade of each pool with
 * QuoterV2 (a static call: nothing is sent). A disagreement means the state read is not what the chain
 * executes, and is an error. minAmountOut never goes below the vault's oracle bound; a trade whose quote is
 * under that bound (pool and oracle disagree by more than the vault allows) is rejected, not sent.
 */
export async function quoteTrades({ runner, chainId, vault, quoterV2, stablecoin, pools, trades, slippageBps, poolHeads }: QuoteTradesParameters): Promise<QuoteTradesReturnType> {
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const quoter = new Contract(quoterV2, uniswapArtifacts.quoterV2.abi, runner);
  const poolOf = (t: TradeIntent) => pools.get((t.tokenIn.toLowerCase() === stablecoin.toLowerCase() ? t.tokenOut : t.tokenIn).toLowerCase());
  const usedPools = [...new Set(trades.map((t) => poolOf(t)?.pool).filter((p): p is string => p !== undefined))];
  const heads = usedPools.map((pool) => poolHeads?.get(pool));
  const known = heads.length > 0 && heads.every((h) => h !== undefined) && new Set(heads.map((h) => h!.blockNumber)).size === 1;
  const blockNumber = known ? heads[0]!.blockNumber : await runner.provider!.getBlockNumber();
  const at = { blockTag: blockNumber };

  const sdkPools = new Map<string, Pool>();
  await Promise.all(
    usedPools.map(async (pool, i) => sdkPools.set(pool, toSdkPool(await readPoolState({ runner, pool, blockTag: blockNumber, wordRadius: NEAR_WORDS, head: known ? heads[i] : undefined }), chainId))),
  );
  // The swaps simulated through each pool so far in this batch, to replay on a wider read of the pool.
  const history = new Map<string, { tokenIn: string; amountIn: bigint }[]>();
  const simulate = async (pool: string, tokenIn: string, amountIn: bigint) => {
    try {
      return await swapOnPool(sdkPools.get(pool)!, tokenIn, amountIn);
    } catch (error) {
      if (!(error instanceof TickWindowExceededError)) throw error;
      let wide = toSdkPool(await readPoolState({ runner, pool, blockTag: blockNumber }), chainId);
      for (const done of history.get(pool) ?? []) wide = (await swapOnPool(wide, done.tokenIn, done.amountIn)).poolAfter;
      sdkPools.set(pool, wide);
      return swapOnPool(wide, tokenIn, amountIn);
    }
  };
  const [oracleMins, quoterChecks] = await Promise.all([
    Promise.all(trades.map((t) => vaultContract.oracleMinAmountOut(t.tokenIn, t.tokenOut, t.amountIn, at))),
    // QuoterV2 is not a view (it reverts internally to return); staticCall simulates it.
    Promise.all(
      trades.map((t, i) => {
        const pool = poolOf(t);
        const firstInPool = pool !== undefined && trades.findIndex((u) => poolOf(u)?.pool === pool.pool) === i;
        if (!firstInPool) return null;
        return quoter.quoteExactInputSingle.staticCall({ tokenIn: t.tokenIn, tokenOut: t.tokenOut, amountIn: t.amountIn, fee: pool.fee, sqrtPriceLimitX96: 0 }, at).then((r: bigint[]) => r[0]);
      }),
    ),
  ]);

  const quoted: QuotedTrade[] = [];
  const rejected: RejectedTrade[] = [];
  for (const [i, trade] of trades.entries()) {
    const pool = poolOf(trade);
    if (pool === undefined) {
      rejected.push({ trade, reason: `no allowlisted pool for ${trade.tokenIn.toLowerCase() === stablecoin.toLowerCase() ? trade.tokenOut : trade.tokenIn} against the stablecoin` });
      continue;
    }
    let { amountOut, poolAfter } = await simulate(pool.pool, trade.tokenIn, trade.amountIn);
    const quoterOut = quoterChecks[i];
    if (quoterOut !== null && quoterOut !== amountOut) {
      throw new QuoteMismatchError("the v3-sdk and QuoterV2 disagree on a quote", {
        details: [`pool ${pool.pool}, amountIn ${trade.amountIn} of ${trade.tokenIn}`, `v3-sdk: ${amountOut}`, `QuoterV2: ${quoterOut}`],
      });
    }
    let oracleMinOut = oracleMins[i];
    let amountIn = trade.amountIn;
    // Too much for the pool within the vault's bound: try smaller sizes; what is left waits for the next round.
    for (let shrink = 0; amountOut < oracleMinOut && shrink < MAX_SHRINKS; shrink++) {
      amountIn /= 2n;
      oracleMinOut = await vaultContract.oracleMinAmountOut(trade.tokenIn, trade.tokenOut, amountIn, at);
      ({ amountOut, poolAfter } = await simulate(pool.pool, trade.tokenIn, amountIn));
    }
    if (amountOut < oracleMinOut || amountIn === 0n) {
      rejected.push({ trade, reason: `even 1/${2 ** MAX_SHRINKS} of it quotes ${amountOut}, under the vault's oracle bound ${oracleMinOut}: the pool is off the oracle, or too thin, by more than the vault's max slippage` });
      continue;
    }
    sdkPools.set(pool.pool, poolAfter);
    history.set(pool.pool, [...(history.get(pool.pool) ?? []), { tokenIn: trade.tokenIn, amountIn }]);
    const fromQuote = afterSlippage(amountOut, slippageBps);
    quoted.push({
      ...trade,
      amountIn,
      pool: pool.pool,
      fee: pool.fee,
      path: solidityPacked(["address", "uint24", "address"], [trade.tokenIn, pool.fee, trade.tokenOut]),
      quotedOut: amountOut,
      oracleMinOut,
      minAmountOut: fromQuote > oracleMinOut ? fromQuote : oracleMinOut,
    });
  }
  return { quoted, rejected };
}
