import { InvalidInputError } from "../core/index.js";
import type { GasModel } from "./types.js";

export interface GasModelFromBenchParameters {
  /** bench/gas.json as parsed JSON. */
  readonly bench: Readonly<Record<string, unknown>>;
  readonly gasPriceGwei: number;
  readonly nativeUsd: number;
  readonly txGasBudget?: number;
}

/**
 * Gas per trade and per batch from what `npm run bench:gas` measured on the real devnet market: a trade costs
 * (batch of N trades - its fixed part) / N at N = 100, a batch's fixed part and a commit grow with the
 * constituents (measured at 10, 50 and 100).
 */
export function gasModelFromBench({ bench, gasPriceGwei, nativeUsd, txGasBudget = 15_000_000 }: GasModelFromBenchParameters): GasModel {
  const read = (key: string): number => {
    const value = bench[key];
    if (typeof value !== "number" || !(value > 0)) throw new InvalidInputError("bench/gas.json lacks a gas figure the backtest needs.", { details: `${key}: ${String(value)}` });
    return value;
  };
  if (!(Number.isFinite(gasPriceGwei) && gasPriceGwei >= 0)) throw new InvalidInputError("Gas price must be finite and non-negative.", { details: `gasPriceGwei: ${gasPriceGwei}` });
  if (!(Number.isFinite(nativeUsd) && nativeUsd > 0)) throw new InvalidInputError("Native token price must be positive.", { details: `nativeUsd: ${nativeUsd}` });
  const sizes = [10, 50, 100] as const;
  return {
    gasPerTrade: Math.round((read("batch_100_trades_gas") - read("batch_fixed_gas_100")) / 100),
    batchFixedGas: sizes.map((n) => [n, read(`batch_fixed_gas_${n}`)] as const),
    commitGas: sizes.map((n) => [n, read(`commit_gas_${n}`)] as const),
    txGasBudget,
    gasPriceGwei,
    nativeUsd,
    source: "bench/gas.json",
  };
}

/** Linear between the measured sizes, and along the last segment beyond them. */
export function interpolateGas(points: GasModel["batchFixedGas"], tokens: number): number {
  let i = 0;
  while (i < points.length - 2 && tokens > points[i + 1]![0]) i++;
  const [x0, y0] = points[i]!;
  const [x1, y1] = points[i + 1]!;
  return Math.max(0, y0 + ((y1 - y0) * (tokens - x0)) / (x1 - x0));
}

/** Gas of one side of a rebalance (sells or buys): as many batches as the per-transaction budget needs. */
export function sideGas(gas: GasModel, trades: number, registeredTokens: number): number {
  if (trades === 0) return 0;
  const fixed = interpolateGas(gas.batchFixedGas, registeredTokens);
  const perTx = Math.max(1, Math.floor((gas.txGasBudget - fixed) / gas.gasPerTrade));
  return Math.ceil(trades / perTx) * fixed + trades * gas.gasPerTrade;
}

export function gasUsd(gas: GasModel, units: number): number {
  return units * gas.gasPriceGwei * 1e-9 * gas.nativeUsd;
}
