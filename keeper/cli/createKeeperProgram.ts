import { existsSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError, loadConfig, loadEnvFile } from "../config.js";
import { createLogger } from "../log.js";
import { EXIT } from "./exitCodes.js";

/** Where a command's exit code goes: the action sets it, main() hands it to the process. */
export interface ProgramResult {
  code: number;
}

const EPILOG = `
Configuration comes from the environment, or a .env file in the current directory, or --env-file FILE;
every variable is documented in .env.example. \`keeper <command> --help\` shows a command's flags.
Exit codes: ${EXIT.ok} ok, ${EXIT.unexpected} unexpected error, ${EXIT.usage} bad usage or configuration, ${EXIT.keeper} the keeper refused or could not finish,
${EXIT.auditViolations} the audit found violations.`;

function isoTime(raw: string): Date {
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError("Expected an ISO-8601 time, e.g. 2026-03-02T00:00:00Z.");
  return at;
}

function blockNumber(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("Expected a block number.");
  return n;
}

const example = (...lines: string[]) => `\nExample:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;
const jsonOption = () => new Option("--json", "machine-readable output on stdout");
const logJsonOption = () => new Option("--log-json", "JSON log lines on stderr (or KEEPER_LOG_FORMAT=json)");
const modeOption = () => new Option("--mode <mode>", "weekly: the Monday rebalance; regime-check: the daily check, which trades only on a switch").choices(["weekly", "regime-check"]).default("weekly");
const asOfOption = () => new Option("--as-of <iso>", "a time in the epoch to run (default: the chain's now), taken to its Monday 00:00 UTC, or its day for a regime check").argParser(isoTime);

/**
 * The `keeper` command line: one subcommand per job, each with its own flags, help and example. A flag the
 * command does not take is an error with that command's usage (exit 2); every exit code comes from EXIT.
 * The commands load their modules when they run, so `--help` and usage errors answer at once.
 */
export function createKeeperProgram(result: ProgramResult): Command {
  const program = new Command("keeper")
    .description("The index vault's keeper: status, plans, rebalances, the daemon, and the audit.")
    .addOption(new Option("--env-file <file>", "read the configuration from FILE (default: .env when present)"))
    .exitOverride()
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "keeper: ")) })
    .addHelpText("after", EPILOG);
  program.on("command:*", ([name]: string[]) => program.error(`keeper: unknown command "${name}"`, { exitCode: EXIT.usage, code: "commander.unknownCommand" }));

  program.hook("preAction", () => {
    const { envFile } = program.opts<{ envFile?: string }>();
    if (envFile !== undefined && !existsSync(envFile)) throw new ConfigError(`--env-file ${envFile}: no such file`);
    const file = envFile ?? (existsSync(".env") ? ".env" : undefined);
    if (file !== undefined) loadEnvFile(file);
  });

  const keeperContext = async (logJson: boolean | undefined, needsSigner: boolean) => {
    const config = loadConfig();
    const log = createLogger({ json: logJson === true || config.KEEPER_LOG_FORMAT === "json", level: config.KEEPER_LOG_LEVEL });
    const { contextFromConfig } = await import("./contextFromConfig.js");
    return { config, ctx: await contextFromConfig(config, log, { needsSigner }) };
  };

  program
    .command("status")
    .description("NAV, holdings against targets, regime, loss budget left, next rebalance")
    .addOption(jsonOption())
    .addOption(logJsonOption())
    .addHelpText("after", example("keeper status --env-file devnet.env", "keeper status --json"))
    .action(async (opts: { json?: boolean; logJson?: boolean }) => {
      const { ctx } = await keeperContext(opts.logJson, false);
      const { statusCommand } = await import("./commands/status.js");
      result.code = await statusCommand(ctx, { json: opts.json === true });
    });

  program
    .command("plan")
    .description("what would be committed and traded now, with a cost preview; sends nothing")
    .addOption(modeOption())
    .addOption(asOfOption())
    .addOption(jsonOption())
    .addOption(logJsonOption())
    .addHelpText("after", example("keeper plan --env-file devnet.env", "keeper plan --mode regime-check --json"))
    .action(async (opts: { mode: "weekly" | "regime-check"; asOf?: Date; json?: boolean; logJson?: boolean }) => {
      const { ctx } = await keeperContext(opts.logJson, false);
      const { rebalanceCommand } = await import("./commands/rebalance.js");
      result.code = await rebalanceCommand(ctx, { mode: opts.mode, dryRun: true, json: opts.json === true, asOf: opts.asOf });
    });

  program
    .command("rebalance")
    .description("commit the epoch's targets (if due), then trade to them; a re-run resumes from chain state")
    .option("--dry-run", "plan and print, send nothing (the same as `keeper plan`)")
    .addOption(modeOption())
    .addOption(asOfOption())
    .addOption(jsonOption())
    .addOption(logJsonOption())
    .addHelpText("after", example("keeper rebalance --env-file devnet.env", "keeper rebalance --mode regime-check --as-of 2026-03-04T00:00:00Z --json"))
    .action(async (opts: { dryRun?: boolean; mode: "weekly" | "regime-check"; asOf?: Date; json?: boolean; logJson?: boolean }) => {
      const dryRun = opts.dryRun === true;
      const { ctx } = await keeperContext(opts.logJson, !dryRun);
      const { rebalanceCommand } = await import("./commands/rebalance.js");
      result.code = await rebalanceCommand(ctx, { mode: opts.mode, dryRun, json: opts.json === true, asOf: opts.asOf });
    });

  program
    .command("run")
    .description("the daemon: Monday rebalances, daily regime checks, notices, /healthz and /metrics; SIGINT/SIGTERM stop it")
    .addOption(logJsonOption())
    .addHelpText("after", example("keeper run --env-file devnet.env --log-json"))
    .action(async (opts: { logJson?: boolean }) => {
      const { config, ctx } = await keeperContext(opts.logJson, true);
      const { runCommand } = await import("./commands/run.js");
      result.code = await runCommand(ctx, { metricsPort: config.KEEPER_METRICS_PORT, webhookUrl: config.KEEPER_WEBHOOK_URL, takeoverDelayS: config.KEEPER_TAKEOVER_DELAY_S, clock: config.KEEPER_CLOCK });
    });

  program
    .command("data")
    .description("market data for the backtester (npm run backtest)")
    .command("fetch")
    .description("daily history of the largest coins from CoinGecko, throttled, cached and resumable; marked survivor-biased")
    .option("--from <date>", "first day, YYYY-MM-DD")
    .option("--to <date>", "last day, YYYY-MM-DD")
    .option("--top <n>", "the index's size N: the 1.5 x N largest coins of today are fetched", "100")
    .option("--out <file>", "the dataset to write (JSON, the backtest's schema)")
    .option("--cache <dir>", "where answers are cached for a resumed run (default: FILE.cache)")
    .addHelpText("after", example("COINGECKO_API_KEY=... COINGECKO_PLAN=pro keeper data fetch --from 2022-11-01 --to 2024-12-31 --top 100 --out data/coingecko-2023-24.json"))
    .action(async (opts: { from?: string; to?: string; top: string; out?: string; cache?: string }) => {
      const { dataFetchCommand } = await import("./commands/data.js");
      result.code = await dataFetchCommand(opts);
    });

  program
    .command("classify")
    .description("each CoinGecko id's class and why, offline from the shipped classification")
    .argument("<ids...>", "CoinGecko ids, e.g. bitcoin staked-ether")
    .addOption(jsonOption())
    .addHelpText("after", example("keeper classify --json ondo-finance wrapped-eeth pax-gold"))
    .action(async (ids: string[], opts: { json?: boolean }) => {
      const { classifyCommand } = await import("./commands/classify.js");
      result.code = classifyCommand({ ids, json: opts.json === true });
    });

  program
    .command("audit")
    .description("re-verify every rebalance from chain events and the published snapshots; exit 4 on any violation")
    .option("--rpc <url>", "JSON-RPC endpoint (or KEEPER_RPC_URL)")
    .option("--vault <address>", "the vault (or KEEPER_VAULT)")
    .addOption(new Option("--from-block <n>", "first block to read events from (default: the vault's deployment block, from its deploymentBlock() view)").argParser(blockNumber))
    .option("--snapshots <dir>", "the published snapshots, <epoch>.json (or KEEPER_SNAPSHOT_DIR); without them hashes and targets are not checked")
    .option("--token-list <file>", "the chain's token list (or KEEPER_TOKEN_LIST), to map snapshot ids to tokens")
    .option("--report <file>", "where the JSON report goes (default audit-report.json; with --json, stdout only)")
    .addOption(jsonOption())
    .addHelpText("after", example("keeper audit --rpc http://127.0.0.1:8545 --vault 0x... --snapshots report/snapshots --token-list report/tokenlist.json"))
    .action(async (opts: { rpc?: string; vault?: string; fromBlock?: number; snapshots?: string; tokenList?: string; report?: string; json?: boolean }) => {
      const { auditCommand } = await import("./commands/audit.js");
      result.code = await auditCommand({ rpc: opts.rpc, vault: opts.vault, fromBlock: opts.fromBlock, snapshots: opts.snapshots, tokenList: opts.tokenList, report: opts.report, json: opts.json === true });
    });

  program
    .command("roles")
    .description("who holds every role on the vault, its queue, its timelock and its oracle, read from the chain")
    .option("--rpc <url>", "JSON-RPC endpoint (or KEEPER_RPC_URL)")
    .option("--vault <address>", "the vault (or KEEPER_VAULT)")
    .option("--queue <address>", "the vault's IndexQueue (or KEEPER_QUEUE)")
    .addOption(jsonOption())
    .addHelpText("after", example("keeper roles --rpc http://127.0.0.1:8545 --vault 0x...", "keeper roles --env-file devnet.env --json"))
    .action(async (opts: { rpc?: string; vault?: string; queue?: string; json?: boolean }) => {
      const { rolesCommand } = await import("./commands/roles.js");
      result.code = await rolesCommand({ rpc: opts.rpc, vault: opts.vault, queue: opts.queue, json: opts.json === true });
    });

  return program;
}
