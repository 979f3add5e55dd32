/**
 * The keeper's one retry policy for the HTTP services it calls itself (Token Metrics, the webhook); the
 * CoinGecko SDK keeps its own (maxRetries there). A network error, a timeout, 429 and 5xx are retried after
 * baseDelayMs x 2^attempt (or the server's Retry-After, in seconds, when it sends one), at most maxDelayMs.
 */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

export const HTTP_RETRY_POLICY: RetryPolicy = Object.freeze({ maxRetries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, timeoutMs: 30_000 });

const retryable = (status: number) => status === 429 || status >= 500;

/** fetch() under the retry policy: resolves with the last response (ok or not), throws the last network error. */
export async function fetchWithRetry(url: string | URL, init: RequestInit, policy: RetryPolicy = HTTP_RETRY_POLICY): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (!retryable(response.status) || attempt >= policy.maxRetries) return response;
    } catch (error) {
      if (attempt >= policy.maxRetries) throw error;
    }
    const retryAfterSeconds = Number(response?.headers.get("retry-after"));
    const delayMs = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : policy.baseDelayMs * 2 ** attempt;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, policy.maxDelayMs)));
  }
}
