/**
 * `npm run bench:app [-- --devnet FILE | --rpc URL --vault ADDR --snapshots DIR --token-list FILE] [--runs 3]`:
 * the web app's load times in Debian's Chromium, production build, a fresh browser context (cold cache) per
 * run, against a running deployment; writes bench/app.json. The figures of record come from a 100-constituent
 * vault with 52 weekly epochs (README, Performance, for the command that builds it).
 *   first_render_ms  navigation until NAV per share, AUM and the holdings table are in the page, laid out (Overview)
 *   history_ms       navigation until the Transactions page lists the full event history, gas of its rows read
 *   bundle_gzip_kb   gzip size of every script loaded before Overview rendered
 * Each moment is taken by the page's own clock (a MutationObserver; see MOMENTS). With each time, what does not
 * depend on the machine's load: the node round trips (HTTP requests to the RPC), the JSON-RPC calls in them and
 * the bytes both ways, of the requests ended by the same moment; the profile lists the requests started by then
 * (its main-thread times run a little past it, to when they are read).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import { Command } from "commander";
import { build } from "vite";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { toolSettings } from "../keeper/config.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const values = parseScriptOptions<{ devnet?: string; rpc?: string; vault?: string; snapshots?: string; tokenList?: string; runs: number; out: string }>(
  new Command("npm run bench:app --")
    .description("Measures the web app's first render, history load and script size in Chromium against a running deployment.")
    .option("--devnet <file>", "a devnet.json (npm run devnet, npm run bench:app:devnet); the default without --rpc", undefined)
    .option("--rpc <url>", "a JSON-RPC URL (with --vault)")
    .option("--vault <address>", "the vault (with --rpc)")
    .option("--snapshots <dir>", "the published snapshots")
    .option("--token-list <file>", "the chain's token list")
    .option("--runs <n>", "runs, each in a fresh browser context; the median is written", integerInRange(1, 20), 3)
    .option("--out <file>", "where the figures go", "bench/app.json")
    .addHelpText("after", "\nExample:\n  $ npm run bench:app -- --devnet bench-devnet/devnet.json --snapshots bench-devnet/snapshots --token-list bench-devnet/tokenlist.json"),
);
const runs = values.runs;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function serve(port: number): Promise<ChildProcess> {
  const target = values.rpc !== undefined ? ["--rpc", values.rpc, "--vault", values.vault ?? ""] : ["--devnet", values.devnet ?? "devnet.json"];
  const files = [...(values.snapshots ? ["--snapshots", values.snapshots] : []), ...(values.tokenList ? ["--token-list", values.tokenList] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["app/serve.ts", "--prod", "--port", String(port), ...target, ...files], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => {
      output += c.toString();
      if (/vault 0x/.test(output)) resolve(child);
    });
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => reject(new Error(`the app server exited with ${code}: ${output.trim()}`)));
  });
}

interface RpcTraffic {
  requests: number;
  calls: number;
  sent_kb: number;
  received_kb: number;
}

/**
 * Counts the page's JSON-RPC traffic from now; `read(untilMs)` gives the requests that ended by that moment (ms
 * since navigation), once each has completed.
 */
function trackRpc(page: Page): { read(untilMs: number): Promise<RpcTraffic> } {
  const finished: Promise<{ endWallMs: number; calls: number; sent: number; received: number } | null>[] = [];
  page.on("requestfinished", (request) => {
    const body = request.postData();
    if (request.method() !== "POST" || body === null || !body.includes('"jsonrpc"')) return;
    const parsed = JSON.parse(body) as unknown;
    const calls = Array.isArray(parsed) ? parsed.length : 1;
    const timing = request.timing();
    // A request still open when the context closes (after the moment) has no sizes: not counted, and no
    // unhandled rejection ending the run before it stops its server.
    finished.push(request.sizes().then((s) => ({ endWallMs: timing.startTime + timing.responseEnd, calls, sent: body.length, received: s.responseBodySize }), () => null));
  });
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  return {
    read: async (untilMs) => {
      const timeOrigin = (await page.evaluate("performance.timeOrigin")) as number;
      const counted = (await Promise.all(finished)).filter((r) => r !== null && r.endWallMs - timeOrigin <= untilMs + 1) as { endWallMs: number; calls: number; sent: number; received: number }[];
      const sum = (f: (r: (typeof counted)[number]) => number) => counted.reduce((a, r) => a + f(r), 0);
      return { requests: counted.length, calls: sum((r) => r.calls), sent_kb: kb(sum((r) => r.sent)), received_kb: kb(sum((r) => r.received)) };
    },
  };
}

/**
 * Where the time went, from the browser: main-thread time (Chromium's Performance domain over CDP: script,
 * layout, style, all tasks) and each request's start and duration from the page's resource timing, since
 * navigation. Started before the navigation; `read()` at the figure's moment.
 */
async function startProfile(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return {
    read: async (untilMs: number) => {
      const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
      const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000);
      // Run in the page (Node's types have no DOM): the app's own files by path, another origin is the JSON-RPC node.
      const requests = (await page.evaluate(`performance.getEntriesByType("resource").filter((r) => r.startTime <= ${untilMs}).map((r) => {
        const url = new URL(r.name);
        return { url: url.origin === location.origin ? url.pathname : "rpc", start_ms: Math.round(r.startTime), ms: Math.round(r.duration), kb: Math.round(r.encodedBodySize / 102.4) / 10 };
      })`)) as { url: string; start_ms: number; ms: number; kb: number }[];
      await cdp.detach();
      return {
        main_thread_ms: { script: metric("ScriptDuration"), layout: metric("LayoutDuration"), style: metric("RecalcStyleDuration"), all_tasks: metric("TaskDuration") },
        requests,
      };
    },
  };
}

