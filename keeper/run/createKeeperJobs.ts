import { epochFor, lastWeeklyRebalance, nextWeeklyRebalance, startOfDay } from "../core/index.js";
import { readVault } from "../chain/readVault.js";
import type { KeeperContext } from "./context.js";
import { recordVaultState, type KeeperMetrics } from "./metrics.js";
import { runRebalance, type RebalanceMode, type RunRebalanceReturnType } from "./runRebalance.js";

export interface RebalanceNotice {
  /** When the announced rebalance runs. */
  at: string;
  regime: string;
  commit: RunRebalanceReturnType["commit"];
  trades: number;
  /** The targets it would commit now (they are recomputed at the rebalance). */
  targets: { asset: string; weightBps: number }[];
  navAsset: string;
}

export interface KeeperJobs {
  /**
   * What the daemon runs every day at 00:00 UTC: the weekly rebalance on Mondays, or on a later day when this
   * week's targets were never committed (a Monday run that failed), then the regime check. A failure of one
   * does not skip the other; the first failure is rethrown after both ran.
   */
  daily(now: Date): Promise<void>;
  /** The Monday rebalance for the week containing `now`. */
  weekly(now: Date): Promise<RunRebalanceReturnType>;
  /** The daily regime check: commits and trades only when the regime switches. */
  regimeCheck(now: Date): Promise<RunRebalanceReturnType>;
  /** The notice 12 hours before the next Monday rebalance: a dry run of it. */
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

  const rebalance = (mode: RebalanceMode, asOf: Date) =>
    serial(async () => {
      try {
        const result = await runRebalance(ctx, { asOf, mode });
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

  const weekly = (now: Date) => rebalance("weekly", lastWeeklyRebalance(now));
  const regimeCheck = (now: Date) => rebalance("regime-check", startOfDay(now));
  return {
    daily: async (now) => {
      const failures: unknown[] = [];
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
        // Preview against today's data: if this epoch is already committed, a dry run of next Monday's.
        const preview = await runRebalance(ctx, { asOf: at, mode: "weekly", dryRun: true });
        const notice: RebalanceNotice = {
          at: at.toISOString(),
          regime: preview.targets?.decision.state ?? state.regime,
          commit: preview.commit,
          trades: preview.plans.reduce((n, p) => n + p.sells.length + p.buys.length, 0),
          targets: (preview.targets?.targets.assets ?? []).map((asset, i) => ({ asset, weightBps: preview.targets!.targets.weightsBps[i] })),
          navAsset: state.navAsset.toString(),
        };
        ctx.log.info({ at: "Keeper.notice", rebalanceAt: notice.at, regime: notice.regime, trades: notice.trades }, "rebalance notice: 12 hours to go");
        await onNotice?.(notice);
        return notice;
      }),
  };
}
