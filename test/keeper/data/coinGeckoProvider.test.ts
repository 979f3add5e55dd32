import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createCoinGeckoProvider, CoinGeckoError } from "../../../keeper/data/coinGeckoProvider.js";

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;

/** A local server answering in CoinGecko's response format, recording what it was asked. */
async function startServer(handler: Handler): Promise<{ baseUrl: string; requests: URL[]; headers: IncomingMessage["headers"][]; server: Server }> {
  const requests: URL[] = [];
  const headers: IncomingMessage["headers"][] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(url);
    headers.push(req.headers);
    handler(req, url, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/api/v3`, requests, headers, server };
}

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const row = (id: string, symbol: string, price: number, cap: number) => ({ id, symbol, name: id, current_price: price, market_cap: cap, total_volume: cap / 20, market_cap_rank: 1 });

const MARKETS = [row("bitcoin", "btc", 60000, 1.2e12), row("ethereum", "eth", 3000, 3.6e11), row("tether", "usdt", 1, 1.1e11), row("wrapped-bitcoin", "wbtc", 60000, 1e10), row("chainlink", "link", 15, 9e9)];

describe("CoinGecko provider (against a local server in CoinGecko's format)", function () {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("builds the universe from /coins/markets with the screens' categories, sending the demo key", async function () {
    const s = await startServer((_req, url, res) => {
      if (url.pathname !== "/api/v3/coins/markets") return json(res, { error: "not found" }, 404);
      const category = url.searchParams.get("category");
      if (category === "stablecoins") return json(res, [MARKETS[2]]);
      if (category === "wrapped-tokens") return json(res, [MARKETS[3]]);
      if (category !== null) return json(res, []);
      return json(res, MARKETS);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ apiKey: "demo-key", baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const universe = await provider.getUniverse(100);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin", "ethereum", "tether", "wrapped-bitcoin", "chainlink"]);
    expect(universe.find((a) => a.id === "tether")?.isStablecoin).to.equal(true);
    expect(universe.find((a) => a.id === "wrapped-bitcoin")?.derivativeOf).to.equal("category:wrapped-tokens");
    expect(universe[0]).to.include({ symbol: "BTC", priceUsd: 60000, marketCapUsd: 1.2e12, volume24hUsd: 6e10 });
    expect(s.requests[0].searchParams.get("vs_currency")).to.equal("usd");
    expect(s.headers[0]["x-cg-demo-api-key"]).to.equal("demo-key");
  });

  it("waits out a 429 (Retry-After) and retries through the SDK", async function () {
    let calls = 0;
    const s = await startServer((_req, url, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        return res.end(JSON.stringify({ status: { error_code: 429, error_message: "You've exceeded the Rate Limit." } }));
      }
      return json(res, url.searchParams.get("category") === null ? MARKETS : []);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const started = Date.now();
    const universe = await provider.getUniverse(2);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin", "ethereum"]);
    expect(calls).to.equal(2 + 4);
    expect(Date.now() - started).to.be.greaterThanOrEqual(900);
  });

  it("gives up after its retries on a persistent 429 with a CoinGeckoError naming the request", async function () {
    const s = await startServer((_req, _url, res) => {
      res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
      res.end("{}");
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 2 });
    const error = await provider.getUniverse(10).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/\/coins\/markets page 1/);
    expect(s.requests).to.have.length(3);
  });

  it("rejects a malformed body with a CoinGeckoError that names the bad field", async function () {
    const s = await startServer((_req, _url, res) => json(res, [{ id: "bitcoin", symbol: "btc", current_price: "sixty thousand", market_cap: 1, total_volume: 1 }]));
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const error = await provider.getUniverse(10).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/unexpected body/).and.to.match(/0\.current_price/);
  });

  it("rejects a body that is not JSON at all", async function () {
    const s = await startServer((_req, _url, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>gateway error</html>");
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const error = await provider.getUniverse(10).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
  });

  it("builds the regime history from /coins/{id}/market_chart, summing market caps per day", async function () {
    const day = 86_400_000;
    const s = await startServer((_req, url, res) => {
      const id = url.pathname.split("/")[4];
      const base = id === "bitcoin" ? 100 : 10;
      json(res, {
        prices: [0, 1, 2].map((d) => [d * day, base + d]),
        market_caps: [0, 1, 2].map((d) => [d * day, (base + d) * 1000]),
        total_volumes: [0, 1, 2].map((d) => [d * day, 1]),
      });
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const history = await provider.getRegimeHistory(["bitcoin", "ethereum"], 3);
    expect(history).to.have.length(3);
    expect(history[2]).to.deep.equal({
      asOf: new Date(2 * day).toISOString(),
      marketCapUsd: 102_000 + 12_000,
      pricesUsd: { bitcoin: 102, ethereum: 12 },
      marketCapsUsd: { bitcoin: 102_000, ethereum: 12_000 },
    });
    expect(s.requests.map((u) => u.searchParams.get("days"))).to.deep.equal(["3", "3"]);
  });

  it("leaves out an id that answers 404 and builds the regime history from the others", async function () {
    const day = 86_400_000;
    const s = await startServer((_req, url, res) => {
      const id = url.pathname.split("/")[4];
      if (id === "delisted") return json(res, { error: "coin not found" }, 404);
      json(res, { prices: [0, 1].map((d) => [d * day, 100 + d]), market_caps: [0, 1].map((d) => [d * day, (100 + d) * 1000]), total_volumes: [0, 1].map((d) => [d * day, 1]) });
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const history = await provider.getRegimeHistory(["bitcoin", "delisted"], 2);
    expect(history.map((o) => Object.keys(o.pricesUsd ?? {}))).to.deep.equal([["bitcoin"], ["bitcoin"]]);
    expect(history[1]!.marketCapUsd).to.equal(101_000);
  });

  it("still fails the regime history when CoinGecko itself is down (a 5xx after the retries)", async function () {
    const s = await startServer((_req, _url, res) => json(res, { error: "down" }, 503));
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const error = await provider.getRegimeHistory(["bitcoin"], 2).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
  });
});
