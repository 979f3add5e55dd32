import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { KeeperError } from "../core/errors.js";

export interface SnapshotStore {
  /** Where the epoch's snapshot is published: `<dir>/<epoch>.json`. */
  fileFor(epoch: bigint | string): string;
  /** Every epoch published here, oldest first; none when the folder does not exist. */
  epochs(): Promise<bigint[]>;
  /** The published bytes as text, exactly as hashed; null when nothing is published for the epoch. */
  read(epoch: bigint | string): Promise<string | null>;
  /**
   * Publishes atomically (a temp file, then a hard link), so that a reader never sees half a snapshot, then the
   * folder's index.json listing every published epoch, for web clients that cannot list a folder. The first
   * snapshot published for an epoch stays: two keepers sharing the folder commit the same bytes, and a committed
   * hash never loses its file. Returns the bytes published for the epoch (another keeper's, if it was first).
   */
  publish(epoch: bigint | string, json: string): Promise<string>;
}

/**
 * The one place snapshot files are named, read and written: the keeper publishes, the audit and the season
 * read, all through this, so a later change of layout (or a store that is not a directory) happens once.
 */
export function createSnapshotStore(dir: string): SnapshotStore {
  const fileFor = (epoch: bigint | string) => path.join(dir, `${epoch}.json`);
  const epochs = async () => {
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
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    fileFor,
    epochs,
    async read(epoch) {
      try {
        return await readFile(fileFor(epoch), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async publish(epoch, json) {
      const file = fileFor(epoch);
      await mkdir(dir, { recursive: true });
      // A temp name of this process's own: another keeper may be writing the same epoch at the same moment.
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temp, json);
      let published = json;
      try {
        await link(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        published = await readFile(file, "utf8");
      } finally {
        await unlink(temp);
      }
      const index = path.join(dir, "index.json");
      const indexTemp = `${index}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(indexTemp, JSON.stringify({ snapshots: (await epochs()).map((e) => ({ epoch: String(e), file: `${e}.json` })) }, null, 2));
      await rename(indexTemp, index);
      return published;
    },
  };
}
