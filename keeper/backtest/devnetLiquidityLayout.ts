/**
 * The devnet's liquidity layout as plain data, without a chain: devnet/deployMarket.ts and devnet/listPools.ts mint
 * it, and the backtester's liquidity model (liquidityModel.ts) is calibrated on it, so the two cannot drift. It lives
 * here because keeper/ never imports devnet/ (the devnet imports the keeper).
 */

/**
 * How the devnet spreads liquidity. `default`: one V3 pool per token against the stablecoin. `realistic` (the
 * execution benchmark's market), cycling over the ranks in tenths: 1 direct (today's stablecoin pool), 2 split
 * across two V3 fee tiers against the stablecoin (60/40), 2 with a V2 pair against WETH holding 30 % beside the
 * V3 stablecoin pool, 4 only against WETH, 1 thin (a 1 % WETH pool of at most $2M, well under $1M within 2 %);
 * WETH/USDC is a $300M 0.05 % pool.
 */
export type LiquidityLayout = "default" | "realistic";
export type TokenLayout = "direct" | "two-tiers" | "v2-share" | "weth-only" | "thin";

/**
 * Share of a V3 pool's liquidity value per range: mostly full range, so that depth survives the price moving
 * away from where the pool was seeded (nobody re-centres positions on the devnet), plus +-10 % and +-3 % bands
 * that put initialized ticks near the price.
 */
export const V3_LIQUIDITY_LAYOUT: readonly { band: number | null; share: number }[] = [
  { band: null, share: 0.7 },
  { band: 0.1, share: 0.2 },
  { band: 0.03, share: 0.1 },
];

/**
 * The size and fee tier of a token's liquidity on the devnet (devnet/tokenSpecs.ts): worth 0.2 % of its market cap, at
 * least $4M and at most $400M; fee tier 0.05 % for the two largest tokens, 0.3 % down to rank 30, 1 % below.
 */
export const DEVNET_LIQUIDITY = Object.freeze({
  liquidityShareOfMarketCap: 2e-3,
  minLiquidityUsd: 4e6,
  maxLiquidityUsd: 400e6,
  layout: V3_LIQUIDITY_LAYOUT,
  feeTiers: [
    { maxRank: 2, feePips: 500 },
    { maxRank: 30, feePips: 3000 },
    { maxRank: Infinity, feePips: 10_000 },
  ] as const,
});

/** The USD value of the liquidity the devnet mints for a token of this market cap. */
export function devnetLiquidityUsd(marketCapUsd: number): number {
  return Math.min(DEVNET_LIQUIDITY.maxLiquidityUsd, Math.max(DEVNET_LIQUIDITY.minLiquidityUsd, marketCapUsd * DEVNET_LIQUIDITY.liquidityShareOfMarketCap));
}

/** The fee tier of the devnet's pool for the token of this rank (1 = largest). */
export function devnetFeeTier(rank: number): 500 | 3000 | 10000 {
  return DEVNET_LIQUIDITY.feeTiers.find((t) => rank <= t.maxRank)!.feePips;
}

/** The realistic layout's pattern over ranks, in tenths (see LiquidityLayout). */
const REALISTIC_PATTERN: readonly TokenLayout[] = ["direct", "two-tiers", "v2-share", "weth-only", "weth-only", "two-tiers", "v2-share", "weth-only", "weth-only", "thin"];
export const WETH_PRICE_USD = 3_000;
/** The realistic layout's WETH/stablecoin V3 pool: its liquidity (laid out as V3_LIQUIDITY_LAYOUT) and fee tier. */
export const WETH_USDC_LIQUIDITY_USD = 300e6;
export const WETH_USDC_FEE = 500;
const THIN_LIQUIDITY_USD = 2e6;

/** The layout of the token at 0-based position `index` (its rank - 1) in the realistic market. */
export function realisticTokenLayout(index: number): TokenLayout {
  return REALISTIC_PATTERN[index % REALISTIC_PATTERN.length];
}

export interface VenuePlan {
  protocol: "v3" | "v2";
  quote: "stable" | "weth";
  fee: number;
  liquidityUsd: number;
}

/** The pools and pairs a token of `layout` gets, its whole liquidity `liquidityUsd` (pool fee tier `fee`) split between them. */
export function venuePlan(layout: TokenLayout, { fee, liquidityUsd }: { fee: number; liquidityUsd: number }): VenuePlan[] {
  const total = liquidityUsd;
  switch (layout) {
    case "direct":
      return [{ protocol: "v3", quote: "stable", fee, liquidityUsd: total }];
    case "two-tiers":
      return [
        { protocol: "v3", quote: "stable", fee, liquidityUsd: total * 0.6 },
        { protocol: "v3", quote: "stable", fee: fee === 3000 ? 10000 : 3000, liquidityUsd: total * 0.4 },
      ];
    case "v2-share":
      return [
        { protocol: "v3", quote: "stable", fee, liquidityUsd: total * 0.7 },
        { protocol: "v2", quote: "weth", fee: 3000, liquidityUsd: total * 0.3 },
      ];
    case "weth-only":
      return [{ protocol: "v3", quote: "weth", fee, liquidityUsd: total }];
    case "thin":
      return [{ protocol: "v3", quote: "weth", fee: 10000, liquidityUsd: Math.min(total, THIN_LIQUIDITY_USD) }];
  }
}
