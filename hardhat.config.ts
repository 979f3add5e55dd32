import { createRequire } from "node:module";
import path from "node:path";
import { defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import "dotenv/config";

// Hardhat cannot download solc here (no internet): compile with the solc-js build that the exact-pinned
// `solc` npm package ships. The configured version must equal the package's, so it is read from it.
const require = createRequire(import.meta.url);
const solcPackageJson = require.resolve("solc/package.json");
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLJSON_PATH = path.join(path.dirname(solcPackageJson), "soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: SOLC_VERSION,
    path: SOLJSON_PATH,
    // The vault's admin: compiled from OpenZeppelin as is, for deployments and typed bindings.
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
    },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
  },
  test: {
    mocha: { timeout: 600_000 },
  },
});
