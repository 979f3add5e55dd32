import { epochFor, lastWeeklyRebalance, nextWeeklyRebalance, startOfDay } from "../core/index.js";
import { readVault } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";
import { recordVaultState, type KeeperMetrics } from "./metrics.js";
import { runRebalance, type RebalanceMode, type RunRebalanceReturnType } from "./runRebalance.js";
import { settleQueue } from "./settleQueue.js";

export interface RebalanceNotice {
  /** When the announced rebalance runs. */
  at: string;
  regime: string;
  commit: RunRebalanceReturnType["commit"];
  trades: number;
  /** The targets Monday commits: those of the published snapshot. */
  targets: { asset: string; weightBps: number }[];
  navAsset: string;
  /** The published snapshot Monday commits, its keccak256 and data cut-off; null when nothing is due. */
  snapshotPath: string | null;
  snapshotHash: string | null;
  dataCutoff: string | null;
  /** True when the snapshot's regime decision is a switch: Monday then commits the switch, not a rebalance. */
  regimeSwitch: boolean;
  /** Ids that rank into the index but are not registered on the vault (their weight goes to the others). */
  unregistered: string[];
  /** Unclassified ids within the top N + buffer that are not members yet: classify them before Monday. */
  unclassifiedEntrants: string[];
}

export interface KeeperJobs {
  /**
   * What the daemon runs every day at 00:00 UTC: first the queue's settlement (settleQueue: every window past
   * its cut-off, so that queued cash is in the rebalance's trades and queued redemptions see its cash), then the
   * weekly rebalance on Mondays, or on a later day when this week's targets were never committed (a Monday run
   * that failed), then the regime check. A failure of one does not skip the others; the first failure is
   * rethrown after all ran.
   */
  daily(now: Date): Promise<void>;
  /** The Monday rebalance for the week containing `now`. */
  weekly(now: Date): Promise<RunRebalanceReturnType>;
  /** The daily regime check: commits and trades only when the regime switches. */
  regimeCheck(now: Date): Promise<RunRebalanceReturnType>;
  /**
   * The notice 12 hours before the next Monday rebalance: builds Monday's snapshot from the data cut-off (the
   * Sunday 00:00 close), publishes it, and announces its hash and targets; Monday commits exactly that file.
   */
  notice(now: Date): Promise<RebalanceNotice>;
}

export interface CreateKeeperJobsParameters {
  metrics?: KeeperMetrics;
  /** Where notices go besides the log (stdout, a webhook). */
  onNotice?: (notice: RebalanceNotice) => void | Promise<void>;
  onResult?: (job: RebalanceMode, result: RunRebalanceReturnType) => void | Promise<void>;
}

/**
 * The jobs of `keeper run`, each taking the time it runs for, so that the daemon (croner, wall clock) and the
 * demo (a simulated clock) drive exactly the same code. Jobs never overlap: each waits for the one before.
 */
export function createKeeperJobs(ctx: KeeperContext, { metrics, onNotice, onResult }: CreateKeeperJobsParameters = {}): KeeperJobs {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };

  const rebalance = (mode: RebalanceMode, asOf: Date, catchUp = false) =>
    serial(async () => {
      try {
        const result = await runRebalance(ctx, { asOf, mode, catchUp });
        metrics?.runs.inc({ job: mode, result: "ok" });
        metrics?.lastSuccess.set({ job: mode }, Date.now() / 1000);
        metrics?.trades.inc(result.batches.reduce((n, b) => n + b.trades.length, 0));
        metrics?.gasUsed.inc(Number(result.batches.reduce((g, b) => g + b.gasUsed, 0n)));
        if (metrics !== undefined) recordVaultState(metrics, result.after);
        await onResult?.(mode, result);
        return result;
      } catch (error) {
        metrics?.runs.inc({ job: mode, result: "error" });
        throw error;
      }
    });

  const weekly = (now: Date) => rebalance("weekly", lastWeeklyRebalance(now), startOfDay(now).getTime() > lastWeeklyRebalance(now).getTime());
  const regimeCheck = (now: Date) => rebalance("regime-check", startOfDay(now));
  return {
    daily: async (now) => {
      const failures: unknown[] = [];
      await serial(() => settleQueue(ctx)).catch((e: unknown) => failures.push(e));
      const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
      const missedWeekly = state.regime === "bull" && state.epoch < epochFor(lastWeeklyRebalance(now));
      if (now.getUTCDay() === 1 || missedWeekly) await weekly(now).catch((e: unknown) => failures.push(e));
      await regimeCheck(now).catch((e: unknown) => failures.push(e));
      if (failures.length > 0) throw failures[0];
    },
    weekly,
    regimeCheck,
    notice: (now) =>
      serial(async () => {
        const at = nextWeeklyRebalance(now);
        const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
        const preview = await runRebalance(ctx, { asOf: at, mode: "weekly", dryRun: true, publish: true });
        const notice: RebalanceNotice = {
          at: at.toISOString(),
          regime: preview.targets?.decision.state ?? state.regime,
          commit: preview.commit,
          trades: preview.plans.reduce((n, p) => n + p.sells.length + p.buys.length, 0),
          targets: (preview.targets?.targets.assets ?? []).map((asset, i) => ({ asset, weightBps: preview.targets!.targets.weightsBps[i] })),
          navAsset: state.navAsset.toString(),
          snapshotPath: preview.commit === "dry-run" ? (preview.snapshotPath ?? null) : null,
          snapshotHash: preview.commit === "dry-run" ? (preview.targets?.hash ?? null) : null,
          dataCutoff: preview.targets?.snapshot.version === 2 ? preview.targets.snapshot.dataCutoff : null,
          regimeSwitch: preview.targets?.decision.changed ?? false,
          unregistered: preview.targets?.unregistered ?? [],
          unclassifiedEntrants: preview.targets?.unclassifiedEntrants ?? [],
        };
        ctx.log.info(
          { at: "Keeper.notice", rebalanceAt: notice.at, regime: notice.regime, trades: notice.trades, snapshotHash: notice.snapshotHash, regimeSwitch: notice.regimeSwitch, unregistered: notice.unregistered, unclassifiedEntrants: notice.unclassifiedEntrants },
          notice.regimeSwitch ? `rebalance notice: 12 hours to go; a regime switch to ${notice.regime} commits instead of the weekly targets` : "rebalance notice: 12 hours to go",
        );
        await onNotice?.(notice);
        return notice;
      }),
  };
}
