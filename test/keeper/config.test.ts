import { expect } from "chai";
import { readFileSync } from "node:fs";
import dotenv from "dotenv";
import { ConfigError, loadConfig } from "../../keeper/config.js";

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
        loadConfig({ ...REQUIRED, KEEPER_BUFFER: "2", KEEPER_PRIVATE_KEY: "nothex", KEEPER_DATA_SOURCE: "file" });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.details.join("\n")).to.include('KEEPER_BUFFER="2"').and.include("KEEPER_PRIVATE_KEY=(hidden)").and.include("KEEPER_DATA_FILE=(not set): is required when KEEPER_DATA_SOURCE=file").and.include(".env.example");
  });

  it("refuses a key and a keystore together", function () {
    expect(() => loadConfig({ ...REQUIRED, KEEPER_PRIVATE_KEY: "0x" + "11".repeat(32), KEEPER_KEYSTORE: "k.json", KEEPER_KEYSTORE_PASSWORD: "p" })).to.throw(ConfigError, /invalid keeper configuration/);
  });
});
