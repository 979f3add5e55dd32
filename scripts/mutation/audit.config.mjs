// The audit's pure checks alone (`npx stryker run scripts/mutation/audit.config.mjs`), with only the tests
// that cover them, for a run one module at a time on a shared machine.
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mochaOptions: { ...base.mochaOptions, spec: ["test/audit/checks*.test.ts", "test/audit/snapshotV2.test.ts"] },
  mutate: base.mutate.filter((pattern) => pattern.startsWith("keeper/audit/")),
  jsonReporter: { fileName: "reports/mutation/audit.json" },
  incrementalFile: "reports/stryker-incremental-audit.json",
  concurrency: 1,
};
