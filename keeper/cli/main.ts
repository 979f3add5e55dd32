import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { KeeperError } from "../core/index.js";
import { ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { contextFromConfig } from "./contextFromConfig.js";
import { statusCommand } from "./commands/status.js";
import { rebalanceCommand } from "./commands/rebalance.js";
import { runCommand } from "./commands/run.js";

/** Exit codes: what a script or a supervisor can act on. */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, keeper: 3, auditViolations: 4 } as const;

const USAGE = `Usage: keeper <command> [options]

Commands:
  status                 NAV, holdings against targets, regime, loss budget left, next rebalance
  plan                   what would be committed and traded now, with a cost preview; sends nothing
  rebalance [--dry-run]  commit this week's targets (if due) and trade to them
            [--mode weekly|regime-check] [--as-of ISO-8601]
  classify [--json] <id>...
                         each CoinGecko id's class and why, offline from the shipped classification
  run                    the daemon: Monday rebalances, daily regime checks, notices, /healthz and /metrics
  audit --rpc URL --vault ADDR [--from-block N] [--snapshots DIR] [--token-list FILE] [--report FILE]
                         re-verify every rebalance from chain events and the published snapshots;
                         prints verdicts per epoch, writes the JSON report (default audit-report.json);
                         exit 4 on any violation

Options:
  --env-file FILE        read the configuration from FILE (default: .env when present)
  --json                 machine-readable output on stdout
  --log-json             JSON log lines on stderr
  -h, --help             this help

Configuration comes from the environment; every variable is documented in .env.example.
Exit codes: 0 ok, 1 unexpected error, 2 bad usage or configuration, 3 the keeper refused or could not finish,
4 the audit found violations.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "env-file": { type: "string" },
        json: { type: "boolean", default: false },
        "log-json": { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        mode: { type: "string", default: "weekly" },
        "as-of": { type: "string" },
        rpc: { type: "string" },
        vault: { type: "string" },
        "from-block": { type: "string" },
        snapshots: { type: "string" },
        "token-list": { type: "string" },
        report: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`keeper: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (!["status", "plan", "rebalance", "run", "audit", "classify"].includes(command)) {
    console.error(`keeper: unknown command "${command}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command === "classify") {
    const { classifyCommand } = await import("./commands/classify.js");
    return classifyCommand({ ids: positionals.slice(1), json: values.json });
  }
  if (values["env-file"] !== undefined && !existsSync(values["env-file"])) {
    console.error(`keeper: --env-file ${values["env-file"]}: no such file`);
    return EXIT.usage;
  }
  const envFile = values["env-file"] ?? (existsSync(".env") ? ".env" : undefined);
  if (envFile !== undefined) dotenv.config({ path: envFile, quiet: true });

  if (command === "audit") {
    const { auditCommand } = await import("./commands/audit.js");
    return auditCommand({ rpc: values.rpc, vault: values.vault, fromBlock: values["from-block"], snapshots: values.snapshots, tokenList: values["token-list"], report: values.report, json: values.json });
  }

  const config = loadConfig(process.env);
  const log = createLogger({ json: values["log-json"] || config.KEEPER_LOG_FORMAT === "json", level: config.KEEPER_LOG_LEVEL });
  const mode = values.mode;
  if (mode !== "weekly" && mode !== "regime-check") {
    console.error(`keeper: --mode must be "weekly" or "regime-check", got "${mode}"`);
    return EXIT.usage;
  }
  let asOf: Date | undefined;
  if (values["as-of"] !== undefined) {
    asOf = new Date(values["as-of"]);
    if (Number.isNaN(asOf.getTime())) {
      console.error(`keeper: --as-of must be an ISO-8601 time, got "${values["as-of"]}"`);
      return EXIT.usage;
    }
  }
  const sends = command === "run" || (command === "rebalance" && !values["dry-run"]);
  const ctx = await contextFromConfig(config, log, { needsSigner: sends });
  switch (command) {
    case "status":
      return statusCommand(ctx, { json: values.json });
    case "plan":
      return rebalanceCommand(ctx, { mode, dryRun: true, json: values.json, asOf });
    case "rebalance":
      return rebalanceCommand(ctx, { mode, dryRun: values["dry-run"], json: values.json, asOf });
    default:
      return runCommand(ctx, { metricsPort: config.KEEPER_METRICS_PORT, webhookUrl: config.KEEPER_WEBHOOK_URL });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`keeper: ${error.message}`);
    process.exitCode = EXIT.usage;
  } else if (error instanceof KeeperError) {
    console.error(`keeper: ${error.message}`);
    process.exitCode = EXIT.keeper;
  } else {
    console.error("keeper: unexpected error:", error);
    process.exitCode = EXIT.unexpected;
  }
}
