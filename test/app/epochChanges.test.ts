import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { computeTargets, type Snapshot } from "../../keeper/core/index.js";
import { epochChanges, listGrouped } from "../../app/src/epochChanges.js";

const pinned = async () => JSON.parse(await readFile(path.join(import.meta.dirname, "..", "keeper", "core", "pinned", "snapshot-v2-1797811200.json"), "utf8")) as Snapshot;

describe("app epoch changes (the notice on the Overview, each epoch on Methodology)", function () {
  it("a bull snapshot: who enters (rank, why), who leaves (why), the targets the commit derives", async function () {
    const snapshot = await pinned();
    const targets = computeTargets(snapshot);
    const [top] = targets.constituents;
    // The top constituent was not a member, and a member no longer in the universe was.
    const changed = { ...snapshot, currentMembers: [...snapshot.currentMembers.filter((id) => id !== top!.id), "retired-coin"] } as Snapshot;
    const changes = epochChanges(changed);
    expect(changes.targets?.constituents.map((c) => c.id)).to.deep.equal(computeTargets(changed).constituents.map((c) => c.id));
    expect(changes.entered.map((x) => x.constituent.id)).to.include(top!.id);
    expect(changes.entered.find((x) => x.constituent.id === top!.id)!.why).to.match(/^rank 1, (filled an empty seat|inside the entry rank)$/);
    expect(changes.left).to.deep.include({ id: "retired-coin", why: "gone from the universe" });
    // Against its own members, nobody enters who was a member, and nobody leaves who stays.
    const own = epochChanges(snapshot);
    const members = new Set(snapshot.currentMembers);
    expect(own.entered.every((x) => !members.has(x.constituent.id))).to.equal(true);
    const kept = new Set(targets.constituents.map((c) => c.id));
    expect(own.left.every((x) => members.has(x.id) && !kept.has(x.id))).to.equal(true);
  });

  it("a bear snapshot sells every member for the stablecoin: no targets, nobody enters", async function () {
    const snapshot = await pinned();
    const bear = { ...snapshot, regime: { ...snapshot.regime, state: "bear", previous: "bull", changed: true } } as Snapshot;
    const changes = epochChanges(bear);
    expect(changes.targets).to.equal(null);
    expect(changes.entered).to.deep.equal([]);
    expect(changes.left.map((x) => x.id)).to.deep.equal(snapshot.currentMembers);
    expect(changes.left[0]!.why).to.equal("bear regime: sold for the stablecoin");
  });

  it("a long list is grouped: the first ten, then how many more", function () {
    const items = Array.from({ length: 12 }, (_, i) => `T${i}`);
    expect(listGrouped(items)).to.equal("T0, T1, T2, T3, T4, T5, T6, T7, T8, T9 and 2 more");
    expect(listGrouped(items.slice(0, 10))).to.equal(items.slice(0, 10).join(", "));
    expect(listGrouped([])).to.equal("none");
  });
});
