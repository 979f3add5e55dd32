import { z } from "zod";
import { KeeperError, type RegimeDecision, type RegimeSource, type RegimeState } from "../core/index.js";
import { fetchWithRetry, HTTP_RETRY_POLICY, type RetryPolicy } from "./fetchWithRetry.js";

export class TokenMetricsError extends KeeperError {
  override name = "TokenMetricsError";
}

export interface TokenMetricsRegimeSourceParameters {
  apiKey: string;
  /** The market-metrics endpoint; tests point it at a local server. */
  url?: string;
  /** Default: the keeper's HTTP_RETRY_POLICY. */
  retry?: RetryPolicy;
  /** Rows dated more than this many days before the decision are refused: a stale indicator decides nothing. */
  maxAgeDays?: number;
}

const rowSchema = z.object({
  DATE: z.string(),
  TOTAL_CRYPTO_MCAP: z.coerce.number().optional(),
  TM_GRADE_PERC_HIGH_COINS: z.coerce.number().optional(),
  TM_GRADE_SIGNAL: z.coerce.number().optional(),
  LAST_TM_GRADE_SIGNAL: z.coerce.number(),
});
const responseSchema = z.object({ data: z.array(rowSchema) });

/**
 * Token Metrics' bullish/bearish market indicator as a regime source, for users with an API key: the latest
 * `LAST_TM_GRADE_SIGNAL` of their market-metrics endpoint (1 bullish, -1 bearish; 0 keeps the state in force).
 * Their model is proprietary; the decision's inputs record what it said, so the snapshot still shows why.
 */
export function createTokenMetricsRegimeSource({ apiKey, url = "https://api.tokenmetrics.com/v2/market-metrics", retry = HTTP_RETRY_POLICY, maxAgeDays = 2 }: TokenMetricsRegimeSourceParameters): RegimeSource {
  return {
    name: "token-metrics",
    async getRegime(asOf: string, previous: RegimeState): Promise<RegimeDecision> {
      const day = asOf.slice(0, 10);
      const start = new Date(Date.parse(asOf) - 7 * 86_400_000).toISOString().slice(0, 10);
      const query = new URL(url);
      query.searchParams.set("startDate", start);
      query.searchParams.set("endDate", day);
      query.searchParams.set("limit", "10");
      let body: unknown;
      try {
        const response = await fetchWithRetry(query, { headers: { "x-api-key": apiKey, accept: "application/json" } }, retry);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        body = await response.json();
      } catch (cause) {
        throw new TokenMetricsError("Token Metrics market-metrics request failed", { cause });
      }
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success) throw new TokenMetricsError("Token Metrics answered with an unexpected body", { details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) });
      const latest = [...parsed.data.data].filter((r) => r.DATE.slice(0, 10) <= day).sort((a, b) => (a.DATE < b.DATE ? 1 : -1))[0];
      if (latest === undefined) throw new TokenMetricsError(`Token Metrics has no market metrics between ${start} and ${day}`);
      const ageDays = Math.floor((Date.parse(day) - Date.parse(latest.DATE.slice(0, 10))) / 86_400_000);
      if (!(ageDays <= maxAgeDays)) {
        throw new TokenMetricsError(`Token Metrics' latest market metrics (${latest.DATE}) are ${ageDays} days old on ${day}; at most ${maxAgeDays} accepted`);
      }
      const state: RegimeState = latest.LAST_TM_GRADE_SIGNAL > 0 ? "bull" : latest.LAST_TM_GRADE_SIGNAL < 0 ? "bear" : previous;
      return {
        state,
        previous,
        changed: state !== previous,
        asOf,
        source: "token-metrics",
        inputs: {
          date: latest.DATE,
          lastTmGradeSignal: latest.LAST_TM_GRADE_SIGNAL,
          tmGradeSignal: latest.TM_GRADE_SIGNAL ?? null,
          totalCryptoMcapUsd: latest.TOTAL_CRYPTO_MCAP ?? null,
          highGradeCoinsPct: latest.TM_GRADE_PERC_HIGH_COINS ?? null,
        },
      };
    },
  };
}
