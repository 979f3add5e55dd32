import type { ContractRunner } from "ethers";
import { IndexVault__factory, OracleRouter__factory } from "../../types/ethers-contracts/index.js";
import { minAmountOutUp } from "../core/vault/navLib.js";

export interface ReadTradeFloorsParameters {
  runner: ContractRunner;
  vault: string;
  /** Every token a trade may start or end in (the stablecoin and the constituents). */
  tokens: readonly string[];
  /** Read the prices at this block (default: latest). */
  blockTag?: number;
}

/** The vault's oracle floor for any trade among `tokens`, from the oracle prices and max slippage read once. */
export type TradeFloor = (tokenIn: string, tokenOut: string, amountIn: bigint) => bigint;

/**
 * Reads the oracle's unit prices and the vault's max slippage once, and returns the floor the vault puts on a
 * trade's output (NavLib.minAmountOutUp, the same rounding): the routing plans legs that clear it.
 */
export async function readTradeFloors({ runner, vault, tokens, blockTag }: ReadTradeFloorsParameters): Promise<TradeFloor> {
  const vaultContract = IndexVault__factory.connect(vault, runner);
  const oracle = OracleRouter__factory.connect(await vaultContract.oracle(), runner);
  const maxSlippageBps = Number(await vaultContract.maxSlippageBps({ blockTag }));
  const prices = new Map<string, bigint>(await Promise.all(tokens.map(async (t) => [t.toLowerCase(), await oracle.unitPriceUsd36(t, { blockTag })] as [string, bigint])));
  const price = (token: string) => {
    const p = prices.get(token.toLowerCase());
    if (p === undefined) throw new Error(`readTradeFloors: no oracle price read for ${token}`);
    return p;
  };
  return (tokenIn, tokenOut, amountIn) => minAmountOutUp(amountIn, price(tokenIn), price(tokenOut), maxSlippageBps);
}
