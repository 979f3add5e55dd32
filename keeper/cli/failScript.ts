import { ConfigError } from "../config.js";
import { KeeperError } from "../core/index.js";
import { EXIT } from "./exitCodes.js";
import { keeperErrorText, oneLineError } from "./oneLineError.js";

/**
 * The last word of a script (npm start, npm run devnet, the deploy and benchmark scripts) on an error that
 * escaped it: one line, a revert named by the custom error the project's ABIs decode, and the exit code of the
 * keeper's table, where Node or Hardhat would print a stack trace and an ethers dump.
 */
export function failScript(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`error: ${keeperErrorText(error)}`);
    process.exit(EXIT.usage);
  }
  if (error instanceof KeeperError) {
    console.error(`error: ${keeperErrorText(error)}`);
    process.exit(EXIT.keeper);
  }
  console.error(`error: unexpected: ${oneLineError(error)}`);
  process.exit(EXIT.unexpected);
}

/** For a script that tsx runs: an error escaping its top level (or a promise nobody awaited) ends in failScript. */
export function exitOnUncaughtError(): void {
  process.on("uncaughtException", failScript);
  process.on("unhandledRejection", failScript);
}
