import { readFile } from "node:fs/promises";
import { ConfigError } from "../config.js";

/**
 * Reads a JSON input file; a missing or unparsable one is a ConfigError naming `input` (the variable or flag the
 * user set, e.g. `KEEPER_DATA_FILE` or `--token-list`) and the file, on one line.
 */
export async function readJsonInput(file: string, input: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${input}=${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${input}=${file}: not valid JSON (${(error as Error).message})`);
  }
}
