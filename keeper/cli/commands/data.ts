import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { KeeperError } from "../../core/index.js";
import { fetchMarketHistory } from "../../data/fetchMarketHistory.js";

export const DATA_USAGE = `Usage: keeper data fetch --from YYYY-MM-DD --to YYYY-MM-DD [--top N] --out FILE [--cache DIR] [--env-file FILE]

Downloads daily history for a backtest (npm run backtest -- --data FILE) from CoinGecko: the N x 1.5 largest coins
of today (default N = 100), /coins/{id}/market_chart/range each, throttled to COINGECKO_REQUESTS_PER_MINUTE.
Every answer is cached in --cache (default FILE.cache): run the same command again to resume. Needs
COINGECKO_API_KEY (and COINGECKO_PLAN=pro for a pro key). The output is marked survivor-biased: coins that died
are not in today's list.`;

/**
 * `keeper data <subcommand>`: self-contained (its own flags, its own environment reading) so that it moves to
 * any command-line framework as one function. Returns the exit code: 0, 2 bad usage, 3 the fetch failed.
 */
export async function dataCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        top: { type: "string", default: "100" },
        out: { type: "string" },
        cache: { type: "string" },
        "env-file": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`keeper data: ${(error as Error).message}\n\n${DATA_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(DATA_USAGE);
    return 0;
  }
  if (positionals[0] !== "fetch" || positionals.length > 1) {
    console.error(`keeper data: unknown subcommand "${positionals.join(" ")}"\n\n${DATA_USAGE}`);
    return 2;
  }
  const problem = usageProblem(values);
  if (problem !== undefined) {
    console.error(`keeper data fetch: ${problem}`);
    return 2;
  }
  if (values["env-file"] !== undefined && !existsSync(values["env-file"])) {
    console.error(`keeper data fetch: --env-file ${values["env-file"]}: no such file`);
    return 2;
  }
  const envFile = values["env-file"] ?? (existsSync(".env") ? ".env" : undefined);
  if (envFile !== undefined) dotenv.config({ path: envFile, quiet: true });
  const plan = process.env.COINGECKO_PLAN ?? "demo";
  const rate = Number(process.env.COINGECKO_REQUESTS_PER_MINUTE ?? "30");
  if (plan !== "demo" && plan !== "pro") {
    console.error(`keeper data fetch: COINGECKO_PLAN must be demo or pro, got "${plan}"`);
    return 2;
  }
  if (!(Number.isInteger(rate) && rate >= 1)) {
    console.error(`keeper data fetch: COINGECKO_REQUESTS_PER_MINUTE must be a positive integer, got "${process.env.COINGECKO_REQUESTS_PER_MINUTE}"`);
    return 2;
  }
  try {
    const result = await fetchMarketHistory({
      from: values.from!,
      to: values.to!,
      top: Number(values.top),
      outFile: values.out!,
      cacheDir: values.cache,
      apiKey: process.env.COINGECKO_API_KEY || undefined,
      plan,
      requestsPerMinute: rate,
      onProgress: (line) => console.error(`keeper data fetch: ${line}`),
    });
    console.error(`keeper data fetch: wrote ${values.out}: ${result.coins} coins, ${result.rows} rows (${result.requests} requests, the rest from the cache)`);
    return 0;
  } catch (error) {
    if (!(error instanceof KeeperError)) throw error;
    console.error(`keeper data fetch: ${error.message}`);
    return 3;
  }
}

function usageProblem(values: { from?: string; to?: string; top: string; out?: string }): string | undefined {
  for (const name of ["from", "to"] as const) {
    const value = values[name];
    if (value === undefined) return `--${name} YYYY-MM-DD is required`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) return `--${name} must be a date YYYY-MM-DD, got "${value}"`;
  }
  if (values.from! >= values.to!) return `--from ${values.from} must be before --to ${values.to}`;
  if (!/^\d+$/.test(values.top) || Number(values.top) < 1 || Number(values.top) > 1000) return `--top must be an integer from 1 to 1000, got "${values.top}"`;
  if (values.out === undefined || values.out === "") return "--out FILE is required";
  return undefined;
}
