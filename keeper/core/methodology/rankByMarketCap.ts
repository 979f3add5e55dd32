import { compareIds } from "./compareIds.js";

export interface RankableAsset {
  readonly id: string;
  readonly marketCapUsd: number;
}

export type RankByMarketCapReturnType<TAsset extends RankableAsset> = readonly { readonly asset: TAsset; readonly rank: number }[];

/** Ranks 1, 2, ... by market cap descending; equal caps by id so the order never depends on input order. */
export function rankByMarketCap<TAsset extends RankableAsset>(assets: readonly TAsset[]): RankByMarketCapReturnType<TAsset> {
  return [...assets]
    .sort((a, b) => b.marketCapUsd - a.marketCapUsd || compareIds(a.id, b.id))
    .map((asset, index) => ({ asset, rank: index + 1 }));
}
