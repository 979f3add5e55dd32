import type { Market } from "../scripts/devnet/deployMarket.js";
import { DEVNET_VAULT_SETTINGS } from "../scripts/devnet/deployVault.js";
import { parseNetworkParameters, type NetworkParameters } from "./networkParameters.js";

export interface DevnetParametersOptions {
  market: Market;
  /** The proposer: the devnet's deployer, as scripts/devnet/deployVault.ts does. */
  proposer: string;
  keeper: string;
  guardian: string;
  feeRecipient: string;
  /** Ignition journal key; a fresh node reuses every address, so the caller keys it by the node's genesis. */
  deploymentId?: string;
}

/** Chainlink bounds as the devnet uses them: 1/100x to 100x the price at registration (8 decimals). */
const BOUND_FACTOR = 100n;

/**
 * The network parameters of the local market in devnet.json (what `npm run devnet` writes): the same
 * settings as scripts/devnet/deployVault.ts, so an Ignition deployment there equals the devnet fixture's.
 */
export function devnetParameters({ market, proposer, keeper, guardian, feeRecipient, deploymentId = "index-vault-devnet" }: DevnetParametersOptions): NetworkParameters {
  const s = DEVNET_VAULT_SETTINGS;
  const feed = (address: string, priceUsd: number) => {
    const answer = BigInt(Math.round(priceUsd * 10 ** market.feedDecimals));
    const minAnswer = answer / BOUND_FACTOR > 0n ? answer / BOUND_FACTOR : 1n;
    return { kind: "chainlink", feed: address, heartbeatSeconds: s.heartbeatSeconds, minAnswer: String(minAnswer), maxAnswer: String(answer * BOUND_FACTOR) };
  };
  return parseNetworkParameters(
    {
      network: "devnet",
      chainId: market.chainId,
      deploymentId,
      uniswapV3: { factory: market.factory, swapRouter: market.swapRouter, quoterV2: market.quoterV2 },
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
      stablecoin: { symbol: market.stablecoin.symbol, address: market.stablecoin.address, decimals: market.stablecoin.decimals, source: feed(market.stablecoin.feed, 1) },
      tokens: market.tokens.map((t) => ({
        symbol: t.symbol,
        providerId: t.symbol.toLowerCase(),
        address: t.address,
        decimals: t.decimals,
        maxWeightBps: s.maxWeightBps,
        source: feed(t.feed, t.priceUsd),
        pools: [{ fee: t.fee, address: t.pool }],
      })),
    },
    "devnet parameters",
  );
}
