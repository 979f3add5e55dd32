// Mutation testing of the keeper's pure code (`npm run test:mutation`; not part of `npm test`). The tests
// that cover it are plain mocha (no Hardhat), run through tsx; scripts/mutation/writeScores.ts then turns
// the JSON report into bench/mutation.json, one score per target.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "mocha",
  testRunnerNodeArgs: ["--import", "tsx"],
  mochaOptions: {
    "no-config": true,
    spec: ["test/keeper/core/**/*.test.ts", "test/audit/checks*.test.ts", "test/audit/snapshotV2.test.ts", "test/keeper/run/**/*.unit.test.ts"],
    // Compares the TypeScript vault libraries with their Solidity harnesses on Hardhat's chain: not plain mocha.
    ignore: ["test/keeper/core/vaultLibs.test.ts"],
  },
  coverageAnalysis: "perTest",
  mutate: [
    "keeper/core/**/*.ts",
    // The audit's pure checks; auditVault/runAudit are its chain and file I/O, covered end to end.
    "keeper/audit/checkEpochSnapshot.ts",
    "keeper/audit/checkTrade.ts",
    "keeper/audit/checkTradeDirection.ts",
    "keeper/audit/replayLossBudget.ts",
  ],
  appendPlugins: ["./scripts/mutation/ignoreErrorMessages.mjs"],
  ignorers: ["error-messages"],
  ignorePatterns: ["/.tools", "/artifacts", "/cache", "/contracts", "/ignition", "/deploy", "/bench", "/docs", "/reports", "/coverage", "/snapshots", "/report"],
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Re-runs test only the mutants whose code or covering tests changed (`npx stryker run --force` for all).
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  concurrency: 2,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
