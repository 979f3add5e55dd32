// keeper/run's pure-enough path to the planner (`npx stryker run scripts/mutation/run.config.mjs`): buildTargets.ts
// (the targets runRebalance plans against, and targetsFor, what it commits), with the plain-mocha unit tests of
// test/keeper/run. runRebalance.ts itself reads and trades on a chain: its planning loop is covered by the Hardhat
// end-to-end tests, which Stryker's mocha runner cannot run.
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mochaOptions: { ...base.mochaOptions, spec: ["test/keeper/run/**/*.unit.test.ts"] },
  mutate: ["keeper/run/buildTargets.ts"],
  jsonReporter: { fileName: "reports/mutation/run.json" },
  incrementalFile: "reports/stryker-incremental-run.json",
  concurrency: 1,
};
