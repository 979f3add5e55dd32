import { Cron } from "croner";
import type { Logger } from "../log.js";

/** One of the daemon's jobs: a cron pattern (UTC) on the daemon's clock, and what runs then. */
export interface DaemonJob {
  name: string;
  pattern: string;
  run(now: Date): Promise<unknown>;
  /**
   * For a standby: true when another daemon already did this run's work, judged from shared state (a published
   * file), for jobs whose repetition is not silent (the notice posts to the webhook). Jobs that resume from chain
   * state need none: their repeat sends nothing.
   */
  doneElsewhere?(now: Date): Promise<boolean>;
}

export interface StartDaemonScheduleParameters {
  jobs: readonly DaemonJob[];
  /** The schedule's time: the system clock, or the chain's latest block (a devnet whose time tests move). */
  clock: () => Promise<Date>;
  /**
   * 0: every job runs when due. Otherwise this daemon is a standby: after a job is due it waits until the vault
   * has shown no keeper progress for this long (real time), then runs it.
   */
  takeoverDelayMs: number;
  /** Any keeper's progress on the vault, as a value that changes with it (the committed epoch and the batch sequence). */
  progress: () => Promise<string>;
  log: Logger;
  tickMs?: number;
}

export interface DaemonSchedule {
  /** When each job is next due, on the daemon's clock (ISO), in the order of `jobs`. */
  nextRuns(): (string | null)[];
  /** No new job starts; resolves when the running one (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * The daemon's schedule: a loop that reads the clock every tick and runs the jobs that are due, one at a time,
 * each once however far the clock jumped (a devnet's evm_increaseTime, a machine that slept). Two daemons on one
 * vault need no lock: a job's run resumes from chain state, the vault's batch sequence refuses a batch planned
 * before another keeper's landed, and a commit of an epoch already committed is taken as that commit. A standby
 * (takeoverDelayMs > 0) lets the other daemon work first and takes over only once the vault shows no progress.
 */
export async function startDaemonSchedule({ jobs, clock, takeoverDelayMs, progress, log, tickMs = 1000 }: StartDaemonScheduleParameters): Promise<DaemonSchedule> {
  const crons = jobs.map((job) => new Cron(job.pattern, { timezone: "UTC" }));
  const start = await clock();
  const nextDue = crons.map((c) => c.nextRun(start));
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Waits until the vault has shown no keeper progress for takeoverDelayMs; false if stopped meanwhile. */
  const standBy = async (job: DaemonJob): Promise<boolean> => {
    // A read that fails (the node hiccups) counts as no progress: the job must not be lost for the day.
    const read = () => progress().catch((error: unknown) => (log.warn({ error: (error as Error).message }, "standby: cannot read the vault's progress"), undefined));
    let marker = await read();
    let deadline = Date.now() + takeoverDelayMs;
    log.info({ job: job.name, takeoverDelayS: takeoverDelayMs / 1000 }, "standby: the job is due; waiting for the vault to show no keeper progress before running it");
    while (!stopped && Date.now() < deadline) {
      await sleep(Math.min(tickMs, Math.max(0, deadline - Date.now())));
      const now = await read();
      if (now !== undefined && now !== marker) {
        marker = now;
        deadline = Date.now() + takeoverDelayMs;
      }
    }
    return !stopped;
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const now = await clock();
        for (let i = 0; i < jobs.length && !stopped; i++) {
          const due = nextDue[i];
          if (due === null || due.getTime() > now.getTime()) continue;
          // The next run is counted from the time this one was found due: a clock that jumped days runs it once.
          nextDue[i] = crons[i].nextRun(now);
          const job = jobs[i];
          if (takeoverDelayMs > 0) {
            if (!(await standBy(job))) break;
            if ((await job.doneElsewhere?.(now).catch(() => false)) === true) {
              log.info({ job: job.name }, "standby: another daemon did this job; nothing to do");
              continue;
            }
            log.info({ job: job.name }, "standby: no keeper progress on the vault for the takeover delay: running the job (it resumes from chain state)");
          }
          await job.run(now);
        }
      } catch (error) {
        // The clock's read failed (the node is down): the next tick tries again.
        log.warn({ error: (error as Error).message }, "schedule: cannot read the clock; retrying");
      }
      if (!stopped) await sleep(tickMs);
    }
  })();

  return {
    nextRuns: () => nextDue.map((d) => d?.toISOString() ?? null),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
