import { z } from "zod";

/**
 * What a market asset read from a file must be (core's MarketAsset, validated): the market data file's assets
 * and, with the fields a dataset row has, the backtest dataset's rows. A price is positive; caps and volumes are
 * not negative; every number is finite (JSON.parse reads an out-of-range 1e999 as Infinity, which no snapshot can hold).
 */
export const marketAssetSchema = z.object({
  id: z.string().min(1),
  symbol: z.string().min(1),
  marketCapUsd: z.number().finite().nonnegative(),
  volume24hUsd: z.number().finite().nonnegative(),
  priceUsd: z.number().finite().positive(),
  isStablecoin: z.boolean().optional(),
  derivativeOf: z.string().optional(),
  categories: z.array(z.string().min(1)).optional(),
  medianVolume30dUsd: z.number().finite().nonnegative().optional(),
  priceLow30dUsd: z.number().finite().positive().optional(),
  priceHigh30dUsd: z.number().finite().positive().optional(),
  historyDays: z.number().int().nonnegative().optional(),
});
