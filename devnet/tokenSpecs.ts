import { devnetFeeTier, devnetLiquidityUsd } from "../keeper/backtest/devnetLiquidityLayout.js";
import { seededRandom } from "../keeper/data/seededRandom.js";

/** Fee tiers the devnet uses; each maps to Uniswap V3's standard tick spacing. */
export type FeeTier = 500 | 3000 | 10000;

/** One constituent token of the local market and its pool against the stablecoin. */
export interface TokenSpec {
  symbol: string;
  name: string;
  decimals: number;
  /** Initial price in USD. */
  priceUsd: number;
  /** Initial market capitalisation in USD (it ranks the token; the supply on-chain is irrelevant). */
  marketCapUsd: number;
  fee: FeeTier;
  /** USD value of the liquidity minted into the pool, spread over a full range and two bands. */
  liquidityUsd: number;
}

export interface DefaultTokenSpecsParameters {
  count: number;
  seed?: number;
}

/**
 * A realistic-looking list of `count` constituents: a BTC-like token (8 decimals) and an ETH-like one first,
 * then synthetic tokens whose market caps fall off by a power law, with prices across five orders of
 * magnitude, a few 6-decimal tokens, the fee tier falling with size and pool depth growing with market cap.
 */
export function defaultTokenSpecs({ count, seed = 1 }: DefaultTokenSpecsParameters): TokenSpec[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new RangeError(`token count must be an integer from 1 to 100, got ${count}`);
  }
  const random = seededRandom(seed);
  const specs: TokenSpec[] = [];
  for (let i = 0; i < count; i++) {
    const rank = i + 1;
    if (rank === 1) {
      specs.push(spec("BTC", "Bitcoin-like", 8, 60_000, 1.2e12, devnetFeeTier(rank)));
    } else if (rank === 2) {
      specs.push(spec("ETH", "Ether-like", 18, 3_000, 3.6e11, devnetFeeTier(rank)));
    } else {
      const marketCapUsd = 1.5e11 * rank ** -1.3 * (0.8 + 0.4 * random.next());
      const priceUsd = Number((10 ** (-2 + 5 * random.next())).toPrecision(6));
      const decimals = rank % 7 === 0 ? 6 : 18;
      const symbol = `TK${String(rank).padStart(3, "0")}`;
      specs.push(spec(symbol, `Token ${rank}`, decimals, priceUsd, marketCapUsd, devnetFeeTier(rank)));
    }
  }
  return specs;
}

function spec(symbol: string, name: string, decimals: number, priceUsd: number, marketCapUsd: number, fee: FeeTier): TokenSpec {
  const liquidityUsd = devnetLiquidityUsd(marketCapUsd);
  return { symbol, name, decimals, priceUsd, marketCapUsd, fee, liquidityUsd };
}