/**
 * The moment (ms since navigation, the page's own clock) each set of selectors is first all in the page and laid
 * out, recorded by a MutationObserver in the page: Playwright's polling, from another process on a loaded machine,
 * notices it up to hundreds of milliseconds later, and the page goes on loading (scripts too) meanwhile.
 */
const MOMENTS = {
  first_render: ['[data-testid="nav-per-share"]', '[data-testid="aum"]', '[data-testid="top-holdings-table"]'],
  // Listed, and the gas of the rows on screen read (the rest is read as they are shown).
  history: ['[data-testid="tx-table"][data-gas="read"]'],
};
const RECORD_MOMENTS = `(() => {
  const targets = ${JSON.stringify(MOMENTS)};
  const moments = (window.__benchMoments = {});
  const shown = (selector) => { const e = document.querySelector(selector); return e !== null && e.getClientRects().length > 0; };
  const check = () => { for (const [name, selectors] of Object.entries(targets)) if (moments[name] === undefined && selectors.every(shown)) moments[name] = performance.now(); };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
})()`;

async function moment(page: Page, name: keyof typeof MOMENTS): Promise<number> {
  await Promise.all(MOMENTS[name].map((selector) => page.locator(selector).first().waitFor({ state: "visible", timeout: 120_000 })));
  const ms = (await page.evaluate(`window.__benchMoments[${JSON.stringify(name)}]`)) as number | undefined;
  if (ms === undefined) throw new Error(`the page shows ${name} but did not record when`);
  return Math.round(ms);
}

async function measure(browser: Browser, url: string) {
  const context = await browser.newContext();
  await context.addInitScript(RECORD_MOMENTS);
  const page = await context.newPage();
  const scripts = new Map<string, Promise<number>>();
  page.on("response", (response) => {
    // A script still loading when the context closes (after the moment) is not counted: its read fails then.
    if (/\.js(\?|$)/.test(response.url())) scripts.set(response.url(), response.body().then((body) => gzipSync(body).length, () => 0));
  });
  const firstRpc = trackRpc(page);
  const firstProfile = await startProfile(page);
  await page.goto(`${url}#/overview`);
  const firstRenderMs = await moment(page, "first_render");
  const firstRenderRpc = await firstRpc.read(firstRenderMs);
  const firstRenderProfile = await firstProfile.read(firstRenderMs);
  // The scripts loaded before that moment (by the page's resource timing), not those loaded while Playwright looked.
  const loadedBefore = (await page.evaluate(`performance.getEntriesByType("resource").filter((r) => r.responseEnd <= ${firstRenderMs + 1}).map((r) => r.name)`)) as string[];
  const bundleBytes = (await Promise.all(loadedBefore.filter((u) => scripts.has(u)).map((u) => scripts.get(u)!))).reduce((a, b) => a + b, 0);
  await context.close();

  const history = await browser.newContext();
  await history.addInitScript(RECORD_MOMENTS);
  const txPage = await history.newPage();
  const historyTraffic = trackRpc(txPage);
  const txProfile = await startProfile(txPage);
  await txPage.goto(`${url}#/transactions`);
  const historyMs = await moment(txPage, "history");
  const historyRpc = await historyTraffic.read(historyMs);
  const historyProfile = await txProfile.read(historyMs);
  const events = Number(await txPage.getByTestId("tx-table").getAttribute("data-events"));
  const epochs = Number(await txPage.getByTestId("tx-table").getAttribute("data-epochs"));
  await history.close();
  return { firstRenderMs, historyMs, bundleBytes, events, epochs, firstRenderRpc, historyRpc, firstRenderProfile, historyProfile };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await build({ configFile: path.join(root, "app/vite.config.ts"), logLevel: "warn" });
const port = await freePort();
const server = await serve(port);
const browser = await chromium.launch({
  executablePath: toolSettings().chromiumPath,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
});
try {
  const results = [];
  // The machine's load beside the times: on a shared machine they measure the load as much as the app.
  const loadStart = loadavg()[0]!;
  for (let i = 0; i < runs; i++) results.push(await measure(browser, `http://127.0.0.1:${port}/`));
  const loadEnd = loadavg()[0]!;
  const last = results.at(-1)!;
  const report = {
    first_render_ms: median(results.map((r) => r.firstRenderMs)),
    history_ms: median(results.map((r) => r.historyMs)),
    bundle_gzip_kb: Math.round(median(results.map((r) => r.bundleBytes)) / 102.4) / 10,
    first_render_rpc: last.firstRenderRpc,
    history_rpc: last.historyRpc,
    first_render_profile: last.firstRenderProfile,
    history_profile: last.historyProfile,
    first_render_ms_runs: results.map((r) => r.firstRenderMs),
    history_ms_runs: results.map((r) => r.historyMs),
    runs,
    load_average_1m_start: Math.round(loadStart * 100) / 100,
    load_average_1m_end: Math.round(loadEnd * 100) / 100,
    epochs: last.epochs,
    events: last.events,
    target: values.rpc ?? values.devnet ?? "devnet.json",
    measured_at: new Date().toISOString(),
  };
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, JSON.stringify(report, null, 2) + "\n");
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  if (server.pid !== undefined) process.kill(-server.pid, "SIGTERM");
}
