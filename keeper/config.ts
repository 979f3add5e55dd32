import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { isAddress } from "ethers";
import { z } from "zod";
import { DEFAULT_METHODOLOGY_CONFIG_V2, DEFAULT_PLANNER_CONFIG, DEFAULT_REGIME_CONFIG, KeeperError, MAX_CASH_BUFFER_BPS } from "./core/index.js";
import { DEFAULT_DUST_USD, DEFAULT_KEEPER_SETTINGS } from "./run/defaultKeeperSettings.js";
import { COINGECKO_MAX_HISTORY_DAYS } from "./data/coinGeckoLimits.js";

export class ConfigError extends KeeperError {
  override name = "ConfigError";
}

const address = (name: string) => z.string({ required_error: `${name} is required` }).refine((v) => isAddress(v), { message: "must be a 0x-prefixed 20-byte address" });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

type Env = Record<string, string | undefined>;

/**
 * The keeper's one configuration, read from the environment (and a .env file through loadEnvFile), validated at
 * start-up. A bad value stops the keeper with a message that names the variable. Documented in .env.example.
 * This module is the only one that reads process.env: every other module gets its settings from here.
 */
const fields = z.object({
    KEEPER_RPC_URL: z.string().url(),
    KEEPER_SEND_RPC_URL: z.string().url().optional(),
    KEEPER_PRIVATE_KEY: z
      .string()
      .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex")
      .optional(),
    KEEPER_KEYSTORE: optionalString,
    KEEPER_KEYSTORE_PASSWORD: z.string().optional(),
    KEEPER_VAULT: address("KEEPER_VAULT"),
    KEEPER_QUEUE: address("KEEPER_QUEUE").optional().or(z.literal("").transform(() => undefined)),
    KEEPER_ADAPTER: address("KEEPER_ADAPTER"),
    KEEPER_QUOTER_V2: address("KEEPER_QUOTER_V2"),
    KEEPER_SWAP_ROUTER02_ADAPTER: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
      .refine((v) => v === undefined || isAddress(v), { message: "must be a 0x-prefixed 20-byte address" }),
    KEEPER_TOKEN_LIST: z.string().min(1),
    KEEPER_DATA_SOURCE: z.enum(["coingecko", "file", "synthetic"]).default("coingecko"),
    KEEPER_DATA_FILE: optionalString,
    KEEPER_SYNTHETIC_SEED: int(0, 2 ** 32 - 1).default(1),
    COINGECKO_API_KEY: optionalString,
    COINGECKO_PLAN: z.enum(["demo", "pro"]).default("demo"),
    COINGECKO_REQUESTS_PER_MINUTE: int(1, 10_000).default(30),
    KEEPER_REGIME_SOURCE: z.enum(["model", "token-metrics"]).default("model"),
    KEEPER_REGIME_UNIVERSE: int(1, 1000).default(DEFAULT_KEEPER_SETTINGS.regimeUniverseSize),
    KEEPER_REGIME_WINDOW: int(5, 400).default(DEFAULT_REGIME_CONFIG.window),
    KEEPER_REGIME_BAND_SIGMAS: z.coerce.number().min(0).max(10).default(DEFAULT_REGIME_CONFIG.bandSigmas),
    KEEPER_REGIME_EVIDENCE_SIGMA_DAYS: z.coerce.number().min(0).max(100).default(DEFAULT_REGIME_CONFIG.evidenceSigmaDays),
    KEEPER_REGIME_VOLATILITY_WINDOW: int(2, 400).default(DEFAULT_REGIME_CONFIG.volatilityWindow),
    KEEPER_REGIME_MIN_DAILY_VOLATILITY_BPS: int(1, 5000).default(DEFAULT_REGIME_CONFIG.minDailyVolatilityBps),
    KEEPER_REGIME_CONFIRMATIONS: int(1, 30).default(DEFAULT_REGIME_CONFIG.confirmations),
    KEEPER_REGIME_MIN_BREADTH_SAMPLE: int(0, 1000).default(DEFAULT_REGIME_CONFIG.minBreadthSample),
    KEEPER_REGIME_MIN_DWELL_DAYS: int(0, 730).default(DEFAULT_REGIME_CONFIG.minDwellDays),
    KEEPER_REGIME_MIN_COVERAGE_BPS: int(0, 10_000).default(DEFAULT_REGIME_CONFIG.minCoverageBps),
    KEEPER_REGIME_MAX_DATA_AGE_DAYS: int(0, 30).default(DEFAULT_REGIME_CONFIG.maxDataAgeDays),
    KEEPER_REGIME_FAST_EXIT_SIGMAS: z.coerce.number().min(0).max(100).default(DEFAULT_REGIME_CONFIG.fastExitDrawdownSigmas),
    KEEPER_REGIME_FAST_EXIT_LOOKBACK_DAYS: int(1, 365).default(DEFAULT_REGIME_CONFIG.fastExitLookbackDays),
    KEEPER_REGIME_FAST_EXIT_BREADTH_BPS: int(0, 10_000).default(DEFAULT_REGIME_CONFIG.fastExitBreadthBps),
    TOKEN_METRICS_MAX_AGE_DAYS: int(0, 30).default(2),
    TOKEN_METRICS_API_KEY: optionalString,
    KEEPER_CONSTITUENTS: int(1, 100).default(DEFAULT_METHODOLOGY_CONFIG_V2.constituentCount),
    KEEPER_BUFFER: z.coerce.number().min(0).max(0.9).default(DEFAULT_METHODOLOGY_CONFIG_V2.bufferFraction),
    KEEPER_CAP: z.coerce.number().gt(0).max(1).optional().or(z.literal("").transform(() => undefined)),
    KEEPER_MIN_MARKET_CAP_USD: z.coerce.number().min(0).default(0),
    KEEPER_MIN_VOLUME_USD: z.coerce.number().min(0).default(0),
    KEEPER_MIN_MEDIAN_VOLUME_USD: z.coerce.number().min(0).default(DEFAULT_METHODOLOGY_CONFIG_V2.minMedianVolume30dUsd),
    KEEPER_MIN_HISTORY_DAYS: int(0, 3650).default(DEFAULT_METHODOLOGY_CONFIG_V2.minHistoryDays),
    KEEPER_MIN_ONCHAIN_DEPTH_USD: z.coerce.number().min(0).default(DEFAULT_KEEPER_SETTINGS.methodology.minOnChainDepthUsd!),
    KEEPER_DEPTH_BAND_BPS: int(1, 9_999).default(DEFAULT_METHODOLOGY_CONFIG_V2.depthBandBps),
    KEEPER_UNCLASSIFIED: z.enum(["include", "exclude"]).default(DEFAULT_METHODOLOGY_CONFIG_V2.unclassified),
    KEEPER_CAP_LARGEST_COUNT: int(0, 100).default(DEFAULT_METHODOLOGY_CONFIG_V2.tieredCaps!.largestCount),
    KEEPER_CAP_LARGEST: z.union([z.literal("none"), z.coerce.number().gt(0).max(1)]).default(DEFAULT_METHODOLOGY_CONFIG_V2.tieredCaps!.largestCapFraction),
    KEEPER_CAP_OTHERS: z.coerce.number().gt(0).max(1).default(DEFAULT_METHODOLOGY_CONFIG_V2.tieredCaps!.otherCapFraction),
    KEEPER_MAX_CATEGORY_CHANGE: z.coerce.number().gt(0).default(DEFAULT_METHODOLOGY_CONFIG_V2.maxCategoryChangeFraction),
    KEEPER_UNIVERSE_SIZE: int(1, 5000).default(DEFAULT_KEEPER_SETTINGS.universeSize),
    KEEPER_MAX_GAP_SNAPSHOTS: int(1, 52).default(DEFAULT_KEEPER_SETTINGS.maxGapSnapshots),
    KEEPER_OUTAGE_MAX_SNAPSHOT_AGE_DAYS: int(0, 60).default(DEFAULT_KEEPER_SETTINGS.maxSnapshotAgeDays),
    KEEPER_SLIPPAGE_BPS: int(1, 1000).default(DEFAULT_KEEPER_SETTINGS.slippageBps),
    KEEPER_CASH_BUFFER_BPS: int(0, MAX_CASH_BUFFER_BPS).default(DEFAULT_PLANNER_CONFIG.cashBufferBps),
    KEEPER_DUST_USD: z.coerce.number().min(0).default(DEFAULT_DUST_USD),
    KEEPER_MIN_TRADE_BPS: int(0, 1000).default(DEFAULT_KEEPER_SETTINGS.minTradeBpsOfNav),
    KEEPER_MAX_IMPACT_BPS: int(1, 1000).default(DEFAULT_PLANNER_CONFIG.maxImpactBps),
    KEEPER_MAX_GAS_COST_BPS: int(0, 10_000).default(DEFAULT_KEEPER_SETTINGS.maxGasCostBps),
    KEEPER_NATIVE_PRICE_USD: z.coerce.number().positive().max(1e7).default(DEFAULT_KEEPER_SETTINGS.nativePriceUsd),
    KEEPER_MAX_FEE_GWEI: z.coerce.number().positive().optional(),
    KEEPER_MAX_PRIORITY_FEE_GWEI: z.coerce.number().min(0).optional(),
    KEEPER_TX_GAS_LIMIT: int(500_000, 36_000_000).default(Number(DEFAULT_KEEPER_SETTINGS.txGasBudget)),
    KEEPER_CONFIRMATIONS: int(1, 64).default(1),
    KEEPER_SNAPSHOT_DIR: z.string().min(1).default(DEFAULT_KEEPER_SETTINGS.snapshotDir),
    KEEPER_WEBHOOK_URL: z.string().url().optional(),
    KEEPER_METRICS_PORT: int(0, 65535).default(9464),
    // Under 12 hours: a standby must have run the notice before the Monday rebalance it announces is due.
    KEEPER_TAKEOVER_DELAY_S: int(0, 43_199).default(0),
    KEEPER_CLOCK: z.enum(["system", "chain"]).default("system"),
    KEEPER_LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
    KEEPER_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
});

