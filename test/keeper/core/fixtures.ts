import type { MarketAsset } from "../../../keeper/core/index.js";

/** mulberry32: a seeded generator so "random" cases replay identically on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Id of the asset at `rank` in rankedAssets: zero-padded so id order equals rank order. */
export function idAtRank(rank: number): string {
  return `asset-${String(rank).padStart(4, "0")}`;
}

/** `count` registered assets whose market caps fall with rank, so asset-0001 ranks 1 and so on. */
export function rankedAssets(count: number): MarketAsset[] {
  return Array.from({ length: count }, (_, index) => ({
    id: idAtRank(index + 1),
    symbol: `A${index + 1}`,
    marketCapUsd: 1_000_000_000 * (count - index),
    volume24hUsd: 10_000_000,
    priceUsd: 1,
  }));
}

export function ranks(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, index) => idAtRank(from + index));
}
