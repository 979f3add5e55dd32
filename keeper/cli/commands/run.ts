import { createServer } from "node:http";
import { fetchWithRetry } from "../../data/fetchWithRetry.js";
import { Cron } from "croner";
import type { KeeperContext } from "../../run/context.js";
import { createKeeperJobs, type RebalanceNotice } from "../../run/createKeeperJobs.js";
import { createKeeperMetrics, recordVaultState } from "../../run/metrics.js";
import { readVault } from "../../chain/readVault.js";
import { ConfigError } from "../../config.js";
import { EXIT } from "../exitCodes.js";

export interface RunCommandOptions {
  metricsPort: number;
  webhookUrl?: string;
}

/**
 * `keeper run`: the daemon. Every day at 00:00 UTC: the weekly rebalance on Mondays (or later, if Monday's
 * failed), then the regime check (jobs never overlap); Sundays 12:00 UTC the notice for the next rebalance, on
 * stdout and to the webhook. GET /healthz and /metrics (Prometheus) on the metrics port. SIGINT/SIGTERM stop
 * the schedule, let a running job finish, and exit 0.
 */
export async function runCommand(ctx: KeeperContext, { metricsPort, webhookUrl }: RunCommandOptions): Promise<number> {
  const log = ctx.log.child({ at: "Daemon" });
  const metrics = createKeeperMetrics();
  recordVaultState(metrics, await readVault({ runner: ctx.provider, vault: ctx.vault }));
  const health = { startedAt: new Date().toISOString(), lastSuccess: null as string | null, lastError: null as string | null, running: null as string | null };
  const post = async (body: unknown) => {
    if (webhookUrl === undefined) return;
    try {
      const response = await fetchWithRetry(webhookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok) log.warn({ status: response.status }, "webhook refused the message");
    } catch (error) {
      log.warn({ error: (error as Error).message }, "webhook unreachable");
    }
  };
  const jobs = createKeeperJobs(ctx, {
    metrics,
    onNotice: async (notice: RebalanceNotice) => {
      console.log(
        `NOTICE: rebalance at ${notice.at}: regime ${notice.regime}${notice.regimeSwitch ? " (a regime switch: it commits instead of the weekly targets)" : ""}, ${notice.trades} trades planned, ${notice.targets.length} targets; ` +
          `commits snapshot ${notice.snapshotHash ?? "(none due)"}${notice.snapshotPath ? ` published at ${notice.snapshotPath}` : ""}, data cut-off ${notice.dataCutoff ?? "-"}` +
          (notice.unregistered.length > 0 ? `; not on the vault: ${notice.unregistered.join(", ")}` : "") +
          (notice.unclassifiedEntrants.length > 0 ? `; UNCLASSIFIED, classify before the rebalance: ${notice.unclassifiedEntrants.join(", ")}` : ""),
      );
      await post({ type: "rebalance-notice", ...notice });
    },
    onResult: async (job, result) => {
      if (result.commit === "sent") await post({ type: "rebalance", job, epoch: result.epoch.toString(), regime: result.targets?.decision.state, trades: result.batches.reduce((n, b) => n + b.trades.length, 0), transactions: result.batches.map((b) => b.hash), complete: result.complete });
    },
  });
  const guarded = (name: string, job: () => Promise<unknown>) => async () => {
    health.running = name;
    try {
      await job();
      health.lastSuccess = new Date().toISOString();
    } catch (error) {
      health.lastError = `${new Date().toISOString()} ${name}: ${(error as Error).message}`;
      log.error({ job: name, error: (error as Error).message }, "job failed; tomorrow's run starts again from chain state (and retries a missed weekly rebalance)");
      await post({ type: "error", job: name, message: (error as Error).message });
    } finally {
      health.running = null;
    }
  };
  let current: Promise<unknown> = Promise.resolve();
  const schedule = (pattern: string, name: string, job: () => Promise<unknown>) =>
    new Cron(pattern, { timezone: "UTC", protect: true }, async () => {
      current = guarded(name, job)();
      await current;
    });
  const crons = [
    schedule("0 0 * * *", "daily", () => jobs.daily(new Date())),
    schedule("0 12 * * 0", "notice", () => jobs.notice(new Date())),
  ];

  const server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (req.url === "/healthz") {
      const ok = health.lastError === null || (health.lastSuccess !== null && health.lastSuccess > health.lastError.slice(0, 24));
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok, ...health, nextRuns: crons.map((c) => c.nextRun()?.toISOString() ?? null) }));
    } else {
      res.writeHead(404).end();
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new ConfigError(`KEEPER_METRICS_PORT=${metricsPort}: 127.0.0.1:${metricsPort} is already in use (another keeper?); choose a free port, or 0 for any`) : error),
      );
      server.listen(metricsPort, "127.0.0.1", resolve);
    });
  } catch (error) {
    crons.forEach((c) => c.stop());
    throw error;
  }
  const port = (server.address() as { port: number }).port;
  log.info({ port, next: crons.map((c) => c.nextRun()?.toISOString()) }, `keeper running: health on http://127.0.0.1:${port}/healthz, metrics on /metrics`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping: no new jobs; waiting for a running one");
      crons.forEach((c) => c.stop());
      void current.finally(() => server.close(() => resolve()));
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  log.info("stopped");
  return EXIT.ok;
}
