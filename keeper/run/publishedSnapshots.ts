import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { KeeperError, type Snapshot } from "../core/index.js";

export interface PublishedSnapshot {
  epoch: bigint;
  file: string;
  read(): Promise<Snapshot>;
}

/** The snapshots published in `dir` for epochs before `epoch`, newest first; none when the folder does not exist. */
export async function publishedSnapshotsBefore(dir: string, epoch: bigint): Promise<PublishedSnapshot[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new KeeperError(`cannot list the published snapshots in ${dir}`, { cause: error });
  }
  return names
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((e): e is string => e !== undefined)
    .map(BigInt)
    .filter((e) => e < epoch)
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .map((e) => {
      const file = path.join(dir, `${e}.json`);
      return { epoch: e, file, read: async () => JSON.parse(await readFile(file, "utf8")) as Snapshot };
    });
}

/** When the regime in force began: the asOf of the latest published snapshot whose decision switched; null if none. */
export async function lastRegimeSwitch(dir: string, epoch: bigint): Promise<string | null> {
  for (const published of await publishedSnapshotsBefore(dir, epoch)) {
    const { regime } = await published.read();
    if (regime?.changed === true) return regime.asOf;
  }
  return null;
}
