import { KeeperError, type Snapshot } from "../core/index.js";
import { createSnapshotStore } from "../data/createSnapshotStore.js";

export interface PublishedSnapshot {
  epoch: bigint;
  file: string;
  read(): Promise<Snapshot>;
}

/** The snapshots published in `dir` for epochs before `epoch`, newest first; none when the folder does not exist. */
export async function publishedSnapshotsBefore(dir: string, epoch: bigint): Promise<PublishedSnapshot[]> {
  const store = createSnapshotStore(dir);
  return (await store.epochs())
    .filter((e) => e < epoch)
    .reverse()
    .map((e) => ({
      epoch: e,
      file: store.fileFor(e),
      read: async () => {
        const text = await store.read(e);
        if (text === null) throw new KeeperError(`${store.fileFor(e)} was removed while the keeper read the snapshot folder`);
        return JSON.parse(text) as Snapshot;
      },
    }));
}

/** When the regime in force began: the asOf of the latest published snapshot whose decision switched; null if none. */
export async function lastRegimeSwitch(dir: string, epoch: bigint): Promise<string | null> {
  for (const published of await publishedSnapshotsBefore(dir, epoch)) {
    const { regime } = await published.read();
    if (regime?.changed === true) return regime.asOf;
  }
  return null;
}
