import { createServer } from "node:http";
import { createSnapshotStore } from "../../data/createSnapshotStore.js";
import { epochFor, nextWeeklyRebalance } from "../../core/index.js";
import type { KeeperContext } from "../../run/context.js";
import { createKeeperJobs, type RebalanceNotice } from "../../run/createKeeperJobs.js";
import { createKeeperMetrics, recordVaultState } from "../../run/metrics.js";
import { createWebhook } from "../../run/createWebhook.js";
import { startDaemonSchedule, type DaemonJob } from "../../run/startDaemonSchedule.js";
import { readVault } from "../../chain/readVault.js";
import { IndexVault__factory } from "../../../types/ethers-contracts/index.js";
import { ConfigError } from "../../config.js";
import { EXIT } from "../exitCodes.js";
import { KeeperError } from "../../core/index.js";
import { keeperErrorText, oneLineError } from "../oneLineError.js";

export interface RunCommandOptions {
  metricsPort: number;
  webhookUrl?: string;
  /** 0: run every job when due; otherwise a standby that takes over after this long without keeper progress. */
  takeoverDelayS?: number;
  /** The schedule's clock: this machine's, or the chain's latest block (a devnet moved with evm_increaseTime). */
  clock?: "system" | "chain";
}

/**
 * `keeper run`: the daemon. Every day at 00:00 UTC: the queue's settlement (KEEPER_QUEUE), then the weekly
 * rebalance on Mondays (or later, if Monday's failed), then the regime check (jobs never overlap); Sundays 12:00 UTC the notice for the next rebalance, on
 * stdout and to the webhook. GET /healthz and /metrics (Prometheus) on the metrics port. SIGINT/SIGTERM stop
 * the schedule, let a running job finish, and exit 0. A standby (takeoverDelayS > 0) runs each job only once
 * the vault has shown no keeper progress for that long after it was due.
 */
export async function runCommand(ctx: KeeperContext, { metricsPort, webhookUrl, takeoverDelayS = 0, clock = "system" }: RunCommandOptions): Promise<number> {
  const log = ctx.log.child({ at: "Daemon" });
  const metrics = createKeeperMetrics();
  recordVaultState(metrics, await readVault({ runner: ctx.provider, vault: ctx.vault }));
  const health = { startedAt: new Date().toISOString(), lastSuccess: null as string | null, lastError: null as string | null, running: null as string | null };
  const post = createWebhook(webhookUrl, log);
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
  const guarded = (name: string, job: (now: Date) => Promise<unknown>) => async (now: Date) => {
    health.running = name;
    const started = performance.now();
    try {
      await job(now);
      health.lastSuccess = new Date().toISOString();
      log.info({ job: name, for: now.toISOString(), ms: Math.round(performance.now() - started) }, "job done");
    } catch (error) {
      const message = error instanceof KeeperError ? keeperErrorText(error) : oneLineError(error);
      health.lastError = `${new Date().toISOString()} ${name}: ${message}`;
      log.error({ job: name, error: message }, "job failed; tomorrow's run starts again from chain state (and retries a missed weekly rebalance)");
      await post({ type: "error", job: name, message });
    } finally {
      health.running = null;
    }
  };
  const vault = IndexVault__factory.connect(ctx.vault, ctx.provider);
  const store = createSnapshotStore(ctx.settings.snapshotDir);
  // A new job is one more row: its pattern (UTC, on the daemon's clock) and what it runs.
  const daemonJobs: DaemonJob[] = [
    { name: "daily", pattern: "0 0 * * *", run: guarded("daily", (now) => jobs.daily(now)) },
    {
      name: "notice",
      pattern: "0 12 * * 0",
      run: guarded("notice", (now) => jobs.notice(now)),
      // Another daemon announced it: the snapshot it publishes for the next Monday is there.
      doneElsewhere: async (now) => (await store.read(epochFor(nextWeeklyRebalance(now)))) !== null,
    },
  ];
  const schedule = await startDaemonSchedule({
    jobs: daemonJobs,
    clock:
      clock === "chain"
        ? async () => {
            const block = await ctx.provider.getBlock("latest");
            if (block === null) throw new Error("the node returned no latest block");
            return new Date(block.timestamp * 1000);
          }
        : async () => new Date(),
    takeoverDelayMs: takeoverDelayS * 1000,
    progress: async () => `${await vault.currentEpoch()}/${await vault.batchSequence()}`,
    log,
  });

  const server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (req.url === "/healthz") {
      const ok = health.lastError === null || (health.lastSuccess !== null && health.lastSuccess > health.lastError.slice(0, 24));
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok, ...health, standby: takeoverDelayS > 0, nextRuns: schedule.nextRuns() }));
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
    await schedule.stop();
    throw error;
  }
  const port = (server.address() as { port: number }).port;
  log.info({ port, clock, takeoverDelayS, next: schedule.nextRuns() }, `keeper running${takeoverDelayS > 0 ? ` as a standby (takes over after ${takeoverDelayS} s without keeper progress)` : ""}: health on http://127.0.0.1:${port}/healthz, metrics on /metrics`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping: no new jobs; waiting for a running one");
      void schedule.stop().finally(() => server.close(() => resolve()));
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  log.info("stopped");
  return EXIT.ok;
}
