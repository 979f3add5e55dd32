import type { Provider, Signer } from "ethers";
import { DEFAULT_REGIME_CONFIG, type MethodologyConfigV2, type PlannerConfig, type RegimeConfig } from "../keeper/core/index.js";
import type { MarketDataProvider } from "../keeper/data/types.js";
import type { Logger } from "../keeper/log.js";
import type { KeeperContext } from "../keeper/run/context.js";
import { createKeeperContext } from "../keeper/run/createKeeperContext.js";
import { DEFAULT_DUST_USD, DEFAULT_KEEPER_SETTINGS } from "../keeper/run/defaultKeeperSettings.js";
import type { Market } from "./deployMarket.js";
import type { VaultDeployment } from "./deployVault.js";
import { marketTokenList } from "./marketTokenList.js";

export interface CreateDevnetKeeperContextParameters {
  provider: Provider;
  keeper: Signer;
  market: Market;
  deployment: VaultDeployment;
  data: MarketDataProvider;
  /** N: constituents of the index. */
  constituentCount: number;
  snapshotDir: string;
  planner?: Partial<PlannerConfig>;
  regime?: Partial<RegimeConfig>;
  /** Over the keeper's methodology (e.g. `minOnChainDepthUsd: 0`, the depth screen off). */
  methodology?: Partial<MethodologyConfigV2>;
  log?: Logger;
  checkpoint?: KeeperContext["checkpoint"];
}

/** The keeper on a devnet deployment: the keeper's methodology (depth screen included) with N constituents, the keeper's default dust. */
export function createDevnetKeeperContext({ provider, keeper, market, deployment, data, constituentCount, snapshotDir, planner, regime, methodology, log, checkpoint }: CreateDevnetKeeperContextParameters): Promise<KeeperContext> {
  return createKeeperContext({
    provider,
    signer: keeper,
    vault: deployment.vault,
    adapter: deployment.adapter,
    // Routed where liquidity is spread across venues and WETH (the realistic layout), as it would be on an L2; the
    // default layout's one pool per token keeps the direct path the season and most tests measure.
    swapRouter02Adapter: market.liquidity === "realistic" ? deployment.swapRouter02Adapter : undefined,
    quoterV2: market.quoterV2,
    tokenList: marketTokenList(market),
    data,
    log,
    checkpoint,
    settings: {
      methodology: { ...DEFAULT_KEEPER_SETTINGS.methodology, constituentCount, ...methodology },
      planner: { dustAsset: BigInt(DEFAULT_DUST_USD) * 10n ** BigInt(market.stablecoin.decimals), ...planner },
      regime: { ...DEFAULT_REGIME_CONFIG, ...regime },
      snapshotDir,
    },
  });
}
