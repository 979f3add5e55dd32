import { expect } from "chai";
import { readFileSync } from "node:fs";
import dotenv from "dotenv";
import { ConfigError, loadAuditConfig, loadConfig, loadDataFetchConfig, toolSettings } from "../../keeper/config.js";

const REQUIRED = {
  KEEPER_RPC_URL: "http://127.0.0.1:8545",
  KEEPER_VAULT: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  KEEPER_ADAPTER: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  KEEPER_QUOTER_V2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
  KEEPER_TOKEN_LIST: "tokenlists/1.json",
};

describe("keeper configuration", function () {
  it(".env.example documents every variable with values that validate once the required ones are filled", function () {
    const example = dotenv.parse(readFileSync(".env.example"));
    const config = loadConfig({ ...example, ...REQUIRED });
    expect(config).to.include({ KEEPER_CONSTITUENTS: 100, KEEPER_BUFFER: 0.2, KEEPER_SLIPPAGE_BPS: 100, KEEPER_DATA_SOURCE: "coingecko", KEEPER_TX_GAS_LIMIT: 15_000_000 });
    expect(config.KEEPER_CAP).to.equal(undefined);
    expect(config.KEEPER_SEND_RPC_URL).to.equal(undefined);
    // Empty: no routing, every trade through KEEPER_ADAPTER's direct pools.
    expect(config.KEEPER_SWAP_ROUTER02_ADAPTER).to.equal(undefined);
    // The depth screen is on by default: $5,000 within 2 % of the oracle price.
    expect(config).to.include({ KEEPER_MIN_ONCHAIN_DEPTH_USD: 5_000, KEEPER_DEPTH_BAND_BPS: 200 });
    expect(loadConfig(REQUIRED)).to.include({ KEEPER_MIN_ONCHAIN_DEPTH_USD: 5_000, KEEPER_DEPTH_BAND_BPS: 200 });
  });

  it("refuses a negative depth minimum and a depth band outside (0, 10000) bps, naming each", function () {
    expect(() => loadConfig({ ...REQUIRED, KEEPER_MIN_ONCHAIN_DEPTH_USD: "-1", KEEPER_DEPTH_BAND_BPS: "10000" }))
      .to.throw(ConfigError)
      .that.satisfies((e: ConfigError) => e.details.join("\n").includes('KEEPER_MIN_ONCHAIN_DEPTH_USD="-1"') && e.details.join("\n").includes('KEEPER_DEPTH_BAND_BPS="10000"'));
  });

  it("names every bad variable, hides secrets, and points at .env.example", function () {
    const error = (() => {
      try {
        loadConfig({ ...REQUIRED, KEEPER_BUFFER: "2", KEEPER_PRIVATE_KEY: "nothex", KEEPER_DATA_SOURCE: "file", KEEPER_SWAP_ROUTER02_ADAPTER: "0x1234" });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.details.join("\n")).to.include('KEEPER_BUFFER="2"').and.include("KEEPER_PRIVATE_KEY=(hidden)").and.include("KEEPER_DATA_FILE=(not set): is required when KEEPER_DATA_SOURCE=file").and.include('KEEPER_SWAP_ROUTER02_ADAPTER="0x1234": must be a 0x-prefixed 20-byte address').and.include(".env.example");
  });

  it("refuses a history minimum the CoinGecko provider cannot see (it reads 330 days before the cut-off), not with a file", function () {
    expect(loadConfig({ ...REQUIRED, KEEPER_MIN_HISTORY_DAYS: "331" })).to.include({ KEEPER_MIN_HISTORY_DAYS: 331 });
    // 365 would exclude every asset week after week ("No asset passed the screens") instead of saying why.
    expect(() => loadConfig({ ...REQUIRED, KEEPER_MIN_HISTORY_DAYS: "365" }))
      .to.throw(ConfigError)
      .that.satisfies((e: ConfigError) => e.details.join("\n").includes('KEEPER_MIN_HISTORY_DAYS="365": at most 331 with KEEPER_DATA_SOURCE=coingecko'));
    expect(loadConfig({ ...REQUIRED, KEEPER_MIN_HISTORY_DAYS: "365", KEEPER_DATA_SOURCE: "file", KEEPER_DATA_FILE: "market.json" })).to.include({ KEEPER_MIN_HISTORY_DAYS: 365 });
  });

  it("validates the daemon's standby delay and clock, naming each", function () {
    expect(loadConfig({ ...REQUIRED, KEEPER_TAKEOVER_DELAY_S: "300", KEEPER_CLOCK: "chain" })).to.include({ KEEPER_TAKEOVER_DELAY_S: 300, KEEPER_CLOCK: "chain" });
    expect(loadConfig(REQUIRED)).to.include({ KEEPER_TAKEOVER_DELAY_S: 0, KEEPER_CLOCK: "system" });
    const error = (() => {
      try {
        // 12 hours or more would let a standby's notice come after the Monday rebalance it announces.
        loadConfig({ ...REQUIRED, KEEPER_TAKEOVER_DELAY_S: "43200", KEEPER_CLOCK: "sundial" });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.details.join("\n")).to.include('KEEPER_TAKEOVER_DELAY_S="43200"').and.include('KEEPER_CLOCK="sundial"');
  });

  it("refuses a key and a keystore together", function () {
    expect(() => loadConfig({ ...REQUIRED, KEEPER_PRIVATE_KEY: "0x" + "11".repeat(32), KEEPER_KEYSTORE: "k.json", KEEPER_KEYSTORE_PASSWORD: "p" })).to.throw(ConfigError, /invalid keeper configuration/);
  });

  it("gives the audit's flags precedence over the environment and names the flag that set a bad value", function () {
    const env = { KEEPER_RPC_URL: "http://127.0.0.1:8545", KEEPER_VAULT: REQUIRED.KEEPER_VAULT, KEEPER_PRIVATE_KEY: "not read by the audit" };
    const fromEnv = loadAuditConfig({ KEEPER_RPC_URL: ["--rpc", undefined] }, env);
    expect(fromEnv.config.KEEPER_RPC_URL).to.equal("http://127.0.0.1:8545");
    expect(fromEnv.sourceOf("KEEPER_RPC_URL")).to.equal("KEEPER_RPC_URL");
    const fromFlag = loadAuditConfig({ KEEPER_RPC_URL: ["--rpc", "http://127.0.0.1:9999"] }, env);
    expect(fromFlag.config.KEEPER_RPC_URL).to.equal("http://127.0.0.1:9999");
    expect(fromFlag.sourceOf("KEEPER_RPC_URL")).to.equal("--rpc");
    expect(() => loadAuditConfig({ KEEPER_VAULT: ["--vault", "0x1234"] }, env)).to.throw(ConfigError).with.property("details").that.includes('--vault (KEEPER_VAULT)="0x1234": must be a 0x-prefixed 20-byte address');
  });

  it("validates the CoinGecko settings of `keeper data fetch` like every other variable", function () {
    const defaults = loadDataFetchConfig({ COINGECKO_API_KEY: " " });
    expect(defaults).to.include({ COINGECKO_PLAN: "demo", COINGECKO_REQUESTS_PER_MINUTE: 30 });
    expect(defaults.COINGECKO_API_KEY).to.equal(undefined);
    expect(loadDataFetchConfig({ COINGECKO_PLAN: "pro", COINGECKO_REQUESTS_PER_MINUTE: "500", COINGECKO_API_KEY: "k" })).to.deep.equal({ COINGECKO_API_KEY: "k", COINGECKO_PLAN: "pro", COINGECKO_REQUESTS_PER_MINUTE: 500 });
    for (const [name, value] of [["COINGECKO_PLAN", "enterprise"], ["COINGECKO_REQUESTS_PER_MINUTE", "0"], ["COINGECKO_REQUESTS_PER_MINUTE", "2.5"]]) {
      expect(() => loadDataFetchConfig({ [name]: value }), `${name}=${value}`).to.throw(ConfigError).with.property("details").that.satisfies((d: string[]) => d[0]!.startsWith(`${name}="${value}": `));
    }
  });

  it("reads the deploy scripts' and the app benchmark's variables, with their defaults when unset or empty", function () {
    expect(toolSettings({})).to.deep.include({ devnetFile: "devnet.json", devnetVaultFile: "devnet.vault.json", chromiumPath: "/usr/bin/chromium" });
    expect(toolSettings({ DEPLOY_PARAMETERS: "" }).deployParameters("sepolia")).to.equal("deploy/parameters/sepolia.json");
    const set = toolSettings({ DEPLOY_PARAMETERS: "p.json", DEVNET_JSON: "d.json", DEVNET_VAULT_JSON: "v.json", CHROMIUM_PATH: "/opt/chrome" });
    expect([set.deployParameters("sepolia"), set.devnetFile, set.devnetVaultFile, set.chromiumPath]).to.deep.equal(["p.json", "d.json", "v.json", "/opt/chrome"]);
  });

  it("reads Hardhat's and Playwright's variables here too: the devnet URL, the deep-test switch, one Chromium default", function () {
    expect(toolSettings({})).to.deep.include({ devnetRpcUrl: "http://127.0.0.1:8545", deepTestsOnly: false });
    expect(toolSettings({ DEVNET_RPC_URL: "http://127.0.0.1:8547", DEEP_TESTS: "only" })).to.deep.include({ devnetRpcUrl: "http://127.0.0.1:8547", deepTestsOnly: true });
    expect(toolSettings({ DEEP_TESTS: "1" }).deepTestsOnly).to.equal(false);
  });
});
