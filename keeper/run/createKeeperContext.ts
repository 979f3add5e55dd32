import { Contract, type Provider, type Signer } from "ethers";
import { uniswapArtifacts } from "../chain/uniswapArtifacts.js";
import { IndexVault__factory, SwapRouter02Adapter__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";
import { KeeperError } from "../core/index.js";
import type { RegimeSource } from "../core/index.js";
import { createTxSender } from "../chain/createTxSender.js";
import type { MarketDataProvider } from "../data/types.js";
import type { TokenList } from "../data/tokenList.js";
import { silentLogger, type Logger } from "../log.js";
import type { KeeperContext, KeeperRouting, KeeperSettings } from "./context.js";
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
  /** A SwapRouter02Adapter allowlisted on the vault: the keeper then routes its trades through it. */
  swapRouter02Adapter?: string;
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

/** Builds the keeper's context: reads the chain id, the vault's deployment block and the adapters' Uniswap factories, sets up the sender. */
export async function createKeeperContext(params: CreateKeeperContextParameters): Promise<KeeperContext> {
  const { provider, signer } = params;
  const chainId = Number((await provider.getNetwork()).chainId);
  const factory = await UniswapV3Adapter__factory.connect(params.adapter, provider).factory();
  const routing = params.swapRouter02Adapter === undefined ? undefined : await readRouting(params.swapRouter02Adapter, provider);
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
    routing,
    tokenList: params.tokenList,
    data: params.data,
    regimeSource: params.regimeSource,
    settings: { ...DEFAULT_KEEPER_SETTINGS, ...params.settings },
    log: params.log ?? silentLogger,
    checkpoint: params.checkpoint,
  };
}

/** The router's factories and WETH, read from the SwapRouter02 adapter and its router. */
async function readRouting(adapter: string, provider: Provider): Promise<KeeperRouting> {
  const contract = SwapRouter02Adapter__factory.connect(adapter, provider);
  const [factoryV3, factoryV2, router] = await Promise.all([contract.factoryV3(), contract.factoryV2(), contract.router()]);
  const weth: string = await new Contract(router, uniswapArtifacts.swapRouter02.abi, provider).WETH9();
  return { adapter, factoryV3, factoryV2, connectors: [weth] };
}
