import { readFile } from "node:fs/promises";
import { Wallet, type Provider, type Signer } from "ethers";
import { DEFAULT_REGIME_CONFIG, KeeperError, startOfDay } from "../core/index.js";
import { DEFAULT_KEEPER_SETTINGS } from "../run/defaultKeeperSettings.js";
import { IndexQueue__factory, IndexVault__factory, SwapRouter02Adapter__factory, UniswapV3Adapter__factory, type IndexVault } from "../../types/ethers-contracts/index.js";
import { createJsonRpcProvider } from "../chain/createJsonRpcProvider.js";
import { erc20 } from "../chain/erc20.js";
import { createCoinGeckoProvider } from "../data/coinGeckoProvider.js";
import { createFileProvider, MarketDataFileError } from "../data/fileProvider.js";
import { SyntheticMarket } from "../data/syntheticMarket.js";
import { createTokenMetricsRegimeSource } from "../data/tokenMetricsRegimeSource.js";
import type { TokenList } from "../data/tokenList.js";
import { readJsonInput } from "./readJsonInput.js";
import { readTokenList } from "./readTokenList.js";
import type { MarketDataProvider } from "../data/types.js";
import type { Logger } from "../log.js";
import { ConfigError, type KeeperConfig } from "../config.js";
import { createKeeperContext } from "../run/createKeeperContext.js";
import type { KeeperContext } from "../run/context.js";

