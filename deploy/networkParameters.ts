import { AbiCoder, getAddress, getCreate2Address, keccak256, ZeroAddress } from "ethers";
import { CHAIN_TO_ADDRESSES_MAP, Token, V2_FACTORY_ADDRESSES, WETH9 } from "@uniswap/sdk-core";
import { computePairAddress } from "@uniswap/v2-sdk";
import { POOL_INIT_CODE_HASH } from "@uniswap/v3-sdk";
import { z } from "zod";
import { ConfigError } from "../keeper/config.js";

/**
 * The one reviewed file per network (deploy/parameters/<network>.json): every address and setting the
 * Ignition modules deploy with. It is validated here before anything is sent, with messages that name the
 * bad field; pool addresses are re-derived from the factory (CREATE2), so a wrong pool cannot slip through.
 */

/** Mixed-case input must carry a valid EIP-55 checksum (ethers checks it), which catches typos. */
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte hex address")
  .transform((value, ctx) => {
    try {
      return getAddress(value);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `bad EIP-55 checksum: ${value}` });
      return z.NEVER;
    }
  });
const nonZeroAddress = address.refine((a) => a !== ZeroAddress, "must not be the zero address");
const bps = (max: number) => z.number().int().min(0).max(max);
/** Feed answers go to uint128; JSON numbers lose precision past 2^53, so they are decimal strings. */
const uint128String = z
  .string()
  .regex(/^[0-9]+$/, "must be a decimal integer string")
  .transform((s) => BigInt(s))
  .refine((v) => v > 0n && v < 1n << 128n, "must be in (0, 2^128)");

const chainlinkFields = {
  feed: nonZeroAddress,
  heartbeatSeconds: z.number().int().positive().max(2 ** 32 - 1),
  /** Lowest accepted answer in feed decimals: a feed stuck at its floor fails instead of mispricing. */
  minAnswer: uint128String,
  maxAnswer: uint128String,
};
const twapFields = {
  pool: nonZeroAddress,
  twapWindowSeconds: z.number().int().min(300).max(7 * 24 * 3600),
};
const sourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("chainlink"), ...chainlinkFields }).strict(),
  z.object({ kind: z.literal("twap"), ...twapFields }).strict(),
  z.object({ kind: z.literal("chainlinkCheckedByTwap"), ...chainlinkFields, ...twapFields, maxDeviationBps: bps(2_000).refine((v) => v > 0, "must be > 0") }).strict(),
]);

const poolSchema = z
  .object({
    /** A Uniswap V3 pool (default) or a V2 pair (traded through SwapRouter02 only; its fee is 0.3 %, written 3000). */
    protocol: z.enum(["v3", "v2"]).default("v3"),
    fee: z.union([z.literal(100), z.literal(500), z.literal(3000), z.literal(10000)]),
    address: nonZeroAddress,
    /** The pool's other token: the stablecoin when omitted, a connector, or another token (WETH). */
    pairedWith: address.optional(),
  })
  .strict();

const tokenSchema = z
  .object({
    symbol: z.string().min(1).max(20),
    /** The market-data id (CoinGecko's) the keeper's token list maps to this token. */
    providerId: z.string().min(1),
    address: nonZeroAddress,
    decimals: z.number().int().min(0).max(36),
    maxWeightBps: bps(10_000),
    source: sourceSchema,
    /** Pools the adapter may route through; allowlisted on the vault. */
    pools: z.array(poolSchema).min(1),
  })
  .strict();

