import { seededRandom } from "../keeper/data/seededRandom.js";
import type { SyntheticAssetSpec } from "../keeper/data/syntheticMarket.js";
import { devnetProviderId, devnetSyntheticAssets } from "./marketTokenList.js";
import { defaultTokenSpecs } from "./tokenSpecs.js";

export interface BacktestSyntheticAssets {
  readonly assets: SyntheticAssetSpec[];
  /** Ids with a pool: every token the devnet would deploy (and, past 100, every further token). */
  readonly registry: string[];
  readonly decimals: Map<string, number>;
}

/**
 * The synthetic universe `npm start` uses for the same seed and token count (the devnet's tokens and the
 * assets the screens must drop), so a backtest and a season see the same market. Past the devnet's 100 tokens
 * the same power law of market caps continues, seeded separately so the first 100 do not change.
 */
export function backtestSyntheticAssets(tokens: number, seed: number): BacktestSyntheticAssets {
  const devnet = defaultTokenSpecs({ count: Math.min(tokens, 100), seed });
  const random = seededRandom(seed ^ 0xb4c7);
  const extra = Array.from({ length: Math.max(0, tokens - 100) }, (_, i) => {
    const rank = 101 + i;
    return {
      symbol: `TK${String(rank).padStart(4, "0")}`,
      priceUsd: Number((10 ** (-2 + 5 * random.next())).toPrecision(6)),
      marketCapUsd: 1.5e11 * rank ** -1.3 * (0.8 + 0.4 * random.next()),
      decimals: 18,
    };
  });
  const onChain = [...devnet, ...extra];
  return {
    assets: devnetSyntheticAssets({ tokens: onChain }),
    registry: onChain.map((t) => devnetProviderId(t.symbol)),
    decimals: new Map(onChain.map((t) => [devnetProviderId(t.symbol), t.decimals])),
  };
}
