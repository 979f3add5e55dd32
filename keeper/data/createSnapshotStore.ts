import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SnapshotStore {
  /** Where the epoch's snapshot is published: `<dir>/<epoch>.json`. */
  fileFor(epoch: bigint | string): string;
  /** The published bytes as text, exactly as hashed; null when nothing is published for the epoch. */
  read(epoch: bigint | string): Promise<string | null>;
  /** Publishes atomically (a temp file, then a rename), so that a reader never sees half a snapshot. */
  publish(epoch: bigint | string, json: string): Promise<string>;
}

/**
 * The one place snapshot files are named, read and written: the keeper publishes, the audit and the season
 * read, all through this, so a later change of layout (or a store that is not a directory) happens once.
 */
export function createSnapshotStore(dir: string): SnapshotStore {
  const fileFor = (epoch: bigint | string) => path.join(dir, `${epoch}.json`);
  return {
    fileFor,
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
      await writeFile(`${file}.tmp`, json);
      await rename(`${file}.tmp`, file);
      return file;
    },
  };
}
