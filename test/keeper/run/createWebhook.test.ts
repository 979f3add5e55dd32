import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import { createLogger } from "../../../keeper/log.js";
import { createWebhook } from "../../../keeper/run/createWebhook.js";
import type { RetryPolicy } from "../../../keeper/data/fetchWithRetry.js";

/** The daemon's policy's shape, with delays a test can wait for. */
const QUICK: RetryPolicy = { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 40, timeoutMs: 2_000 };

/** A webhook on 127.0.0.1 that answers `statuses[i]` to its i-th POST (the last one from then on), recording the bodies. */
async function webhookServer(statuses: number[]): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => {
      bodies.push(JSON.parse(text));
      res.writeHead(statuses[Math.min(bodies.length, statuses.length) - 1]!).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`, bodies, server };
}

/** The daemon's logger (JSON lines), collected. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ json: true, stream }), lines };
}

describe("the daemon's webhook alerts (keeper run's createWebhook, on a real HTTP server)", function () {
  it("a webhook that fails twice (503) then accepts gets the alert on the third try, and nothing is logged", async function () {
    const { url, bodies, server } = await webhookServer([503, 503, 200]);
    const { log, lines } = capturedLog();
    try {
      await createWebhook(url, log, QUICK)({ type: "error", job: "daily", message: "boom" });
      expect(bodies).to.deep.equal([1, 2, 3].map(() => ({ type: "error", job: "daily", message: "boom" })));
      expect(lines).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it("a webhook that always fails: bounded retries, one warning per alert, and the daemon goes on (no throw)", async function () {
    const { url, bodies, server } = await webhookServer([500]);
    const { log, lines } = capturedLog();
    try {
      const post = createWebhook(url, log, QUICK);
      await post({ type: "rebalance-notice", n: 1 });
      expect(bodies).to.have.length(QUICK.maxRetries + 1);
      expect(lines.map((l) => [l.level, l.msg, l.status])).to.deep.equal([[40, "webhook refused the message", 500]]);
      // The next alert is tried afresh.
      await post({ type: "rebalance-notice", n: 2 });
      expect(bodies).to.have.length(2 * (QUICK.maxRetries + 1));
      expect(lines).to.have.length(2);
    } finally {
      server.close();
    }
  });

  it("a webhook nobody listens on: the retries, then one 'webhook unreachable' warning; no URL, no request", async function () {
    const { url, server } = await webhookServer([200]);
    await new Promise((resolve) => server.close(resolve));
    const { log, lines } = capturedLog();
    await createWebhook(url, log, QUICK)({ type: "error" });
    expect(lines.map((l) => [l.level, l.msg])).to.deep.equal([[40, "webhook unreachable"]]);
    expect(String(lines[0]!.error)).to.match(/fetch failed/);
    await createWebhook(undefined, log, QUICK)({ type: "error" });
    expect(lines).to.have.length(1);
  });
});
