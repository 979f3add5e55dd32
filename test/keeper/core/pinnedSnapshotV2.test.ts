import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { canonicalSnapshotJson, computeTargets, snapshotHash, type Snapshot } from "../../../keeper/core/index.js";
import { checkEpochSnapshot } from "../../../keeper/audit/index.js";

/**
 * A version-2 snapshot (today's format: classification, data cut-off, tiered caps, cash buffer) published by the
 * keeper in the season, seed 1, week 3: eighteen constituents, last week's members in the rank buffer. Kept byte for
 * byte: a methodology change that would derive this epoch differently must fail here and needs a new version.
 */
const FILE = "test/keeper/core/pinned/snapshot-v2-1797811200.json";
const PINNED_HASH = "0x8d5f437c63ea8b9e540a7a2cf20c116d73278d2ba811dadb0c1142bf8d1f3a97";
const PINNED_WEIGHTS_BPS: [string, number][] = [
  ["btc", 2500], ["eth", 1500], ["tk003", 1342], ["tk004", 940], ["tk005", 756], ["tk006", 424], ["tk007", 382], ["tk008", 353], ["tk010", 300],
  ["tk009", 267], ["tk011", 236], ["tk014", 165], ["tk020", 157], ["tk013", 150], ["tk012", 142], ["tk018", 141], ["tk015", 134], ["tk017", 111],
];

describe("a pinned published snapshot (version 2)", function () {
  it("keeps its hash, its canonical bytes, its published cash buffer and the target weights derived from it", async function () {
    const text = await readFile(FILE, "utf8");
    expect(snapshotHash(text)).to.equal(PINNED_HASH);
    const snapshot = JSON.parse(text) as Snapshot;
    expect(snapshot.version).to.equal(2);
    expect(snapshot.cashBufferBps).to.equal(200);
    expect(canonicalSnapshotJson(snapshot)).to.equal(text);
    expect([...computeTargets(snapshot).weightsBps]).to.deep.equal(PINNED_WEIGHTS_BPS);
  });

  it("passes the audit's snapshot checks (classification, cut-off, regime) and hands the audit its cash buffer", async function () {
    const text = await readFile(FILE, "utf8");
    const committed = { regime: "bull" as const, snapshotHash: PINNED_HASH, targets: [] };
    const result = checkEpochSnapshot({ epoch: "1797811200", chainId: 31337, stablecoin: "0x0000000000000000000000000000000000000001", committed, snapshotFile: FILE, snapshotText: text });
    expect(result.violations).to.deep.equal([]);
    expect(result.cashBufferBps).to.equal(200);
  });
});
