// The routing alone (`npx stryker run scripts/mutation/routing.config.mjs`): keeper/core/routing with only its own
// plain-mocha tests (test/keeper/core/routing, in-memory v2-sdk pairs and v3-sdk pools), for a run one module at a
// time on a shared machine.
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mochaOptions: { ...base.mochaOptions, spec: ["test/keeper/core/routing/*.test.ts"] },
  mutate: ["keeper/core/routing/**/*.ts"],
  jsonReporter: { fileName: "reports/mutation/routing.json" },
  incrementalFile: "reports/stryker-incremental-routing.json",
  concurrency: 1,
};