const schema = fields.superRefine((c, ctx) => {
    if (c.KEEPER_DATA_SOURCE === "file" && c.KEEPER_DATA_FILE === undefined) {
      ctx.addIssue({ code: "custom", path: ["KEEPER_DATA_FILE"], message: "is required when KEEPER_DATA_SOURCE=file" });
    }
    if (c.KEEPER_DATA_SOURCE === "coingecko" && c.KEEPER_MIN_HISTORY_DAYS > COINGECKO_MAX_HISTORY_DAYS) {
      // Above it every asset would fail the history screen, week after week, with no word of why.
      ctx.addIssue({ code: "custom", path: ["KEEPER_MIN_HISTORY_DAYS"], message: `at most ${COINGECKO_MAX_HISTORY_DAYS} with KEEPER_DATA_SOURCE=coingecko (it reads the closes of the ${COINGECKO_MAX_HISTORY_DAYS - 1} days before the cut-off)` });
    }
    if (c.KEEPER_REGIME_SOURCE === "token-metrics" && c.TOKEN_METRICS_API_KEY === undefined) {
      ctx.addIssue({ code: "custom", path: ["TOKEN_METRICS_API_KEY"], message: "is required when KEEPER_REGIME_SOURCE=token-metrics" });
    }
    if (c.KEEPER_PRIVATE_KEY !== undefined && c.KEEPER_KEYSTORE !== undefined) {
      ctx.addIssue({ code: "custom", path: ["KEEPER_KEYSTORE"], message: "set either KEEPER_PRIVATE_KEY or KEEPER_KEYSTORE, not both" });
    }
    if (c.KEEPER_KEYSTORE !== undefined && c.KEEPER_KEYSTORE_PASSWORD === undefined) {
      ctx.addIssue({ code: "custom", path: ["KEEPER_KEYSTORE_PASSWORD"], message: "is required with KEEPER_KEYSTORE" });
    }
  });

