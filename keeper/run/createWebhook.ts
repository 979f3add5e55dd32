import type { Logger } from "../log.js";
import { fetchWithRetry, HTTP_RETRY_POLICY, type RetryPolicy } from "../data/fetchWithRetry.js";

/**
 * The daemon's alerts (notices, rebalances, failed jobs) to KEEPER_WEBHOOK_URL, under the keeper's one retry
 * policy. A webhook that stays down or keeps refusing costs one warning per alert once the retries are spent,
 * never the daemon: the returned function does not throw. Without a URL it does nothing.
 */
export function createWebhook(url: string | undefined, log: Logger, policy: RetryPolicy = HTTP_RETRY_POLICY): (body: unknown) => Promise<void> {
  return async (body) => {
    if (url === undefined) return;
    try {
      const response = await fetchWithRetry(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, policy);
      if (!response.ok) log.warn({ status: response.status }, "webhook refused the message");
    } catch (error) {
      log.warn({ error: (error as Error).message }, "webhook unreachable");
    }
  };
}
