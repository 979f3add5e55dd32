import { startOfDay } from "../schedule/schedule.js";
import type { OracleClose } from "./types.js";

export interface OracleCloseOfParameters {
  /** The block's timestamp, in seconds: its UTC day is the close's. */
  readonly timestampSeconds: number;
  readonly stablecoinDecimals: number;
  readonly assets: readonly { readonly address: string }[];
  /** Address -> priceAsset18 (the vault's oracle prices); an asset without a positive price is left out. */
  readonly pricesAsset18: ReadonlyMap<string, bigint>;
}

/** The vault's oracle prices as the day's close, in USD by lower-case address (the stablecoin taken at $1). */
export function oracleCloseOf({ timestampSeconds, stablecoinDecimals, assets, pricesAsset18 }: OracleCloseOfParameters): OracleClose {
  const unit = 10 ** stablecoinDecimals;
  const pricesUsd: Record<string, number> = {};
  for (const asset of assets) {
    const price = pricesAsset18.get(asset.address);
    if (price !== undefined && price > 0n) pricesUsd[asset.address.toLowerCase()] = Number(price) / 1e18 / unit;
  }
  return { asOf: startOfDay(new Date(timestampSeconds * 1000)).toISOString(), pricesUsd };
}
