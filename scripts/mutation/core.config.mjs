// keeper/core without the planner (`npx stryker run scripts/mutation/core.config.mjs`), for a run one module
// at a time on a shared machine; the planner has its own run (planner.config.mjs).
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mutate: ["keeper/core/**/*.ts", "!keeper/core/planner/**/*.ts"],
  jsonReporter: { fileName: "reports/mutation/core.json" },
  incrementalFile: "reports/stryker-incremental-core.json",
  concurrency: 1,
};
