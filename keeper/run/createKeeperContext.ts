import type { Provider, Signer } from "ethers";
import { IndexVault__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import type { RegimeSource } from "../core/index.js";
import { createTxSender } from "../chain/createTxSender.js";
import type { MarketDataProvider } from "../data/types.js";
import type { TokenList } from "../data/tokenList.js";
import { silentLogger, type Logger } from "../log.js";
import type { KeeperContext, KeeperSettings } from "./context.js";
import { DEFAULT_KEEPER_SETTINGS } from "./defaultKeeperSettings.js";

export { DEFAULT_KEEPER_SETTINGS };

export interface CreateKeeperContextParameters {
  provider: Provider;
  signer?: Signer;
  /** Broadcasts signed transactions (a private-order-flow endpoint); default: `provider`. */
  sendProvider?: Provider;
  vault: string;
  /** The vault's IndexQueue, if it has one. */
  queue?: string;
  adapter: string;
  quoterV2: string;
  tokenList: TokenList;
  data: MarketDataProvider;
  regimeSource?: RegimeSource;
  settings?: Partial<KeeperSettings>;
  maxFeePerGasWei?: bigint;
  maxPriorityFeePerGasWei?: bigint;
  confirmations?: number;
  log?: Logger;
  checkpoint?: KeeperContext["checkpoint"];
}

/** Builds the keeper's context: reads the chain id, the vault's deployment block and the adapter's Uniswap factory, sets up the sender. */
export async function createKeeperContext(params: CreateKeeperContextParameters): Promise<KeeperContext> {
  const { provider, signer } = params;
  const chainId = Number((await provider.getNetwork()).chainId);
  const factory = await UniswapV3Adapter__factory.connect(params.adapter, provider).factory();
  const deploymentBlock = Number(await IndexVault__factory.connect(params.vault, provider).deploymentBlock());
  const deployedIn = await provider.getBlock(deploymentBlock);
  if (deployedIn?.hash == null) throw new KeeperError(`the node has no block ${deploymentBlock}, where the vault ${params.vault} was deployed`);
  const sender =
    signer === undefined
      ? undefined
      : await createTxSender({
          signer,
          provider,
          sendProvider: params.sendProvider,
          maxFeePerGasWei: params.maxFeePerGasWei,
          maxPriorityFeePerGasWei: params.maxPriorityFeePerGasWei,
          confirmations: params.confirmations,
        });
  return {
    provider,
    signer,
    sender,
    chainId,
    vault: params.vault,
    queue: params.queue,
    vaultDeployment: { block: deploymentBlock, blockHash: deployedIn.hash },
    adapter: params.adapter,
    quoterV2: params.quoterV2,
    factory,
    tokenList: params.tokenList,
    data: params.data,
    regimeSource: params.regimeSource,
    settings: { ...DEFAULT_KEEPER_SETTINGS, ...params.settings },
    log: params.log ?? silentLogger,
    checkpoint: params.checkpoint,
  };
}