/** Builds the keeper's context from its validated configuration: providers, signer, data, settings. */
export async function contextFromConfig(config: KeeperConfig, log: Logger, { needsSigner }: { needsSigner: boolean }): Promise<KeeperContext> {
  const provider = createJsonRpcProvider({ url: config.KEEPER_RPC_URL });
  let chainId: number;
  try {
    chainId = Number((await provider.getNetwork()).chainId);
  } catch (cause) {
    // One line: the reason in brackets, not a "Caused by" line under it.
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message?.split("\n")[0];
    throw new KeeperError(`cannot reach the chain at KEEPER_RPC_URL=${config.KEEPER_RPC_URL} (${reason})`);
  }
  const sendProvider = config.KEEPER_SEND_RPC_URL === undefined ? undefined : createJsonRpcProvider({ url: config.KEEPER_SEND_RPC_URL, chainId });
  const signer = needsSigner ? await loadSigner(config, provider) : undefined;
  const tokenList = await readTokenList(config.KEEPER_TOKEN_LIST, chainId, "KEEPER_TOKEN_LIST");
  const vault = IndexVault__factory.connect(config.KEEPER_VAULT, provider);
  // Dust is configured in USD; the planner wants the stablecoin's raw units.
  let stableDecimals: number;
  let stablecoin: string;
  try {
    stablecoin = await vault.asset();
    stableDecimals = Number(await erc20(stablecoin, provider).decimals());
  } catch (cause) {
    throw new ConfigError(`KEEPER_VAULT=${config.KEEPER_VAULT} is not an index vault on chain ${chainId}`, { cause });
  }
  await checkHeldTokensListed(vault, stablecoin, tokenList, config.KEEPER_TOKEN_LIST);
  // Before anything is published or sent: a key the vault does not accept would fail at the first transaction.
  if (signer !== undefined) {
    const account = await signer.getAddress();
    if (!(await vault.hasRole(await vault.KEEPER_ROLE(), account))) {
      throw new ConfigError(`${config.KEEPER_KEYSTORE === undefined ? "KEEPER_PRIVATE_KEY" : `KEEPER_KEYSTORE=${config.KEEPER_KEYSTORE}`}: account ${account} does not hold KEEPER_ROLE on the vault ${config.KEEPER_VAULT} (chain ${chainId}); nothing was sent`);
    }
  }
  if (config.KEEPER_QUEUE !== undefined) await checkQueueOfVault(config.KEEPER_QUEUE, config.KEEPER_VAULT, provider, chainId);
  try {
    await UniswapV3Adapter__factory.connect(config.KEEPER_ADAPTER, provider).factory();
  } catch (cause) {
    throw new ConfigError(`KEEPER_ADAPTER=${config.KEEPER_ADAPTER} is not a Uniswap V3 adapter on chain ${chainId}`, { cause });
  }
  if (config.KEEPER_SWAP_ROUTER02_ADAPTER !== undefined) {
    const routerAdapter = SwapRouter02Adapter__factory.connect(config.KEEPER_SWAP_ROUTER02_ADAPTER, provider);
    let allowed: boolean;
    try {
      await routerAdapter.factoryV2();
      allowed = await vault.isAdapterAllowed(config.KEEPER_SWAP_ROUTER02_ADAPTER);
    } catch (cause) {
      throw new ConfigError(`KEEPER_SWAP_ROUTER02_ADAPTER=${config.KEEPER_SWAP_ROUTER02_ADAPTER} is not a SwapRouter02 adapter on chain ${chainId}`, { cause });
    }
    if (!allowed) throw new ConfigError(`KEEPER_SWAP_ROUTER02_ADAPTER=${config.KEEPER_SWAP_ROUTER02_ADAPTER} is not allowlisted on the vault ${config.KEEPER_VAULT}: its trades would revert`);
  }
  const gwei = (value: number | undefined) => (value === undefined ? undefined : BigInt(Math.round(value * 1e9)));
  return createKeeperContext({
    provider,
    signer,
    sendProvider,
    vault: config.KEEPER_VAULT,
    queue: config.KEEPER_QUEUE,
    adapter: config.KEEPER_ADAPTER,
    swapRouter02Adapter: config.KEEPER_SWAP_ROUTER02_ADAPTER,
    quoterV2: config.KEEPER_QUOTER_V2,
    tokenList,
    data: await dataProvider(config),
    regimeSource: config.KEEPER_REGIME_SOURCE === "token-metrics" ? createTokenMetricsRegimeSource({ apiKey: config.TOKEN_METRICS_API_KEY!, maxAgeDays: config.TOKEN_METRICS_MAX_AGE_DAYS }) : undefined,
    maxFeePerGasWei: gwei(config.KEEPER_MAX_FEE_GWEI),
    maxPriorityFeePerGasWei: gwei(config.KEEPER_MAX_PRIORITY_FEE_GWEI),
    confirmations: config.KEEPER_CONFIRMATIONS,
    log,
    settings: {
      methodology: {
        ...DEFAULT_KEEPER_SETTINGS.methodology,
        constituentCount: config.KEEPER_CONSTITUENTS,
        bufferFraction: config.KEEPER_BUFFER,
        capFraction: config.KEEPER_CAP ?? null,
        minMarketCapUsd: config.KEEPER_MIN_MARKET_CAP_USD,
        minVolumeUsd: config.KEEPER_MIN_VOLUME_USD,
        minMedianVolume30dUsd: config.KEEPER_MIN_MEDIAN_VOLUME_USD,
        minHistoryDays: config.KEEPER_MIN_HISTORY_DAYS,
        unclassified: config.KEEPER_UNCLASSIFIED,
        tieredCaps:
          config.KEEPER_CAP_LARGEST === "none"
            ? null
            : { largestCount: config.KEEPER_CAP_LARGEST_COUNT, largestCapFraction: config.KEEPER_CAP_LARGEST, otherCapFraction: config.KEEPER_CAP_OTHERS },
        maxCategoryChangeFraction: config.KEEPER_MAX_CATEGORY_CHANGE,
      },
      regime: {
        ...DEFAULT_REGIME_CONFIG,
        window: config.KEEPER_REGIME_WINDOW,
        bandSigmas: config.KEEPER_REGIME_BAND_SIGMAS,
        evidenceSigmaDays: config.KEEPER_REGIME_EVIDENCE_SIGMA_DAYS,
        volatilityWindow: config.KEEPER_REGIME_VOLATILITY_WINDOW,
        minDailyVolatilityBps: config.KEEPER_REGIME_MIN_DAILY_VOLATILITY_BPS,
        confirmations: config.KEEPER_REGIME_CONFIRMATIONS,
        minBreadthSample: config.KEEPER_REGIME_MIN_BREADTH_SAMPLE,
        minDwellDays: config.KEEPER_REGIME_MIN_DWELL_DAYS,
        minCoverageBps: config.KEEPER_REGIME_MIN_COVERAGE_BPS,
        maxDataAgeDays: config.KEEPER_REGIME_MAX_DATA_AGE_DAYS,
      },
      regimeUniverseSize: config.KEEPER_REGIME_UNIVERSE,
      planner: {
        cashBufferBps: config.KEEPER_CASH_BUFFER_BPS,
        maxImpactBps: config.KEEPER_MAX_IMPACT_BPS,
        dustAsset: BigInt(Math.round(config.KEEPER_DUST_USD * 10 ** stableDecimals)),
      },
      minTradeBpsOfNav: config.KEEPER_MIN_TRADE_BPS,
      maxGasCostBps: config.KEEPER_MAX_GAS_COST_BPS,
      nativePriceUsd: config.KEEPER_NATIVE_PRICE_USD,
      slippageBps: config.KEEPER_SLIPPAGE_BPS,
      txGasBudget: BigInt(config.KEEPER_TX_GAS_LIMIT),
      universeSize: config.KEEPER_UNIVERSE_SIZE,
      maxGapSnapshots: config.KEEPER_MAX_GAP_SNAPSHOTS,
      maxSnapshotAgeDays: config.KEEPER_OUTAGE_MAX_SNAPSHOT_AGE_DAYS,
      snapshotDir: config.KEEPER_SNAPSHOT_DIR,
    },
  });
}

