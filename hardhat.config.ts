import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { configVariable, defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import "dotenv/config";
import { toolSettings } from "./keeper/config.js";

// Hardhat cannot download solc here (no internet): compile with the solc-js build that the exact-pinned
// `solc` npm package ships. The configured version must equal the package's, so it is read from it.
const require = createRequire(import.meta.url);
const solcPackageJson = require.resolve("solc/package.json");
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLJSON_PATH = path.join(path.dirname(solcPackageJson), "soljson.js");
// Chainlink's EACAggregatorProxy, the contract in front of every mainnet USD feed, is Solidity 0.6.6; the gas
// benchmark reads prices through it, so that compiler comes from the `solc-0.6.6` npm alias the same way.
const SOLJSON_0_6_6_PATH = path.join(path.dirname(require.resolve("solc-0.6.6/package.json")), "soljson.js");

const PROJECT_COMPILER = {
  version: SOLC_VERSION,
  path: SOLJSON_PATH,
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    compilers: [
      PROJECT_COMPILER,
      {
        version: "0.6.6",
        path: SOLJSON_0_6_6_PATH,
        settings: { optimizer: { enabled: true, runs: 1_000_000 }, evmVersion: "istanbul" },
      },
    ],
    // solc-js (the wasm build, the only one available here) runs out of wasm memory ("memory access out of
    // bounds") compiling every contract and every Solidity test in one job. Contracts and tests compile in two
    // passes, and the invariant, permit, queue and vault-attack tests each in a job of their own (beside IndexVault.t.sol,
    // they crashed it): Hardhat merges root files into one job only when they share a compiler config object, and
    // each override is one.
    splitTestsCompilation: true,
    overrides: {
      "test/contracts/IndexVault.invariant.t.sol": PROJECT_COMPILER,
      "test/contracts/IndexVault.permit.t.sol": PROJECT_COMPILER,
      "test/contracts/IndexQueue.t.sol": PROJECT_COMPILER,
      "test/contracts/IndexVault.attack.t.sol": PROJECT_COMPILER,
    },
    // The vault's admin: compiled from OpenZeppelin as is, for deployments and typed bindings.
    // Chainlink's mainnet feed proxy: compiled from @chainlink/contracts as is, for the proxy-feed gas benchmark.
    npmFilesToBuild: [
      "@openzeppelin/contracts/governance/TimelockController.sol",
      "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol",
      // The app's permit detection (any EIP-2612 stablecoin, not only the devnet's).
      "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol",
      "@openzeppelin/contracts/interfaces/IERC5267.sol",
      "@chainlink/contracts/src/v0.6/EACAggregatorProxy.sol",
    ],
  },
  // Real networks: URLs and the deployer key are config variables, read from Hardhat's keystore
  // (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`) or else the environment (.env via dotenv). They are
  // resolved only when a task connects to that network, so builds and tests never need them.
  networks: {
    // `npm run devnet`'s node; DEVNET_RPC_URL points npm start and deploy:devnet at one on another port.
    localhost: {
      type: "http",
      chainType: "l1",
      url: toolSettings().devnetRpcUrl,
    },
    mainnet: {
      type: "http",
      chainType: "l1",
      chainId: 1,
      url: configVariable("MAINNET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      chainId: 11155111,
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
  // `npx hardhat verify --network <name> <address> <args...>` submits to every enabled explorer;
  // `npx hardhat ignition verify <deploymentId>` verifies a whole Ignition deployment.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    blockscout: { enabled: true },
    sourcify: { enabled: true },
  },
  test: {
    // Tests whose title carries "@deep" (long end-to-end runs) stay out of `npm test` to keep it within its
    // time budget; `npm run test:deep` runs only them (DEEP_TESTS=only). A `--grep` on the command line picks
    // tests itself, so the exclusion (an inverted grep, which would invert it too) is left out then.
    // Test files run in parallel worker processes, one per core (at least two): most of the suite's time is one
    // process driving the in-process chain while the other core idles, so this about halves `npm test`.
    mocha: {
      timeout: 600_000,
      parallel: process.env.MOCHA_SERIAL === undefined,
      jobs: Math.max(2, availableParallelism()),
      require: ["./test/helpers/workerTmpdir.ts"],
      ...(process.argv.includes("--grep") ? {} : { grep: "@deep", invert: !toolSettings().deepTestsOnly }),
    },
    // A fixed fuzz seed makes the fuzz tests' mean and median gas reproducible, so that .gas-snapshot
    // (`npx hardhat test solidity --snapshot`, checked with --snapshot-check) changes only when the code does.
    // The invariant campaign (test/contracts/IndexVault.invariant.t.sol) runs 256 sequences of 50 calls in
    // `npm test`; the `deep` profile (`npm run test:invariant`: `--test-profile deep`) runs 2,000 of 200.
    solidity: {
      profiles: {
        default: { fuzz: { seed: "0x1" }, invariant: { runs: 256, depth: 50 } },
        deep: { fuzz: { seed: "0x1" }, invariant: { runs: 2_000, depth: 200 } },
      },
    },
  },
});
