import type { Market } from "../devnet/deployMarket.js";
import { DEVNET_VAULT_SETTINGS } from "../devnet/deployVault.js";
import { parseNetworkParameters, type NetworkParameters } from "./networkParameters.js";

export interface DevnetParametersOptions {
  market: Market;
  /** The proposer: the devnet's deployer, as devnet/deployVault.ts does. */
  proposer: string;
  keeper: string;
  guardian: string;
  feeRecipient: string;
  /** Ignition journal key; a fresh node reuses every address, so the caller keys it by the node's genesis. */
  deploymentId?: string;
}

/** Chainlink bounds as the devnet uses them: 1/100x to 100x a constituent's price at registration. */
const BOUND_FACTOR = 100n;
/** The stablecoin's: +-3% around $1, outside which deposits and cash exits stop (a depeg inside shows in NAV). */
const STABLECOIN_BOUND_BPS = 300n;

/**
 * The network parameters of the local market in devnet.json (what `npm run devnet` writes): the same
 * settings as devnet/deployVault.ts, so an Ignition deployment there equals the devnet fixture's;
 * test/deploy/agreement.test.ts deploys both on one market and compares them setting by setting.
 */
export function devnetParameters({ market, proposer, keeper, guardian, feeRecipient, deploymentId = "index-vault-devnet" }: DevnetParametersOptions): NetworkParameters {
  const s = DEVNET_VAULT_SETTINGS;
  const source = (address: string, minAnswer: bigint, maxAnswer: bigint) => ({ kind: "chainlink", feed: address, heartbeatSeconds: s.heartbeatSeconds, minAnswer: String(minAnswer), maxAnswer: String(maxAnswer) });
  const feed = (address: string, priceUsd: number) => {
    const answer = BigInt(Math.round(priceUsd * 10 ** market.feedDecimals));
    return source(address, answer / BOUND_FACTOR > 0n ? answer / BOUND_FACTOR : 1n, answer * BOUND_FACTOR);
  };
  const one = 10n ** BigInt(market.feedDecimals);
  return parseNetworkParameters(
    {
      network: "devnet",
      chainId: market.chainId,
      deploymentId,
      uniswapV3: { factory: market.factory, quoterV2: market.quoterV2 },
      swapRouter02: { router: market.swapRouter02, factoryV2: market.factoryV2, weth: market.weth9 },
      timelock: { delaySeconds: s.timelockDelaySeconds, proposers: [proposer], executors: [] },
      roles: { keeper, guardian, feeRecipient },
      vault: {
        name: "Open Index Vault",
        symbol: "OIV",
        entryFeeBps: s.entryFeeBps,
        exitFeeBps: s.exitFeeBps,
        managementFeeBps: s.managementFeeBps,
        maxSlippageBps: s.maxSlippageBps,
        lossBudgetBps: s.lossBudgetBps,
        lossBudgetWindowSeconds: s.lossBudgetWindowSeconds,
      },
      stablecoin: { symbol: market.stablecoin.symbol, address: market.stablecoin.address, decimals: market.stablecoin.decimals, source: source(market.stablecoin.feed, (one * (10_000n - STABLECOIN_BOUND_BPS)) / 10_000n, (one * (10_000n + STABLECOIN_BOUND_BPS)) / 10_000n) },
      tokens: market.tokens.map((t) => ({
        symbol: t.symbol,
        providerId: t.symbol.toLowerCase(),
        address: t.address,
        decimals: t.decimals,
        maxWeightBps: s.maxWeightBps,
        source: feed(t.feed, t.priceUsd),
        pools: t.venues.map((v) => ({ protocol: v.protocol, fee: v.fee, address: v.pool, ...(v.quote === market.stablecoin.address ? {} : { pairedWith: v.quote }) })),
      })),
      // The realistic layout routes through WETH: priced, its USDC pool allowlisted, never registered.
      queue: { firstWindowStart: new Date(s.queueFirstWindowStart * 1000).toISOString().replace(".000Z", "Z"), windowSeconds: s.queueWindowSeconds, graceSeconds: s.queueGraceSeconds },
      connectors: market.weth === undefined ? [] : [{ symbol: "WETH", address: market.weth9, source: feed(market.weth.feed, market.weth.priceUsd), pools: [{ fee: market.weth.fee, address: market.weth.pool }] }],
    },
    "devnet parameters",
  );
}