/** An ISO 8601 UTC instant to the second ("2027-01-03T22:00:00Z"), readable in review, as unix seconds. */
const utcInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "must be an ISO 8601 UTC instant like 2027-01-03T22:00:00Z")
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms) || new Date(ms).toISOString() !== value.replace("Z", ".000Z")) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a calendar instant: ${value}` });
      return z.NEVER;
    }
    return ms / 1000;
  });

const DAY_SECONDS = 24 * 3600;

/** IndexQueue, the ERC-7540 path: requests gathered per window, settled from the window's cut-off on. */
const queueSchema = z
  .object({
    /** When window 1 opens. Its time of day is every cut-off's: before the keeper's 00:00 UTC run (22:00), so that
     * run settles the day's requests before it rebalances. */
    firstWindowStart: utcInstant,
    /** A day or a whole fraction of one: settlement at least daily, cut-offs at the same times every day. */
    windowSeconds: z
      .number()
      .int()
      .min(3600)
      .max(DAY_SECONDS)
      .refine((v) => DAY_SECONDS % v === 0, "must divide a day (86400): settled at least daily, cut-offs at the same times each day"),
    /** After a cut-off, how long only the keeper (the queue's settler) may settle; anyone may after it. */
    graceSeconds: z.number().int().min(0).max(DAY_SECONDS),
  })
  .strict();

/**
 * A token routes may pass through (WETH) but the vault never registers or holds: priced by the oracle (the
 * market pools of tokens listed against it quote in it), its pools allowlisted as routes' stablecoin hop.
 */
const connectorSchema = z
  .object({
    symbol: z.string().min(1).max(20),
    address: nonZeroAddress,
    source: sourceSchema,
    pools: z.array(poolSchema).min(1),
  })
  .strict();

const networkParametersSchema = z
  .object({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    /** An example file with placeholder role addresses: deploy.ts refuses to send it. */
    example: z.boolean().default(false),
    network: z.string().min(1),
    chainId: z.number().int().positive(),
    /** Ignition's deployment id: its journal lives in ignition/deployments/<id>, and verify reads it. */
    deploymentId: z.string().regex(/^[a-zA-Z0-9_-]+$/),
    uniswapV3: z.object({ factory: nonZeroAddress, quoterV2: nonZeroAddress }).strict(),
    /** SwapRouter02 (V2 and V3, multi-hop), for SwapRouter02Adapter; its V2 factory and WETH as it was deployed with. */
    swapRouter02: z.object({ router: nonZeroAddress, factoryV2: nonZeroAddress, weth: nonZeroAddress }).strict().optional(),
    timelock: z
      .object({
        delaySeconds: z.number().int().min(0).max(30 * 24 * 3600),
        /** Proposers (a multisig); each is also a canceller, as OpenZeppelin's constructor makes them. */
        proposers: z.array(nonZeroAddress).min(1),
        /** Who may execute a ready operation; empty means anyone (the zero-address executor). */
        executors: z.array(nonZeroAddress).default([]),
      })
      .strict(),
    roles: z.object({ keeper: nonZeroAddress, guardian: nonZeroAddress, feeRecipient: nonZeroAddress }).strict(),
    vault: z
      .object({
        name: z.string().min(1),
        symbol: z.string().min(1),
        // The caps are the contract's hard-coded maxima (IndexVault MAX_*): a value above fails here, not on-chain.
        entryFeeBps: bps(100),
        exitFeeBps: bps(100),
        managementFeeBps: bps(500),
        maxSlippageBps: bps(500).refine((v) => v > 0, "must be > 0"),
        lossBudgetBps: bps(500),
        lossBudgetWindowSeconds: z.number().int().min(24 * 3600).max(30 * 24 * 3600),
      })
      .strict(),
    stablecoin: z.object({ symbol: z.string().min(1), address: nonZeroAddress, decimals: z.number().int().min(0).max(36), source: sourceSchema }).strict(),
    tokens: z.array(tokenSchema).max(100),
    connectors: z.array(connectorSchema).default([]),
    queue: queueSchema,
    /** Values a reviewer must still confirm against a primary source before a real deployment. */
    unverified: z.array(z.string()).default([]),
  })
  .strict();

export type NetworkParameters = z.output<typeof networkParametersSchema>;
export type PriceSourceParameters = z.output<typeof sourceSchema>;
export type TokenParameters = z.output<typeof tokenSchema>;
export type PoolParameters = z.output<typeof poolSchema>;

/** A bad parameters file: a configuration error (exit 2 from the deploy scripts), every problem on its own line. */
export class NetworkParametersError extends ConfigError {
  override name = "NetworkParametersError";
}

/** The on-chain OracleRouter.SourceParams of a source (SourceKind: 1 Chainlink, 2 Twap, 3 ChainlinkCheckedByTwap). */
export function toSourceParams(source: PriceSourceParameters) {
  const kind = source.kind === "chainlink" ? 1 : source.kind === "twap" ? 2 : 3;
  return {
    kind,
    feed: "feed" in source ? source.feed : ZeroAddress,
    heartbeatSeconds: "heartbeatSeconds" in source ? source.heartbeatSeconds : 0,
    minAnswer: "minAnswer" in source ? source.minAnswer : 0n,
    maxAnswer: "maxAnswer" in source ? source.maxAnswer : 0n,
    pool: "pool" in source ? source.pool : ZeroAddress,
    twapWindowSeconds: "twapWindowSeconds" in source ? source.twapWindowSeconds : 0,
    maxDeviationBps: "maxDeviationBps" in source ? source.maxDeviationBps : 0,
  };
}

/** The canonical Uniswap V3 pool address of a pair and fee under `factory`. */
export function computeV3PoolAddress(factory: string, tokenA: string, tokenB: string, fee: number): string {
  const [token0, token1] = tokenA.toLowerCase() < tokenB.toLowerCase() ? [tokenA, tokenB] : [tokenB, tokenA];
  const salt = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "address", "uint24"], [token0, token1, fee]));
  return getCreate2Address(factory, salt, POOL_INIT_CODE_HASH);
}

/** The canonical Uniswap V2 pair address of two tokens under `factory` (v2-sdk's CREATE2 derivation). */
export function computeV2PairAddress(factory: string, tokenA: string, tokenB: string): string {
  return getAddress(computePairAddress({ factoryAddress: factory, tokenA: new Token(1, tokenA, 18), tokenB: new Token(1, tokenB, 18) }));
}

/**
 * The market pool the oracle bounds a token's price with: its first stablecoin pool, else its first V3 pool
 * against a connector or another constituent (WETH; priced by that token's source). Undefined when it has neither.
 */
export function marketPoolOf(p: Pick<NetworkParameters, "stablecoin" | "connectors" | "tokens">, pools: readonly PoolParameters[]): PoolParameters | undefined {
  const stable = pools.find((pool) => pool.protocol === "v3" && (pool.pairedWith === undefined || pool.pairedWith === p.stablecoin.address));
  const priced = (address: string | undefined) => p.connectors.some((c) => c.address === address) || p.tokens.some((t) => t.address === address);
  return stable ?? pools.find((pool) => pool.protocol === "v3" && priced(pool.pairedWith));
}

/**
 * Parses and cross-checks a parameters file: schema, then relations the schema cannot express (unique
 * tokens, bounds ordered, every pool the factory's CREATE2 address of its pair, TWAP pools among the token's
 * pools, a 48h timelock outside devnets). Throws NetworkParametersError listing every problem.
 */
export function parseNetworkParameters(json: unknown, source = "network parameters"): NetworkParameters {
  const parsed = networkParametersSchema.safeParse(json);
  if (!parsed.success) {
    throw new NetworkParametersError(`${source} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const p = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>([p.stablecoin.address]);
  const checkSource = (where: string, s: PriceSourceParameters) => {
    if ("minAnswer" in s && s.minAnswer >= s.maxAnswer) problems.push(`${where}.source: minAnswer must be below maxAnswer`);
  };
  checkSource("stablecoin", p.stablecoin.source);
  const routable = new Set([...p.connectors, ...p.tokens].map((c) => c.address));
  // Every pool is the factory's CREATE2 address of its pair (a V2 pair under SwapRouter02's V2 factory), and joins
  // the token to the stablecoin or a connector, so that no route can end in a token the vault does not price.
  const checkPools = (where: string, token: string, pools: readonly PoolParameters[]) => {
    for (const pool of pools) {
      const other = pool.pairedWith ?? p.stablecoin.address;
      const at = `${where}.pools[${pool.protocol} fee ${pool.fee}]`;
      if (other !== p.stablecoin.address && !routable.has(other)) problems.push(`${at}: pairedWith ${other} is not the stablecoin, a token or a connector: a route there would end in a token the vault does not price`);
      if (other === token) problems.push(`${at}: pairedWith is the token itself`);
      if (pool.protocol === "v2") {
        if (p.swapRouter02 === undefined) problems.push(`${at}: a V2 pair needs swapRouter02 (only SwapRouter02Adapter trades V2)`);
        else if (pool.fee !== 3000) problems.push(`${at}: a V2 pair's fee is 3000 (0.3 %)`);
        else {
          const expected = computeV2PairAddress(p.swapRouter02.factoryV2, token, other);
          if (expected !== pool.address) problems.push(`${at}: ${pool.address} is not the V2 factory's pair, expected ${expected}`);
        }
        continue;
      }
      const expected = computeV3PoolAddress(p.uniswapV3.factory, token, other, pool.fee);
      if (expected !== pool.address) problems.push(`${at}: ${pool.address} is not the factory's pool, expected ${expected}`);
    }
  };
  if (p.connectors.length > 0 && p.swapRouter02 === undefined) problems.push("connectors: routes through a connector need swapRouter02 (multi-hop trades)");
  for (const c of p.connectors) {
    const where = `connectors[${c.symbol}]`;
    if (seen.has(c.address)) problems.push(`${where}.address ${c.address} is listed twice (or is the stablecoin)`);
    seen.add(c.address);
    checkSource(where, c.source);
    if (c.source.kind !== "chainlink") problems.push(`${where}.source: must be a plain Chainlink feed (market pools quote against it)`);
    checkPools(where, c.address, c.pools);
    if (!c.pools.some((pool) => pool.pairedWith === undefined || pool.pairedWith === p.stablecoin.address)) problems.push(`${where}.pools: needs a pool against the stablecoin (every route's last hop)`);
  }
  checkPublishedUniswap(p, problems);
  if (p.stablecoin.source.kind !== "chainlink") problems.push("stablecoin.source: must be a plain Chainlink feed (TWAP sources quote against it)");
  const symbols = new Set<string>();
  for (const t of p.tokens) {
    const where = `tokens[${t.symbol}]`;
    if (seen.has(t.address)) problems.push(`${where}.address ${t.address} is listed twice (or is the stablecoin)`);
    if (symbols.has(t.symbol)) problems.push(`${where}: symbol listed twice`);
    seen.add(t.address);
    symbols.add(t.symbol);
    checkSource(where, t.source);
    checkPools(where, t.address, t.pools);
    if (marketPoolOf(p, t.pools) === undefined) {
      problems.push(`${where}.pools: needs a V3 pool against the stablecoin, a connector or another token (its market pool bounds deposit and cash-exit prices)`);
    }
    const source = t.source;
    if ("pool" in source && !t.pools.some((pool) => pool.address === source.pool)) {
      problems.push(`${where}.source.pool must be one of the token's pools`);
    }
  }
  // Otherwise a window could still wait on the keeper alone when the next one closes.
  if (p.queue.graceSeconds > p.queue.windowSeconds) problems.push(`queue.graceSeconds: ${p.queue.graceSeconds} is longer than a window (${p.queue.windowSeconds} s): anyone must be able to settle a window before the next one closes`);
  if (p.chainId !== 31337 && p.timelock.delaySeconds < 48 * 3600) problems.push(`timelock.delaySeconds: ${p.timelock.delaySeconds} is below 48h on a real network`);
  if (problems.length > 0) throw new NetworkParametersError(`${source} is invalid:\n${problems.map((m) => `  ${m}`).join("\n")}`);
  return p;
}

