// The keeper run's path from market data to the commit, without a chain: the real file data provider, the real
// token list, and the vault state as readVault reports it.
import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "mocha";
import { canonicalSnapshotJson, computeTargets, DEFAULT_PLANNER_CONFIG, DEFAULT_REGIME_CONFIG, KeeperError, resolveMethodologyConfig, snapshotHash, type Snapshot } from "../../../keeper/core/index.js";
import { createFileProvider } from "../../../keeper/data/fileProvider.js";
import { parseTokenList } from "../../../keeper/data/tokenList.js";
import type { VaultState } from "../../../keeper/chain/readVault.js";
import type { KeeperContext } from "../../../keeper/run/context.js";
import { buildTargets, targetsFor } from "../../../keeper/run/buildTargets.js";
import { DEFAULT_KEEPER_SETTINGS } from "../../../keeper/run/defaultKeeperSettings.js";
import { silentLogger } from "../../../keeper/log.js";

const CHAIN = 8_453;
const VAULT = "0x1111111111111111111111111111111111111111";
const USDC = { address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", decimals: 6 };
const TOKENS = [
  // On Base, WBTC is the token that gives the index its bitcoin: the token list maps the asset's id to it.
  { id: "bitcoin", symbol: "WBTC", address: "0x0555E30da8f98308EdB960aa94C0Db47230d2B9c", marketCapUsd: 1_234.5e9 },
  { id: "ethereum", symbol: "WETH", address: "0x4200000000000000000000000000000000000006", marketCapUsd: 345.67e9 },
  { id: "chainlink", symbol: "LINK", address: "0x88Fb150BDc53A65fe94Dea0c9BA0a6dAf8C6e196", marketCapUsd: 9.876e9 },
  { id: "dogecoin", symbol: "DOGE", address: "0x4ed4E862860beD51a9570b96d89aF5E1B0Efefed", marketCapUsd: 25.25e9 },
];
const tokenList = parseTokenList(
  {
    name: "base",
    timestamp: "2026-11-30T00:00:00.000Z",
    version: { major: 1, minor: 0, patch: 0 },
    tokens: [...TOKENS, { id: "usd-coin", ...USDC }].map((t) => ({ chainId: CHAIN, address: t.address, name: t.symbol, symbol: t.symbol, decimals: 18, extensions: { providerId: t.id } })),
  },
  CHAIN,
);
const token = (address: string) => ({ address, symbol: "X", decimals: 18 });
/** The vault registers WBTC, WETH, LINK (not DOGE); WETH and LINK are the committed members, WBTC at 0. */
const state = {
  stablecoin: USDC,
  assets: TOKENS.slice(0, 3).map((t) => token(t.address.toLowerCase())),
  targets: [
    { token: USDC, weightBps: 1_000 },
    { token: token(TOKENS[0]!.address), weightBps: 0 },
    { token: token(TOKENS[1]!.address.toLowerCase()), weightBps: 6_000 },
    { token: token(TOKENS[2]!.address), weightBps: 3_000 },
  ],
  regime: "bull",
} as unknown as VaultState;

describe("keeper/run #buildTargets / #targetsFor", function () {
  let dir: string;
  let ctx: KeeperContext;
  const asOf = new Date("2026-11-30T00:00:00.000Z");

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "build-targets-"));
    const file = path.join(dir, "market.json");
    // 52 days of a market falling 1.3% a day, every token with it: the moving-average model says bear, with the
    // breadth measured on the universe's top three (the model's minimum sample is lowered to three below).
    const history = Array.from({ length: 52 }, (_, day) => ({
      asOf: new Date(Date.UTC(2026, 9, 9 + day)).toISOString(),
      marketCapUsd: 2.5e12 * 0.987 ** day,
      pricesUsd: Object.fromEntries(TOKENS.map((t) => [t.id, 1.7 * 0.987 ** day])),
    }));
    const screens = (t: (typeof TOKENS)[number]) => ({ medianVolume30dUsd: t.marketCapUsd / 31, priceLow30dUsd: 1.5, priceHigh30dUsd: 1.9, historyDays: 365 });
    const assets = [...TOKENS.map((t) => ({ id: t.id, symbol: t.symbol, marketCapUsd: t.marketCapUsd, volume24hUsd: t.marketCapUsd / 31, priceUsd: 1.7, ...screens(t) })), { id: "usd-coin", symbol: "USDC", marketCapUsd: 5e9, volume24hUsd: 1e9, priceUsd: 1, isStablecoin: true }];
    await writeFile(file, JSON.stringify({ assets, history }));
    ctx = {
      chainId: CHAIN,
      vault: VAULT,
      tokenList,
      data: await createFileProvider(file),
      log: silentLogger,
      settings: { ...DEFAULT_KEEPER_SETTINGS, methodology: resolveMethodologyConfig({ constituentCount: 3, capFraction: 0.5 }), regime: { ...DEFAULT_REGIME_CONFIG, minBreadthSample: 3 }, planner: { cashBufferBps: 150 }, universeSize: 3, snapshotDir: dir },
    } as unknown as KeeperContext;
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("builds the snapshot from the registered ids, the members with a committed weight, and the top of the universe", async function () {
    const built = await buildTargets(ctx, state, asOf);
    expect(built.snapshot).to.deep.include({ version: 2, asOf: asOf.toISOString(), dataCutoff: "2026-11-29T00:00:00.000Z", chainId: CHAIN, vault: VAULT, registry: ["bitcoin", "chainlink", "ethereum"], currentMembers: ["chainlink", "ethereum"], cashBufferBps: 150 });
    // The published universe is sorted by id (canonical JSON); it is the top 3 by market cap.
    expect(built.snapshot.universe.map((a) => [a.id, a.class, a.classRule])).to.deep.equal([
      ["bitcoin", "eligible", "curated"],
      ["dogecoin", "eligible", "curated"],
      ["ethereum", "eligible", "curated"],
    ]);
    expect(built.json).to.equal(canonicalSnapshotJson(built.snapshot));
    expect(built.hash).to.equal(snapshotHash(built.json));
    expect(built.decision).to.include({ state: "bear", previous: "bull", changed: true, source: "moving-average" });
    expect(built.targets).to.deep.equal({ regime: "bear", assets: [USDC.address], weightsBps: [10_000] });
  });

  it("decides the regime on the whole market, whatever the vault registers (a newly registered token cannot flip it)", async function () {
    const built = await buildTargets(ctx, state, asOf);
    // The vault registers only WBTC and WETH now, and then all four tokens: the same market, the same decision.
    const fewer = await buildTargets(ctx, { ...state, assets: state.assets.slice(0, 2) } as VaultState, asOf);
    const more = await buildTargets(ctx, { ...state, assets: TOKENS.map((t) => token(t.address)) } as VaultState, asOf);
    expect(fewer.snapshot.registry).to.deep.equal(["bitcoin", "ethereum"]);
    expect(more.snapshot.registry).to.have.length(4);
    expect(fewer.decision).to.deep.equal(built.decision);
    expect(more.decision).to.deep.equal(built.decision);
  });

  it("decides the regime without stablecoins, wrapped or staked tokens when the provider flags none of them (CoinGecko)", async function () {
    // CoinGecko's assets carry no isStablecoin or derivativeOf: only the classification says what tether, weth and
    // staked-ether are. The regime must read the screened market, as the README says, not $180B of dollars.
    const flagless = (id: string, marketCapUsd: number) => ({ id, symbol: id.toUpperCase(), marketCapUsd, volume24hUsd: marketCapUsd / 31, priceUsd: 1, medianVolume30dUsd: marketCapUsd / 31, priceLow30dUsd: 0.999, priceHigh30dUsd: 1.001, historyDays: 365 });
    const asked: string[][] = [];
    const data = {
      ...ctx.data,
      getUniverse: async (limit: number, at: Date) => [...(await ctx.data.getUniverse(limit, at)), flagless("tether", 180e9), flagless("weth", 9e9), flagless("staked-ether", 30e9)],
      getRegimeHistory: async (ids: readonly string[], days: number, at: Date) => {
        asked.push([...ids]);
        return ctx.data.getRegimeHistory(ids, days, at);
      },
    };
    await buildTargets({ ...ctx, data }, state, asOf);
    expect(asked).to.have.length(1);
    expect(asked[0]).to.include.members(["bitcoin", "ethereum"]);
    expect(asked[0]).to.not.include.members(["tether"]);
    expect(asked[0]).to.not.include.members(["weth"]);
    expect(asked[0]).to.not.include.members(["staked-ether"]);
  });

  it("lists an unclassified id that ranks within N + buffer and is not a member, for the notice", async function () {
    const newcomer = { id: "brand-new-layer-one", symbol: "BNL", marketCapUsd: 2e12, volume24hUsd: 1e11, priceUsd: 3, medianVolume30dUsd: 1e11, priceLow30dUsd: 2, priceHigh30dUsd: 4, historyDays: 365 };
    const data = { ...ctx.data, getUniverse: async (limit: number, at: Date) => [...(await ctx.data.getUniverse(limit, at)), newcomer] };
    const built = await buildTargets({ ...ctx, data }, state, asOf);
    expect(built.snapshot.universe.find((a) => a.id === newcomer.id)).to.include({ class: "unknown", classRule: "none" });
    expect(built.unclassifiedEntrants).to.deep.equal([newcomer.id]);
  });

  it("asks a configured regime source instead of the model, passing the vault's regime", async function () {
    const calls: [string, string][] = [];
    const regimeSource = {
      name: "fixed",
      async getRegime(at: string, previous: "bull" | "bear") {
        calls.push([at, previous]);
        return { state: "bull" as const, previous, changed: false, asOf: at, source: "fixed", inputs: {} };
      },
    };
    const built = await buildTargets({ ...ctx, regimeSource, settings: { ...ctx.settings, planner: {} } }, state, asOf);
    expect(built.snapshot.cashBufferBps).to.equal(DEFAULT_PLANNER_CONFIG.cashBufferBps);
    expect(calls).to.deep.equal([[asOf.toISOString(), "bull"]]);
    expect(built.decision.source).to.equal("fixed");
    // Bull: DOGE ranks into the top 3 but is not registered: reported, and WBTC and WETH share the index, capped
    // at 50% each (the 25/15 tiers cannot sum to 100% over two constituents, so they are not applied).
    expect(built.unregistered).to.deep.equal(["dogecoin"]);
    expect(built.targets).to.deep.equal({ regime: "bull", assets: [TOKENS[0]!.address, TOKENS[1]!.address], weightsBps: [5_000, 5_000] });
  });

  it("maps a bull snapshot's weights to checksummed addresses, dropping zero weights", function () {
    const snapshot: Snapshot = {
      version: 1,
      asOf: asOf.toISOString(),
      chainId: CHAIN,
      universe: TOKENS.map((t, i) => ({ id: t.id, symbol: t.symbol, marketCapUsd: i === 2 ? 1e3 : t.marketCapUsd, volume24hUsd: 1e6, priceUsd: 2.3 })),
      registry: TOKENS.map((t) => t.id),
      currentMembers: [],
      methodology: resolveMethodologyConfig({ constituentCount: 4 }),
      regime: { state: "bull", previous: "bull", changed: false, asOf: asOf.toISOString(), source: "test", inputs: {} },
    };
    const weights = computeTargets(snapshot).weightsBps;
    expect(weights.get("chainlink")).to.equal(0);
    const targets = targetsFor({ tokenList }, snapshot, state);
    expect(targets.regime).to.equal("bull");
    expect(targets.assets).to.deep.equal([TOKENS[0]!.address, TOKENS[1]!.address, TOKENS[3]!.address]);
    expect(targets.weightsBps).to.deep.equal([weights.get("bitcoin"), weights.get("ethereum"), weights.get("dogecoin")]);
    expect(targets.weightsBps.reduce((a, b) => a + b, 0)).to.equal(10_000);
  });

  it("refuses a constituent the token list cannot map", function () {
    const snapshot: Snapshot = {
      version: 1,
      asOf: asOf.toISOString(),
      chainId: CHAIN,
      universe: [{ id: "unknown-coin", symbol: "UNK", marketCapUsd: 1e9, volume24hUsd: 1e6, priceUsd: 1 }],
      registry: ["unknown-coin"],
      currentMembers: [],
      methodology: resolveMethodologyConfig({ constituentCount: 4 }),
      regime: { state: "bull", previous: "bull", changed: false, asOf: asOf.toISOString(), source: "test", inputs: {} },
    };
    expect(() => targetsFor({ tokenList }, snapshot, state)).to.throw(KeeperError, /unknown-coin/);
  });
});
