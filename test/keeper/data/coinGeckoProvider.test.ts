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
const DAY = 86_400_000;
/** A Sunday 00:00 UTC close: the cut-off of Monday 2025-11-24's snapshot. */
const CUTOFF = new Date("2025-11-23T00:00:00.000Z");

/**
 * A /market_chart(/range) body as CoinGecko sends it: `days` daily closes at 00:00 UTC ending at `lastDayMs`,
 * each day's value from `value(dayIndex)`, then the intraday point CoinGecko appends for the current day.
 */
function chart(lastDayMs: number, days: number, value: (day: number) => number, intraday?: { atMs: number; value: number }) {
  const points = Array.from({ length: days }, (_, i) => [lastDayMs - (days - 1 - i) * DAY, value(i)] as [number, number]);
  if (intraday !== undefined) points.push([intraday.atMs, intraday.value]);
  return { prices: points, market_caps: points.map(([t, v]) => [t, v * 1000]), total_volumes: points.map(([t, v]) => [t, v * 10]) };
}

describe("CoinGecko provider (against a local server in CoinGecko's format)", function () {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("builds the universe at the cut-off from each candidate's daily closes, ignoring later and intraday points", async function () {
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, MARKETS.slice(0, 3));
      const id = url.pathname.split("/")[4];
      if (url.pathname.endsWith("/market_chart/range")) {
        // 120 closes up to the cut-off, two later closes and an intraday point: only the first 120 count.
        const base = id === "bitcoin" ? 100 : id === "ethereum" ? 10 : 1;
        const after = chart(CUTOFF.getTime() + 2 * DAY, 2, () => base * 50, { atMs: CUTOFF.getTime() + 2 * DAY + 3_600_000, value: base * 99 });
        const upTo = chart(CUTOFF.getTime(), 120, (d) => (id === "tether" ? 1 : base + d));
        return json(res, { prices: [...upTo.prices, ...after.prices], market_caps: [...upTo.market_caps, ...after.market_caps], total_volumes: [...upTo.total_volumes, ...after.total_volumes] });
      }
      return json(res, { error: "not found" }, 404);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ apiKey: "demo-key", baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const universe = await provider.getUniverse(100, CUTOFF);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin", "ethereum", "tether"]);
    // Day 119 of 120 is the cut-off: bitcoin closes at 100 + 119; the 30-day median volume is of days 90..119.
    expect(universe[0]).to.deep.equal({
      id: "bitcoin",
      symbol: "BTC",
      priceUsd: 219,
      marketCapUsd: 219_000,
      volume24hUsd: 2190,
      medianVolume30dUsd: ((100 + 104) + (100 + 105)) * 10 / 2,
      priceLow30dUsd: 190,
      priceHigh30dUsd: 219,
      historyDays: 120,
    });
    expect(universe[2]).to.include({ priceLow30dUsd: 1, priceHigh30dUsd: 1 });
    const range = s.requests.find((u) => u.pathname.endsWith("/bitcoin/market_chart/range"))!;
    expect(range.searchParams.get("to")).to.equal("2025-11-23T00:00");
    expect(s.headers[0]["x-cg-demo-api-key"]).to.equal("demo-key");
  });

  it("reads the universe within the demo plan's 365 days of history, for a build a day after its cut-off", async function () {
    // CoinGecko's public and demo plans refuse any range starting more than 365 days before now (401, error 10012).
    const cutoff = new Date(Math.floor(Date.now() / DAY) * DAY - DAY);
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, MARKETS.slice(0, 2));
      const from = Date.parse(`${url.searchParams.get("from")}Z`);
      if (!(from >= Date.now() - 365 * DAY)) {
        return json(res, { error: { status: { error_code: 10012, error_message: "Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days." } } }, 401);
      }
      return json(res, chart(cutoff.getTime(), 200, (d) => 100 + d));
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const universe = await provider.getUniverse(100, cutoff);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin", "ethereum"]);
    expect(universe[0]).to.include({ priceUsd: 299, historyDays: 200 });
  });

  it("takes an id once when CoinGecko's pages overlap (the ranking moved between two page requests)", async function () {
    // Page 1 is full; by the time page 2 is read, the coin last on page 1 has slipped down and opens page 2 too.
    // The first one has no price (CoinGecko's null), so 249 usable rows leave room for page 2.
    const page1: Record<string, unknown>[] = Array.from({ length: 250 }, (_, i) => row(`coin-${String(i).padStart(3, "0")}`, `c${i}`, 1 + i, 1e9 - i * 1e6));
    page1[0] = { ...page1[0], current_price: null };
    const page2 = [page1[249]!, row("coin-250", "c250", 1, 1e8)];
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, url.searchParams.get("page") === "1" ? page1 : url.searchParams.get("page") === "2" ? page2 : []);
      const id = url.pathname.split("/")[4]!;
      return json(res, chart(CUTOFF.getTime(), 120, () => 1000 - Number(id.slice(5))));
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 60_000 });
    const universe = await provider.getUniverse(250, CUTOFF);
    const ids = universe.map((a) => a.id);
    expect(new Set(ids).size, "an id listed twice").to.equal(ids.length);
    expect(ids).to.have.length(250);
    expect(ids).to.include("coin-250");
    expect(s.requests.filter((u) => u.pathname.endsWith("/coin-249/market_chart/range"))).to.have.length(1);
  });

  it("leaves out an asset whose market cap at the cut-off is 0 (CoinGecko's 'unknown'), as one with none, so a member is carried forward, not sold", async function () {
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, MARKETS.slice(0, 2));
      const id = url.pathname.split("/")[4];
      const body = chart(CUTOFF.getTime(), 120, (d) => 100 + d);
      // Ethereum's supply was unknown to CoinGecko on the cut-off day: its cap reads 0 there, known on every other day.
      if (id === "ethereum") body.market_caps[119] = [CUTOFF.getTime(), 0];
      return json(res, body);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const universe = await provider.getUniverse(100, CUTOFF);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin"]);
  });

  it("leaves out a candidate whose chart answers 404 (delisted or renamed since /coins/markets listed it) and builds the rest", async function () {
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, MARKETS.slice(0, 3));
      const id = url.pathname.split("/")[4];
      if (id === "ethereum") return json(res, { error: "coin not found" }, 404);
      return json(res, chart(CUTOFF.getTime(), 120, (d) => 100 + d));
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const universe = await provider.getUniverse(100, CUTOFF);
    expect(universe.map((a) => a.id)).to.deep.equal(["bitcoin", "tether"]);
  });

  it("still fails the universe when CoinGecko answers a chart with a 5xx after the retries", async function () {
    const s = await startServer((_req, url, res) => {
      if (url.pathname === "/api/v3/coins/markets") return json(res, MARKETS.slice(0, 2));
      return json(res, { error: "down" }, 503);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const error = await provider.getUniverse(100, CUTOFF).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/\/coins\/bitcoin\/market_chart\/range/);
  });

  it("refuses a cut-off that is not a 00:00 UTC close", async function () {
    const provider = createCoinGeckoProvider({ baseUrl: "http://127.0.0.1:9/api/v3", requestsPerMinute: 6000 });
    const error = await provider.getUniverse(10, new Date("2025-11-23T12:00:00.000Z")).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/00:00 UTC close, got 2025-11-23T12:00:00.000Z/);
  });

  it("lists each category's members for the classification rules", async function () {
    const s = await startServer((_req, url, res) => {
      const category = url.searchParams.get("category");
      if (category === "stablecoins") return json(res, [MARKETS[2]]);
      if (category === "wrapped-tokens") return json(res, [MARKETS[3]]);
      return json(res, []);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    expect(await provider.getCategoryLists!(["stablecoins", "wrapped-tokens", "tokenized-gold"])).to.deep.equal({ stablecoins: ["tether"], "wrapped-tokens": ["wrapped-bitcoin"], "tokenized-gold": [] });
  });

  it("waits out a 429 (Retry-After) and retries through the SDK", async function () {
    let calls = 0;
    const s = await startServer((_req, url, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        return res.end(JSON.stringify({ status: { error_code: 429, error_message: "You've exceeded the Rate Limit." } }));
      }
      return json(res, MARKETS);
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const started = Date.now();
    const lists = await provider.getCategoryLists!(["stablecoins"]);
    expect(lists).to.deep.equal({ stablecoins: ["bitcoin", "ethereum", "tether", "wrapped-bitcoin", "chainlink"] });
    expect(calls).to.equal(2);
    expect(Date.now() - started).to.be.greaterThanOrEqual(900);
  });

  it("gives up after its retries on a persistent 429 with a CoinGeckoError naming the request", async function () {
    const s = await startServer((_req, _url, res) => {
      res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
      res.end("{}");
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 2 });
    const error = await provider.getUniverse(10, CUTOFF).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/\/coins\/markets page 1/);
    expect(s.requests).to.have.length(3);
  });

  it("rejects a malformed body with a CoinGeckoError that names the bad field", async function () {
    const s = await startServer((_req, _url, res) => json(res, [{ id: "bitcoin", symbol: "btc", current_price: "sixty thousand", market_cap: 1, total_volume: 1 }]));
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const error = await provider.getUniverse(10, CUTOFF).catch((e: unknown) => e);
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
    const error = await provider.getUniverse(10, CUTOFF).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
  });

  it("builds the regime history from daily closes up to the cut-off, summing market caps per day", async function () {
    const s = await startServer((_req, url, res) => {
      const id = url.pathname.split("/")[4];
      const base = id === "bitcoin" ? 100 : 10;
      // Closes up to two days after the cut-off, then the intraday point of today: none of those may count.
      json(res, chart(CUTOFF.getTime() + 2 * DAY, 6, (d) => base + d, { atMs: CUTOFF.getTime() + 2 * DAY + 5 * 3_600_000, value: base * 2 }));
    });
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000 });
    const history = await provider.getRegimeHistory(["bitcoin", "ethereum"], 3, CUTOFF);
    expect(history.map((o) => o.asOf)).to.deep.equal([-2, -1, 0].map((d) => new Date(CUTOFF.getTime() + d * DAY).toISOString()));
    expect(history[2]).to.deep.equal({ asOf: CUTOFF.toISOString(), marketCapUsd: (103 + 13) * 1000, pricesUsd: { bitcoin: 103, ethereum: 13 }, marketCapsUsd: { bitcoin: 103_000, ethereum: 13_000 } });
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
    const history = await provider.getRegimeHistory(["bitcoin", "delisted"], 2, new Date(day));
    expect(history.map((o) => Object.keys(o.pricesUsd ?? {}))).to.deep.equal([["bitcoin"], ["bitcoin"]]);
    expect(history[1]!.marketCapUsd).to.equal(101_000);
  });

  it("still fails the regime history when CoinGecko itself is down (a 5xx after the retries)", async function () {
    const s = await startServer((_req, _url, res) => json(res, { error: "down" }, 503));
    server = s.server;
    const provider = createCoinGeckoProvider({ baseUrl: s.baseUrl, requestsPerMinute: 6000, maxRetries: 0 });
    const error = await provider.getRegimeHistory(["bitcoin"], 2, new Date(86_400_000)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
  });
});