export type KeeperConfig = z.infer<typeof schema>;

/** What `keeper audit` reads: the same variables and rules, without a key, contracts to trade through or data. */
const auditSchema = fields.pick({ KEEPER_RPC_URL: true, KEEPER_VAULT: true, KEEPER_QUEUE: true }).extend({ KEEPER_TOKEN_LIST: optionalString, KEEPER_SNAPSHOT_DIR: optionalString });

export type AuditConfig = z.infer<typeof auditSchema>;

/** What `keeper data fetch` reads: the CoinGecko settings only. */
const dataFetchSchema = fields.pick({ COINGECKO_API_KEY: true, COINGECKO_PLAN: true, COINGECKO_REQUESTS_PER_MINUTE: true });

export type DataFetchConfig = z.infer<typeof dataFetchSchema>;

/** Validates the environment; throws a ConfigError naming every bad variable and what was wrong. */
export function loadConfig(env: Env = process.env): KeeperConfig {
  return validate(schema, env, "invalid keeper configuration");
}

/** A command-line flag standing for one of the audit's variables, and the value typed (undefined: not given). */
export type FlagValues = Partial<Record<keyof AuditConfig, readonly [flag: string, value: string | undefined]>>;

export interface AuditInputs {
  config: AuditConfig;
  /** What set a variable, for messages: the flag when one was given, else the variable's name. */
  sourceOf(name: keyof AuditConfig): string;
}

