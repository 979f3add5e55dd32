import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchWithRetry, type RetryPolicy } from "../../../keeper/data/fetchWithRetry.js";
import { createTokenMetricsRegimeSource, TokenMetricsError } from "../../../keeper/data/tokenMetricsRegimeSource.js";

const FAST: RetryPolicy = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2_000 };
const BODY = JSON.stringify({ data: [{ DATE: "2026-03-01", LAST_TM_GRADE_SIGNAL: -1, TOTAL_CRYPTO_MCAP: 2e12 }] });

/** A local server answering each request with the next [status, headers] of `script` (the last one repeats). */
async function scripted(script: [number, Record<string, string>?][]): Promise<{ url: string; requests: () => number; server: Server }> {
  let count = 0;
  const server = createServer((_, res) => {
    const [status, headers] = script[Math.min(count++, script.length - 1)]!;
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(status === 200 ? BODY : "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/market-metrics`, requests: () => count, server };
}

describe("#fetchWithRetry: one retry policy for Token Metrics and the webhook", function () {
  it("retries 5xx and 429 (honouring Retry-After) until an answer, through the Token Metrics source", async function () {
    const { url, requests, server } = await scripted([[503], [429, { "retry-after": "0.01" }], [200]]);
    try {
      const decision = await createTokenMetricsRegimeSource({ apiKey: "k", url, retry: FAST }).getRegime("2026-03-02T00:00:00.000Z", "bull");
      expect(decision.state).to.equal("bear");
      expect(requests()).to.equal(3);
    } finally {
      server.close();
    }
  });

  it("does not retry a client error, and gives up after maxRetries", async function () {
    const refused = await scripted([[401]]);
    try {
      const error = await createTokenMetricsRegimeSource({ apiKey: "k", url: refused.url, retry: FAST }).getRegime("2026-03-02T00:00:00.000Z", "bull").catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TokenMetricsError);
      expect(refused.requests()).to.equal(1);
    } finally {
      refused.server.close();
    }
    const down = await scripted([[500]]);
    try {
      const response = await fetchWithRetry(down.url, { method: "POST", body: "{}" }, FAST);
      expect(response.status).to.equal(500);
      expect(down.requests()).to.equal(FAST.maxRetries + 1);
    } finally {
      down.server.close();
    }
  });

  it("throws the last connection error once the retries are spent", async function () {
    const { url, server } = await scripted([[200]]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetchWithRetry(url, {}, FAST).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.equal("fetch failed");
  });
});
