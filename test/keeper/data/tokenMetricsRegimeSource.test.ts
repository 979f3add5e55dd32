import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTokenMetricsRegimeSource, TokenMetricsError } from "../../../keeper/data/tokenMetricsRegimeSource.js";

/** A local server answering in Token Metrics' market-metrics format with the given rows. */
async function serve(rows: unknown[]): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ success: true, data: rows }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/market-metrics`, server };
}

describe("Token Metrics regime source (against a local server in their format)", function () {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("takes the latest bearish signal when it is fresh", async function () {
    const s = await serve([{ DATE: "2026-11-29", LAST_TM_GRADE_SIGNAL: 1 }, { DATE: "2026-11-30", LAST_TM_GRADE_SIGNAL: -1 }]);
    server = s.server;
    const decision = await createTokenMetricsRegimeSource({ apiKey: "k", url: s.url, maxAgeDays: 2 }).getRegime("2026-12-01T00:00:00.000Z", "bull");
    expect(decision).to.include({ state: "bear", changed: true, source: "token-metrics" });
  });

  it("refuses rows older than the configured age instead of deciding on them", async function () {
    const s = await serve([{ DATE: "2026-11-26", LAST_TM_GRADE_SIGNAL: -1 }]);
    server = s.server;
    const error = await createTokenMetricsRegimeSource({ apiKey: "k", url: s.url, maxAgeDays: 2 })
      .getRegime("2026-12-01T00:00:00.000Z", "bull")
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TokenMetricsError);
    expect((error as Error).message).to.match(/2026-11-26\) are 5 days old on 2026-12-01; at most 2 accepted/);
  });
});
