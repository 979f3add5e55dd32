import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseDataset } from "../../../keeper/backtest/parseDataset.js";
import { CoinGeckoError } from "../../../keeper/data/coinGeckoProvider.js";
import { fetchMarketHistory } from "../../../keeper/data/fetchMarketHistory.js";

interface Fixture {
  markets: unknown[];
  categories: Record<string, unknown[]>;
  ranges: Record<string, unknown>;
}

describe("keeper data fetch (against a local server answering from a CoinGecko-format fixture)", function () {
  this.timeout(60_000);
  let server: Server;
  let baseUrl: string;
  let requests: URL[];
  let failing: Set<string>;
  let htmlFor: Set<string>;
  let dir: string;

  before(async () => {
    const fixture = JSON.parse(await readFile(new URL("fixtures/coingecko-history.json", import.meta.url), "utf8")) as Fixture;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      requests.push(url);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/api/v3/coins/markets") {
        const category = url.searchParams.get("category");
        if (category !== null) return send(200, fixture.categories[category] ?? []);
        return send(200, url.searchParams.get("page") === "1" ? fixture.markets : []);
      }
      const range = /^\/api\/v3\/coins\/([^/]+)\/market_chart\/range$/.exec(url.pathname);
      if (range !== null && fixture.ranges[range[1]!] !== undefined) {
        if (failing.has(range[1]!)) return send(500, { error: "upstream down" });
        if (htmlFor.has(range[1]!)) {
          res.writeHead(200, { "content-type": "text/html" });
          return res.end("<html><body>Just a moment...</body></html>");
        }
        expect(url.searchParams.get("from")).to.equal("2024-01-01");
        expect(url.searchParams.get("to")).to.equal("2024-01-04");
        return send(200, fixture.ranges[range[1]!]);
      }
      send(404, { error: "not found" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  });
  after(() => server.close());
  beforeEach(async () => {
    requests = [];
    failing = new Set();
    htmlFor = new Set();
    dir = await mkdtemp(path.join(tmpdir(), "fetch-history-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const fetch = (progress: string[] = []) =>
    fetchMarketHistory({ from: "2024-01-01", to: "2024-01-04", top: 2, outFile: path.join(dir, "history.json"), baseUrl, requestsPerMinute: 60_000, maxRetries: 0, onProgress: (line) => progress.push(line) });
  const rangeRequests = () => requests.filter((u) => u.pathname.endsWith("/market_chart/range")).map((u) => u.pathname.split("/")[4]);

  it("writes a dataset the backtester reads: daily closes, screens' flags, marked survivor-biased", async () => {
    const progress: string[] = [];
    const result = await fetch(progress);
    expect(result).to.deep.equal({ coins: 4, rows: 16, requests: 9 });
    expect(progress).to.deep.equal(["[1/4] bitcoin", "[2/4] ethereum", "[3/4] tether", "[4/4] wrapped-bitcoin"]);
    const dataset = parseDataset(await readFile(path.join(dir, "history.json"), "utf8"), "history.json");
    expect(dataset.dates).to.deep.equal(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]);
    expect(dataset.survivorshipBiased).to.equal(true);
    const btc = dataset.assets.findIndex((a) => a.id === "bitcoin");
    // The close is the day's first point, 00:00 UTC, as the live keeper reads it: the 12:00 point CoinGecko appends
    // for a day still running is intraday, not that day's close.
    expect(dataset.priceUsd[3]![btc]).to.equal(42848.2);
    expect(dataset.marketCapUsd[0]![btc]).to.equal(828e9);
    expect(dataset.assets.find((a) => a.id === "tether")!.isStablecoin).to.equal(true);
    expect(dataset.assets.find((a) => a.id === "wrapped-bitcoin")!.derivativeOf).to.not.equal(undefined);
    expect([...dataset.registry].sort()).to.deep.equal(["bitcoin", "ethereum"]);
  });

  it("resumes after a failure from its cache, asking only for what it does not have", async () => {
    failing.add("tether");
    let error: unknown;
    await fetch().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/market_chart\/range[\s\S]*run the same command again to resume/);
    expect(rangeRequests()).to.deep.equal(["bitcoin", "ethereum", "tether"]);
    expect(await readdir(dir)).to.deep.equal(["history.json.cache"]);

    failing.clear();
    requests = [];
    const progress: string[] = [];
    const result = await fetch(progress);
    expect(rangeRequests()).to.deep.equal(["tether", "wrapped-bitcoin"]);
    expect(requests.filter((u) => u.pathname.endsWith("/coins/markets"))).to.have.length(0);
    expect(result.requests).to.equal(2);
    expect(progress.slice(0, 2)).to.deep.equal(["[1/4] bitcoin (cached)", "[2/4] ethereum (cached)"]);

    requests = [];
    expect((await fetch()).requests).to.equal(0);
    expect(requests).to.have.length(0);
  });

  it("does not cache an answer it refuses: a rerun asks again instead of failing on the same bad body forever", async () => {
    // A proxy's or CDN's error page answered with 200 (not JSON): the SDK hands it over as text.
    htmlFor.add("ethereum");
    const error = await fetch().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CoinGeckoError);
    expect((error as Error).message).to.match(/\/coins\/ethereum\/market_chart\/range with an unexpected body/);

    htmlFor.clear();
    requests = [];
    const result = await fetch();
    expect(rangeRequests()).to.deep.equal(["ethereum", "tether", "wrapped-bitcoin"]);
    expect(result.rows).to.equal(16);
  });

  it("`keeper data fetch` refuses bad flags with exit 2 and a line naming the value, before any request", async () => {
    const keeper = new URL("../../../bin/keeper.js", import.meta.url).pathname;
    const cases: [string[], RegExp][] = [
      [["--from", "2024-01-05", "--to", "2024-01-01", "--out", "x.json"], /--from 2024-01-05 must be before --to 2024-01-01/],
      [["--from", "2024-02-30x", "--to", "2024-03-01", "--out", "x.json"], /--from must be a date YYYY-MM-DD, got "2024-02-30x"/],
      [["--from", "2024-01-01", "--to", "2024-03-01", "--top", "0", "--out", "x.json"], /--top must be an integer from 1 to 1000, got "0"/],
      [["--from", "2024-01-01", "--to", "2024-03-01"], /--out FILE is required/],
    ];
    // Each case is its own process: all run at once.
    const [badPlan, ...errors] = (await Promise.all([
      promisify(execFile)(process.execPath, [keeper, "data", "fetch", "--from", "2024-01-01", "--to", "2024-03-01", "--out", "x.json"], { cwd: dir, env: { ...process.env, COINGECKO_PLAN: "enterprise" } }).catch((e: unknown) => e),
      ...cases.map(([args]) => promisify(execFile)(process.execPath, [keeper, "data", "fetch", ...args], { cwd: dir }).catch((e: unknown) => e)),
    ])) as { code: number; stderr: string }[];
    cases.forEach(([args, message], i) => {
      expect(errors[i]!.code, args.join(" ")).to.equal(2);
      expect(errors[i]!.stderr, args.join(" ")).to.match(message);
    });
    expect(badPlan.code).to.equal(2);
    expect(badPlan.stderr).to.include('COINGECKO_PLAN="enterprise"');
    expect(requests).to.have.length(0);
  });
});

describe("keeper data fetch over more than one /coins/markets page", function () {
  this.timeout(60_000);
  let server: Server | undefined;
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "fetch-pages-"))));
  afterEach(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("takes a coin once when the pages overlap (the ranking moved between the two requests): the dataset still parses", async function () {
    const coin = (i: number) => ({ id: `coin-${i}`, symbol: `c${i}`, name: `Coin ${i}`, current_price: 1, market_cap: 1e9 - i * 1e6, total_volume: 1e6 });
    const page1 = Array.from({ length: 250 }, (_, i) => coin(i));
    // The coin last on page 1 has slipped by the time page 2 is read, and opens it.
    const page2 = [coin(249), ...Array.from({ length: 60 }, (_, i) => coin(250 + i))];
    const day = Date.parse("2024-01-01T00:00:00Z");
    const points = [0, 1].map((d) => [day + d * 86_400_000, 100 + d]);
    const rangesAsked: string[] = [];
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const send = (body: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/api/v3/coins/markets") {
        if (url.searchParams.get("category") !== null) return send([]);
        const page = url.searchParams.get("page");
        return send(page === "1" ? page1 : page === "2" ? page2 : []);
      }
      rangesAsked.push(url.pathname.split("/")[4]!);
      send({ prices: points, market_caps: points, total_volumes: points });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
    const outFile = path.join(dir, "history.json");
    const result = await fetchMarketHistory({ from: "2024-01-01", to: "2024-01-02", top: 200, outFile, baseUrl, requestsPerMinute: 600_000, maxRetries: 0 });
    expect(result.coins).to.equal(300);
    expect(rangesAsked.filter((id) => id === "coin-249")).to.have.length(1);
    const dataset = parseDataset(await readFile(outFile, "utf8"), "history.json");
    expect(dataset.assets).to.have.length(300);
  });

  it("takes each day's first point as its close whatever order the points come in (hourly data, out of order)", async function () {
    const hour = 3_600_000;
    const day = Date.parse("2024-01-01T00:00:00Z");
    // Hourly points a few minutes past the hour, as CoinGecko serves a range under 90 days; the first two swapped.
    const points = Array.from({ length: 40 }, (_, h) => [day + h * hour + 4 * 60_000, 100 + h]);
    [points[0], points[1]] = [points[1]!, points[0]!];
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      res.writeHead(200, { "content-type": "application/json" });
      if (url.pathname === "/api/v3/coins/markets") {
        return res.end(JSON.stringify(url.searchParams.get("category") === null && url.searchParams.get("page") === "1" ? [{ id: "bitcoin", symbol: "btc", market_cap: 1e12 }] : []));
      }
      res.end(JSON.stringify({ prices: points, market_caps: points, total_volumes: points }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
    const outFile = path.join(dir, "history.json");
    await fetchMarketHistory({ from: "2024-01-01", to: "2024-01-02", top: 1, outFile, baseUrl, requestsPerMinute: 600_000, maxRetries: 0 });
    const dataset = parseDataset(await readFile(outFile, "utf8"), "history.json");
    // 00:04 on each day: hour 0 and hour 24.
    expect(dataset.priceUsd.map((prices) => prices[0])).to.deep.equal([100, 124]);
  });
});
