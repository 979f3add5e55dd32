import { expect } from "chai";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSnapshotStore } from "../../../keeper/data/createSnapshotStore.js";
import { publishedSnapshotsBefore } from "../../../keeper/run/publishedSnapshots.js";

describe("the snapshot store (the one place snapshot files are named, listed, read and written)", function () {
  it("lists published epochs in numeric order, ignoring other files, and none for a folder that does not exist", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "snapshot-store-"));
    const store = createSnapshotStore(dir);
    expect(await createSnapshotStore(path.join(dir, "missing")).epochs()).to.deep.equal([]);
    // 900 sorts after 1000 as text: the order must be numeric.
    for (const epoch of [1000n, 900n, 86400n]) await store.publish(epoch, JSON.stringify({ asOf: String(epoch) }));
    await writeFile(path.join(dir, "oracle-closes.json"), "{}");
    await writeFile(path.join(dir, "12.json.tmp"), "{");
    expect(await store.epochs()).to.deep.equal([900n, 1000n, 86400n]);
    const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8"));
    expect(index).to.deep.equal({ snapshots: [{ epoch: "900", file: "900.json" }, { epoch: "1000", file: "1000.json" }, { epoch: "86400", file: "86400.json" }] });
    expect(await store.read(1000n)).to.equal(JSON.stringify({ asOf: "1000" }));
    expect(await store.read(1n)).to.equal(null);
  });

  it("gives the keeper the snapshots before an epoch through the same listing, newest first", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "snapshot-store-"));
    const store = createSnapshotStore(dir);
    for (const epoch of [900n, 1000n, 86400n]) await store.publish(epoch, JSON.stringify({ asOf: String(epoch) }));
    const before = await publishedSnapshotsBefore(dir, 86400n);
    expect(before.map((p) => [p.epoch, p.file])).to.deep.equal([
      [1000n, store.fileFor(1000n)],
      [900n, store.fileFor(900n)],
    ]);
    expect(await before[0]!.read()).to.deep.equal({ asOf: "1000" });
    expect(await publishedSnapshotsBefore(path.join(dir, "missing"), 86400n)).to.deep.equal([]);
  });
});
