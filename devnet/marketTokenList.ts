import type { TokenList } from "../keeper/data/tokenList.js";
import type { SyntheticAssetSpec } from "../keeper/data/syntheticMarket.js";
import type { Market } from "./deployMarket.js";
import type { TokenSpec } from "./tokenSpecs.js";

/** The devnet's provider id of a token: its symbol in lower case. */
export const devnetProviderId = (symbol: string): string => symbol.toLowerCase();

/** The devnet market as a Uniswap token list: how the keeper maps the synthetic market's ids to addresses. */
export function marketTokenList(market: Market): TokenList {
  return {
    name: "Open Index devnet",
    timestamp: new Date(0).toISOString(),
    version: { major: 1, minor: 0, patch: 0 },
    tokens: [
      { chainId: market.chainId, address: market.stablecoin.address, name: market.stablecoin.name, symbol: market.stablecoin.symbol, decimals: market.stablecoin.decimals, extensions: { providerId: "usd-coin" } },
      ...market.tokens.map((t) => ({ chainId: market.chainId, address: t.address, name: t.name, symbol: t.symbol, decimals: t.decimals, extensions: { providerId: devnetProviderId(t.symbol) } })),
    ],
  };
}

/**
 * The synthetic universe around the devnet: every on-chain token, plus what a real universe has and the
 * screens must drop: stablecoins, a wrapped BTC, and large assets with no token on this chain.
 */
export function devnetSyntheticAssets(market: { readonly tokens: readonly Pick<TokenSpec, "symbol" | "priceUsd" | "marketCapUsd">[] }): SyntheticAssetSpec[] {
  const btc = market.tokens[0];
  return [
    ...market.tokens.map((t) => ({ id: devnetProviderId(t.symbol), symbol: t.symbol, priceUsd: t.priceUsd, marketCapUsd: t.marketCapUsd })),
    { id: "usd-coin", symbol: "USDC", priceUsd: 1, marketCapUsd: 6e10, isStablecoin: true },
    { id: "tether", symbol: "USDT", priceUsd: 1, marketCapUsd: 1.1e11, isStablecoin: true },
    { id: "wrapped-btc", symbol: "WBTC", priceUsd: btc.priceUsd, marketCapUsd: 1e10, derivativeOf: devnetProviderId(btc.symbol) },
    { id: "offchain-1", symbol: "OFF1", priceUsd: 5, marketCapUsd: 4e10 },
    { id: "offchain-2", symbol: "OFF2", priceUsd: 0.5, marketCapUsd: 8e9 },
  ];
}
