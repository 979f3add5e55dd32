import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { canonicalSnapshotJson, computeTargets, snapshotHash, type Snapshot } from "../../../keeper/core/index.js";
import { checkEpochSnapshot } from "../../../keeper/audit/index.js";

/**
 * A snapshot published by the keeper (the season, seed 1, week 2: seven constituents with a rank buffer), kept
 * byte for byte. The audit re-derives old epochs with today's code: a methodology change that would derive
 * this epoch differently must fail here, and then needs a new snapshot version, not a silent re-derivation.
 */
const FILE = "test/keeper/core/pinned/snapshot-v1-1797206400.json";
const PINNED_HASH = "0x2210e338e5da655e70b9de3e33c32fedc4ba849fa213afdbbadda86c29c73e27";
const PINNED_WEIGHTS_BPS: [string, number][] = [["btc", 7085], ["eth", 2246], ["tk003", 232], ["tk004", 152], ["tk005", 125], ["tk006", 103], ["tk007", 57]];

describe("a pinned published snapshot (version 1)", function () {
  it("keeps its hash, its canonical bytes and the target weights derived from it", async function () {
    const text = await readFile(FILE, "utf8");
    expect(snapshotHash(text)).to.equal(PINNED_HASH);
    const snapshot = JSON.parse(text) as Snapshot;
    expect(snapshot.version).to.equal(1);
    expect(canonicalSnapshotJson(snapshot)).to.equal(text);
    expect([...computeTargets(snapshot).weightsBps]).to.deep.equal(PINNED_WEIGHTS_BPS);
  });

  it("is accepted by the audit's snapshot check, and a version it does not know is refused", async function () {
    const text = await readFile(FILE, "utf8");
    const committed = { regime: "bull" as const, snapshotHash: PINNED_HASH, targets: [] };
    const params = { epoch: "1797206400", chainId: 31337, stablecoin: "0x0000000000000000000000000000000000000001", committed, snapshotFile: FILE };
    expect(checkEpochSnapshot({ ...params, snapshotText: text }).violations).to.deep.equal([]);
    const future = JSON.stringify({ ...JSON.parse(text), version: 99 });
    const result = checkEpochSnapshot({ ...params, snapshotText: future, committed: { ...committed, snapshotHash: snapshotHash(future) } });
    expect(result.violations.map((v) => v.check)).to.deep.equal(["snapshot-invalid"]);
    expect(result.violations[0]!.message).to.include("version 99 is not one this audit derives targets from (1)");
  });
});