/**
 * The audit's (and `keeper roles`') configuration: command-line flags over the environment. A message about a
 * bad value names the flag the user typed, or the variable when it came from the environment.
 */
export function loadAuditConfig(flags: FlagValues = {}, env: Env = process.env): AuditInputs {
  const given = Object.entries(flags).filter(([, [, value]]) => value !== undefined) as [keyof AuditConfig, readonly [string, string]][];
  const flagOf = Object.fromEntries(given.map(([name, [flag]]) => [name, flag])) as Record<string, string>;
  const config = validate(auditSchema, { ...env, ...Object.fromEntries(given.map(([name, [, value]]) => [name, value])) }, "invalid audit configuration", flagOf);
  return { config, sourceOf: (name) => flagOf[name] ?? name };
}

/** `keeper data fetch`'s CoinGecko settings from the environment, validated like the rest. */
export function loadDataFetchConfig(env: Env = process.env): DataFetchConfig {
  return validate(dataFetchSchema, env, "invalid data fetch configuration");
}

/** Variables that name a file or folder: a relative value in an env file is relative to that file. */
const PATH_VARIABLES = new Set(["KEEPER_TOKEN_LIST", "KEEPER_DATA_FILE", "KEEPER_SNAPSHOT_DIR", "KEEPER_KEYSTORE"]);

/**
 * Loads an env file into process.env as dotenv does (the environment wins over the file), except that a
 * relative path in the file resolves against the file's folder, so `--env-file` works from any directory.
 */
export function loadEnvFile(file: string): void {
  const folder = path.dirname(path.resolve(file));
  for (const [name, value] of Object.entries(dotenv.parse(readFileSync(file)))) {
    if (process.env[name] !== undefined) continue;
    const isRelativePath = PATH_VARIABLES.has(name) && value !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !path.isAbsolute(value);
    process.env[name] = isRelativePath ? path.resolve(folder, value) : value;
  }
}

/**
 * The settings of the repository's own tools (the Ignition deploy scripts, the app's benchmark, Hardhat's and
 * Playwright's configuration files), each read from the environment only here. They run under `hardhat run` or
 * a test runner, which pass no arguments, hence variables.
 */
export function toolSettings(env: Env = process.env) {
  const text = (name: string, fallback: string) => (env[name] === undefined || env[name]!.trim() === "" ? fallback : env[name]!.trim());
  return {
    /** deploy/deploy.ts: the network's Ignition parameters (default deploy/parameters/<network>.json). */
    deployParameters: (networkName: string) => text("DEPLOY_PARAMETERS", `deploy/parameters/${networkName}.json`),
    /** deploy/deployDevnet.ts: the devnet's addresses, written by `npm run devnet`. */
    devnetFile: text("DEVNET_JSON", "devnet.json"),
    /** deploy/deployDevnet.ts: where the deployed vault stack's addresses go. */
    devnetVaultFile: text("DEVNET_VAULT_JSON", "devnet.vault.json"),
    /** The Chromium that Playwright launches by path (none is downloaded): the browser tests' and the app bench's. */
    chromiumPath: text("CHROMIUM_PATH", "/usr/bin/chromium"),
    /** hardhat.config.ts: the `localhost` network's URL, `npm run devnet`'s node by default. */
    devnetRpcUrl: text("DEVNET_RPC_URL", "http://127.0.0.1:8545"),
    /** hardhat.config.ts: DEEP_TESTS=only runs only the "@deep" tests (`npm run test:deep`); otherwise they are left out. */
    deepTestsOnly: text("DEEP_TESTS", "") === "only",
  };
}

function validate<T extends z.ZodTypeAny>(target: T, env: Env, title: string, flags: Record<string, string> = {}): z.infer<T> {
  // An empty variable (as .env.example leaves the optional ones) means "not set".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = target.safeParse(set);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "config");
      const value = env[name];
      const shown = value === undefined ? "(not set)" : /KEY|PASSWORD/.test(name) ? "(hidden)" : JSON.stringify(value);
      return `${flags[name] === undefined ? name : `${flags[name]} (${name})`}=${shown}: ${i.message}`;
    });
    throw new ConfigError(title, { details: [...details, "See .env.example for every variable."] });
  }
  return parsed.data;
}
