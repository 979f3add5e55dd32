import { CommanderError } from "commander";
import { KeeperError } from "../core/index.js";
import { ConfigError } from "../config.js";
import { createKeeperProgram } from "./createKeeperProgram.js";
import { EXIT } from "./exitCodes.js";
import { keeperErrorText, oneLineError } from "./oneLineError.js";

/** Runs `keeper` with the process's arguments and maps every outcome to one of the EXIT codes. */
async function main(argv: string[]): Promise<number> {
  const result = { code: EXIT.ok as number };
  try {
    await createKeeperProgram(result).parseAsync(argv, { from: "user" });
    return result.code;
  } catch (error) {
    // Commander has printed its message (and the command's usage); --help and --version end here with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof ConfigError) {
      console.error(`keeper: ${keeperErrorText(error)}`);
      return EXIT.usage;
    }
    if (error instanceof KeeperError) {
      console.error(`keeper: ${keeperErrorText(error)}`);
      return EXIT.keeper;
    }
    console.error(`keeper: unexpected error: ${oneLineError(error)}`);
    return EXIT.unexpected;
  }
}

process.exitCode = await main(process.argv.slice(2));
