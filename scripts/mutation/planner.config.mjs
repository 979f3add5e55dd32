// The planner alone (`npx stryker run scripts/mutation/planner.config.mjs`): its module-level mutants
// (defaults, constants) re-run every test in the spec, so here the spec is only the tests that import the
// planner; on a shared machine the whole keeper/core run of stryker.config.mjs does not finish in an hour. The spec
// includes the unit tests of its helpers (plannerUnits, tradeDustAsset, priceAsset18FromUsd), so this run alone
// covers every file of keeper/core/planner.
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mochaOptions: {
    ...base.mochaOptions,
    spec: [
      "test/keeper/core/planRebalance*.test.ts",
      "test/keeper/core/worthItsGas.test.ts",
      "test/keeper/core/previewCost.test.ts",
      "test/keeper/core/vaultLibs.unit.test.ts",
      "test/keeper/core/plannerUnits.test.ts",
      "test/keeper/core/tradeDustAsset.test.ts",
      "test/keeper/core/priceAsset18FromUsd.test.ts",
    ],
  },
  mutate: ["keeper/core/planner/**/*.ts"],
  jsonReporter: { fileName: "reports/mutation/planner.json" },
  incrementalFile: "reports/stryker-incremental-planner.json",
  concurrency: 1,
};
