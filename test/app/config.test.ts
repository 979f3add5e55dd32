import { expect } from "chai";
import { ConfigError, parseConfig } from "../../app/src/config.js";

// The app's runtime config (config.json beside the static build): what a host writes by hand, so a bad value must be
// named, and the optional fields must take their documented defaults.
describe("app config (parseConfig)", function () {
  const vault = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  const minimal = { chainId: 31337, chainName: "devnet", rpcUrl: "http://127.0.0.1:8545", vault, tokenListUrl: "tokenlist.json", snapshotsUrl: "snapshots/" };

  it("checksums addresses, trims a trailing slash and fills the defaults", function () {
    const c = parseConfig({ ...minimal, explorerUrl: "https://etherscan.io/", faucet: { minter: vault } });
    expect(c.vault).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(c.snapshotsUrl).to.equal("snapshots");
    expect(c.explorerUrl).to.equal("https://etherscan.io");
    expect([c.queue, c.fromBlock, c.logBlockRange]).to.deep.equal([null, null, 10_000]);
    expect(c.faucet).to.deep.equal({ minter: "0x5FbDB2315678afecb367f032d93F642f64180aa3", amount: "10000" });
    expect(parseConfig(minimal).explorerUrl).to.equal(null);
    expect(parseConfig(minimal).faucet).to.equal(null);
  });

  it("refuses a bad value by its field and value", function () {
    const refused = (json: unknown, message: string) => expect(() => parseConfig(json)).to.throw(ConfigError, message);
    refused(null, "config.json is not a JSON object");
    refused({ ...minimal, vault: "0x1234" }, 'config.json: "vault" must be an address, got "0x1234"');
    refused({ ...minimal, queue: 7 }, 'config.json: "queue" must be an address, got 7');
    refused({ ...minimal, chainName: "" }, 'config.json: "chainName" must be a non-empty string, got ""');
    refused({ ...minimal, chainId: 1.5 }, 'config.json: "chainId" must be a non-negative integer, got 1.5');
    refused({ ...minimal, logBlockRange: -1 }, 'config.json: "logBlockRange" must be a non-negative integer, got -1');
    refused({ ...minimal, fromBlock: "0" }, 'config.json: "fromBlock" must be a non-negative integer, got "0"');
    refused({ ...minimal, faucet: { minter: "me" } }, 'config.json: "faucet.minter" must be an address, got "me"');
    const { rpcUrl: _, ...noRpc } = minimal;
    refused(noRpc, 'config.json: "rpcUrl" must be a non-empty string, got undefined');
  });
});
