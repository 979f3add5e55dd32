import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { commitForSnapshot, InvalidInputError, type Snapshot } from "../../../keeper/core/index.js";

const PINNED = "test/keeper/core/pinned/snapshot-v1-1797206400.json";
const STABLE = "0x0000000000000000000000000000000000000001";

describe("core #commitForSnapshot checks Snapshot.version", function () {
  it("derives the commit of a known version and refuses one it does not know, for the keeper and the audit alike", async function () {
    const snapshot = JSON.parse(await readFile(PINNED, "utf8")) as Snapshot;
    const ids = snapshot.universe.map((a) => a.id);
    const addressOf = new Map(ids.map((id, i) => [id, `0x${(i + 16).toString(16).padStart(40, "0")}`]));
    const commit = commitForSnapshot(snapshot, addressOf, STABLE);
    expect(commit.regime).to.equal("bull");
    expect(commit.targets.map((t) => t.weightBps)).to.deep.equal([7085, 2246, 232, 152, 125, 103, 57]);
    for (const version of [3, 0, "2", undefined]) {
      const unknown = { ...snapshot, version } as unknown as Snapshot;
      expect(() => commitForSnapshot(unknown, addressOf, STABLE), String(version)).to.throw(InvalidInputError, /is not one this code derives targets from \(1, 2\)/);
    }
    // A bear snapshot commits the stablecoin, but only from a version this code knows.
    const bear = { ...snapshot, regime: { ...snapshot.regime, state: "bear" } } as Snapshot;
    expect(commitForSnapshot(bear, addressOf, STABLE).targets).to.deep.equal([{ token: STABLE, weightBps: 10_000 }]);
    expect(() => commitForSnapshot({ ...bear, version: 9 } as unknown as Snapshot, addressOf, STABLE)).to.throw(InvalidInputError);
  });
});
