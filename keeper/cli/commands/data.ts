import { loadDataFetchConfig } from "../../config.js";
import { KeeperError } from "../../core/index.js";
import { fetchMarketHistory } from "../../data/fetchMarketHistory.js";
import { EXIT } from "../exitCodes.js";

export interface DataFetchOptions {
  from?: string;
  to?: string;
  top: string;
  out?: string;
  cache?: string;
}

/**
 * `keeper data fetch`: checks its flags (exit 2 naming a bad value), takes the CoinGecko settings from the validated
 * configuration (a bad variable is a ConfigError: exit 2 naming it), and downloads the history. Exit 3 when the fetch fails;
 * what it got so far stays cached for the next run.
 */
export async function dataFetchCommand(options: DataFetchOptions): Promise<number> {
  const problem = usageProblem(options);
  if (problem !== undefined) {
    console.error(`keeper data fetch: ${problem}`);
    return EXIT.usage;
  }
  const config = loadDataFetchConfig();
  try {
    const result = await fetchMarketHistory({
      from: options.from!,
      to: options.to!,
      top: Number(options.top),
      outFile: options.out!,
      cacheDir: options.cache,
      apiKey: config.COINGECKO_API_KEY,
      plan: config.COINGECKO_PLAN,
      requestsPerMinute: config.COINGECKO_REQUESTS_PER_MINUTE,
      onProgress: (line) => console.error(`keeper data fetch: ${line}`),
    });
    console.error(`keeper data fetch: wrote ${options.out}: ${result.coins} coins, ${result.rows} rows (${result.requests} requests, the rest from the cache)`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof KeeperError)) throw error;
    console.error(`keeper data fetch: ${error.message}`);
    return EXIT.keeper;
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