/**
 * On a chain Uniswap publishes (in @uniswap/sdk-core's address book), the factories, SwapRouter02 and WETH must
 * be those: a typo'd router could take every trade. Chains the book does not know (devnets) are not checked.
 */
function checkPublishedUniswap(p: NetworkParameters, problems: string[]): void {
  const book = (CHAIN_TO_ADDRESSES_MAP as Record<number, { v3CoreFactoryAddress: string; swapRouter02Address?: string } | undefined>)[p.chainId];
  if (book === undefined) return;
  const same = (field: string, actual: string, published: string | undefined) => {
    if (published !== undefined && getAddress(published) !== actual) problems.push(`${field}: ${actual} is not Uniswap's published ${getAddress(published)} on chain ${p.chainId} (@uniswap/sdk-core)`);
  };
  same("uniswapV3.factory", p.uniswapV3.factory, book.v3CoreFactoryAddress);
  if (p.swapRouter02 !== undefined) {
    same("swapRouter02.router", p.swapRouter02.router, book.swapRouter02Address);
    same("swapRouter02.factoryV2", p.swapRouter02.factoryV2, (V2_FACTORY_ADDRESSES as Record<number, string | undefined>)[p.chainId]);
    same("swapRouter02.weth", p.swapRouter02.weth, (WETH9 as Record<number, Token | undefined>)[p.chainId]?.address);
  }
}
