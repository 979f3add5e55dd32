// The keeper run's mapping from a snapshot to the vault's commit, without a chain: the real token list and the
// vault state as readVault reports it.
import { expect } from "chai";
import { describe, it } from "mocha";
import { computeTargets, KeeperError, resolveMethodologyConfig, type Snapshot } from "../../../keeper/core/index.js";
import { parseTokenList } from "../../../keeper/data/tokenList.js";
import type { VaultState } from "../../../keeper/chain/readVault.js";
import { targetsFor } from "../../../keeper/run/buildTargets.js";

const CHAIN = 8_453;
const USDC = { address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", decimals: 6 };
const TOKENS = [
  { id: "wrapped-bitcoin", symbol: "WBTC", address: "0x0555E30da8f98308EdB960aa94C0Db47230d2B9c", marketCapUsd: 1_234.5e9 },
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

describe("keeper/run #targetsFor", function () {
  const asOf = new Date("2026-11-30T00:00:00.000Z");

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
    expect(targets.weightsBps).to.deep.equal([weights.get("wrapped-bitcoin"), weights.get("ethereum"), weights.get("dogecoin")]);
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
