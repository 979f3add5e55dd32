// Files the module runs left without coverage (`npx stryker run scripts/mutation/gaps.config.mjs`): the oracle-close
// and format helpers that arrived after the core run of 1 December. writeScores.ts takes the newest report per file,
// so this run replaces their figures: run it after the core run. (The planner's helpers priceAsset18 and
// tradeDustAsset were here too; planner.config.mjs's spec now includes their tests.)
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mochaOptions: {
    ...base.mochaOptions,
    spec: ["test/keeper/core/oracleCloses.test.ts", "test/keeper/core/vaultLibs.unit.test.ts"],
  },
  mutate: [
    "keeper/core/regime/oracleRegimeHistory.ts",
    "keeper/core/regime/oracleCloseOf.ts",
    "keeper/core/stats/medianOfSorted.ts",
    "keeper/core/format/shortHash.ts",
    "keeper/core/format/formatUnixTime.ts",
  ],
  jsonReporter: { fileName: "reports/mutation/gaps.json" },
  incrementalFile: "reports/stryker-incremental-gaps.json",
  concurrency: 1,
};
