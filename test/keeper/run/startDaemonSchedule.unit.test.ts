import { expect } from "chai";
import { startDaemonSchedule, type DaemonJob, type DaemonSchedule } from "../../../keeper/run/startDaemonSchedule.js";
import { createLogger } from "../../../keeper/log.js";

const log = createLogger({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(5);
  }
};

/** The daemon's schedule on a clock the test moves, with a vault "progress" value the test sets. */
function harness(takeoverDelayMs: number, doneElsewhere?: () => boolean, startIso = "2026-03-04T10:00:00Z") {
  let now = new Date(startIso);
  let progress = "1/0";
  const runs: { job: string; at: string; wallMs: number }[] = [];
  const record = (job: string) => async (at: Date) => void runs.push({ job, at: at.toISOString(), wallMs: Date.now() });
  const jobs: DaemonJob[] = [
    { name: "daily", pattern: "0 0 * * *", run: record("daily") },
    { name: "notice", pattern: "0 12 * * 0", run: record("notice"), doneElsewhere: doneElsewhere && (async () => doneElsewhere()) },
  ];
  return {
    runs,
    setNow: (iso: string) => (now = new Date(iso)),
    setProgress: (value: string) => (progress = value),
    start: async () => {
      const schedule = await startDaemonSchedule({ jobs, clock: async () => now, takeoverDelayMs, progress: async () => progress, log, tickMs: 5 });
      started.push(schedule);
      return schedule;
    },
  };
}

/** Stopped after each test, passed or failed, so that no loop keeps the process alive. */
const started: DaemonSchedule[] = [];

describe("startDaemonSchedule (the keeper daemon's job loop)", function () {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it("runs a job once when due, however far the clock jumped, and not again until its next time", async function () {
    const h = harness(0);
    const schedule = await h.start();
    expect(schedule.nextRuns()).to.deep.equal(["2026-03-05T00:00:00.000Z", "2026-03-08T12:00:00.000Z"]);
    await sleep(30);
    expect(h.runs).to.have.length(0);
    // Three days and a Sunday noon later (a devnet's evm_increaseTime): each job once, the daily first.
    h.setNow("2026-03-09T00:00:10Z");
    await until(() => h.runs.length === 2);
    await sleep(30);
    expect(h.runs.map((r) => [r.job, r.at])).to.deep.equal([
      ["daily", "2026-03-09T00:00:10.000Z"],
      ["notice", "2026-03-09T00:00:10.000Z"],
    ]);
    expect(schedule.nextRuns()).to.deep.equal(["2026-03-10T00:00:00.000Z", "2026-03-15T12:00:00.000Z"]);
    await schedule.stop();
  });

  it("a standby runs a due job only after the vault showed no keeper progress for the takeover delay", async function () {
    const h = harness(150);
    const schedule = await h.start();
    h.setNow("2026-03-05T00:00:05Z");
    const due = Date.now();
    // The other daemon is working: its commits and batches keep moving the vault's progress.
    for (let i = 1; i <= 4; i++) {
      await sleep(60);
      h.setProgress(`2/${i}`);
    }
    const lastProgress = Date.now();
    expect(h.runs, "the standby ran while the other daemon made progress").to.have.length(0);
    await until(() => h.runs.length === 1);
    expect(h.runs[0].job).to.equal("daily");
    expect(h.runs[0].wallMs - lastProgress).to.be.greaterThanOrEqual(140);
    expect(h.runs[0].wallMs - due).to.be.greaterThanOrEqual(240 + 140);
    await schedule.stop();
  });

  it("a standby skips a job another daemon already did (the notice's snapshot is published)", async function () {
    let published = true;
    const h = harness(20, () => published, "2026-03-08T11:00:00Z");
    const schedule = await h.start();
    h.setNow("2026-03-08T12:00:05Z");
    await sleep(150);
    expect(h.runs).to.have.length(0);
    published = false;
    h.setNow("2026-03-15T12:00:05Z");
    await until(() => h.runs.some((r) => r.job === "notice"));
    expect(h.runs.filter((r) => r.job === "notice").map((r) => r.at)).to.deep.equal(["2026-03-15T12:00:05.000Z"]);
    await schedule.stop();
  });

  it("stop() ends a standby's wait at once and starts nothing", async function () {
    const h = harness(60_000);
    const schedule = await h.start();
    h.setNow("2026-03-05T00:00:05Z");
    await sleep(30);
    const started = Date.now();
    await schedule.stop();
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(h.runs).to.have.length(0);
  });
});