/** A queue the keeper settles must issue this vault's shares: a wrong address would settle someone else's queue. */
async function checkQueueOfVault(queue: string, vault: string, provider: Provider, chainId: number): Promise<void> {
  let share: string;
  try {
    share = await IndexQueue__factory.connect(queue, provider).share();
  } catch (cause) {
    throw new ConfigError(`KEEPER_QUEUE=${queue} is not an IndexQueue on chain ${chainId}`, { cause });
  }
  if (share.toLowerCase() !== vault.toLowerCase()) throw new ConfigError(`KEEPER_QUEUE=${queue} queues for the vault ${share}, not KEEPER_VAULT=${vault}`);
}

async function loadSigner(config: KeeperConfig, provider: Provider): Promise<Signer> {
  if (config.KEEPER_PRIVATE_KEY !== undefined) {
    const key = config.KEEPER_PRIVATE_KEY.startsWith("0x") ? config.KEEPER_PRIVATE_KEY : `0x${config.KEEPER_PRIVATE_KEY}`;
    return new Wallet(key, provider);
  }
  if (config.KEEPER_KEYSTORE !== undefined) {
    const json = await readFile(config.KEEPER_KEYSTORE, "utf8").catch((cause) => {
      throw new ConfigError(`KEEPER_KEYSTORE=${config.KEEPER_KEYSTORE}: cannot read the keystore`, { cause });
    });
    try {
      return (await Wallet.fromEncryptedJson(json, config.KEEPER_KEYSTORE_PASSWORD!)).connect(provider);
    } catch (cause) {
      throw new ConfigError(`KEEPER_KEYSTORE=${config.KEEPER_KEYSTORE}: cannot decrypt it with KEEPER_KEYSTORE_PASSWORD`, { cause });
    }
  }
  throw new ConfigError("this command sends transactions: set KEEPER_PRIVATE_KEY or KEEPER_KEYSTORE (with KEEPER_KEYSTORE_PASSWORD)");
}

async function dataProvider(config: KeeperConfig): Promise<MarketDataProvider> {
  switch (config.KEEPER_DATA_SOURCE) {
    case "coingecko":
      return createCoinGeckoProvider({ apiKey: config.COINGECKO_API_KEY, plan: config.COINGECKO_PLAN, requestsPerMinute: config.COINGECKO_REQUESTS_PER_MINUTE });
    case "file":
      try {
        return await createFileProvider(config.KEEPER_DATA_FILE!);
      } catch (error) {
        if (!(error instanceof MarketDataFileError)) throw error;
        const [first, ...more] = error.details;
        throw new ConfigError(`KEEPER_DATA_FILE: ${error.shortMessage}${first === undefined ? "" : `: ${first.trim()}`}${more.length > 0 ? ` (and ${more.length} more)` : ""}`);
      }
    case "synthetic": {
      // The synthetic market is seeded from a devnet file's token specs so that ids match the token list.
      if (config.KEEPER_DATA_FILE === undefined) throw new ConfigError("KEEPER_DATA_SOURCE=synthetic needs KEEPER_DATA_FILE: the devnet.json written by `npm run devnet`");
      const devnet = (await readJsonInput(config.KEEPER_DATA_FILE, "KEEPER_DATA_FILE")) as { syntheticAssets?: ConstructorParameters<typeof SyntheticMarket>[0]["assets"] };
      if (!Array.isArray(devnet.syntheticAssets)) throw new ConfigError(`KEEPER_DATA_FILE=${config.KEEPER_DATA_FILE}: no "syntheticAssets" in it; is it a devnet.json?`);
      // Days start at 00:00 UTC so that each one is a daily close, and two runs on one day read the same data.
      return new SyntheticMarket({ seed: config.KEEPER_SYNTHETIC_SEED, assets: devnet.syntheticAssets, warmUpDays: 60, startIso: startOfDay(new Date()).toISOString() }).provider();
    }
  }
}

/**
 * Every token the vault holds must be on the token list: without it the snapshot cannot name the token, so its
 * targets would leave it out and the plan would sell it (a truncated list once planned to sell 20 holdings).
 */
async function checkHeldTokensListed(vault: IndexVault, stablecoin: string, tokenList: TokenList, file: string): Promise<void> {
  const listed = new Set(tokenList.tokens.map((t) => t.address.toLowerCase()));
  const registered = await vault.registeredAssets();
  const missing: string[] = [];
  for (const token of registered) {
    if (listed.has(token.toLowerCase()) || token.toLowerCase() === stablecoin.toLowerCase()) continue;
    if ((await erc20(token, vault.runner!).balanceOf(await vault.getAddress())) > 0n) missing.push(token);
  }
  if (missing.length > 0) {
    throw new ConfigError(`KEEPER_TOKEN_LIST=${file} lacks ${missing.length} of the ${registered.length} tokens the vault registers and holds (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""}): a truncated or outdated list?`);
  }
}
