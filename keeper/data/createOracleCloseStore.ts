import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { KeeperError } from "../core/errors.js";
import type { OracleClose } from "../core/regime/types.js";

interface OracleClosesFile {
  vault: string;
  closes: OracleClose[];
}

/** Enough for the longest window the configuration allows, with room for gaps. */
const KEPT_DAYS = 800;

export interface OracleCloseStore {
  /** `<dir>/oracle-closes.json`, beside the published snapshots. */
  readonly file: string;
  /** The recorded closes, oldest first; none before the first is recorded. Throws for another vault's file. */
  read(): Promise<OracleClose[]>;
  /**
   * Adds the day's close unless that day (or a later one) is recorded: the first reading of a day wins, as a
   * daily close should. Written atomically; the latest KEPT_DAYS closes are kept.
   */
  record(close: OracleClose): Promise<void>;
}

/** The one place the vault's daily oracle closes are stored: one file per vault's snapshot folder. */
export function createOracleCloseStore(dir: string, vault: string): OracleCloseStore {
  const file = path.join(dir, "oracle-closes.json");
  const read = async (): Promise<OracleClose[]> => {
    let json: string;
    try {
      json = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new KeeperError(`cannot read ${file}`, { cause: error });
    }
    const parsed = JSON.parse(json) as OracleClosesFile;
    if (parsed.vault?.toLowerCase() !== vault.toLowerCase()) throw new KeeperError(`${file} was recorded for vault ${parsed.vault}, not ${vault}`);
    return parsed.closes;
  };
  return {
    file,
    read,
    async record(close) {
      const closes = await read();
      if (closes.length > 0 && closes[closes.length - 1]!.asOf >= close.asOf) return;
      await mkdir(dir, { recursive: true });
      const body: OracleClosesFile = { vault, closes: [...closes, close].slice(-KEPT_DAYS) };
      // A temp name of this process's own: a second keeper sharing the folder records the same day at the same time.
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temp, JSON.stringify(body));
      await rename(temp, file);
    },
  };
}
