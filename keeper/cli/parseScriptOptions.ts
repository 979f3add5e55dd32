import { Command, CommanderError, InvalidArgumentError } from "commander";
import { EXIT } from "./exitCodes.js";

/** An option parser for an integer in [min, max]; commander reports a bad value with the flag and the usage. */
export function integerInRange(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    return value;
  };
}

/**
 * Parses a script's command line with the keeper's conventions: `--help` exits 0, an unknown flag or a bad
 * value prints the message and the usage and exits 2 (EXIT.usage).
 */
export function parseScriptOptions<T>(program: Command, argv: string[] = process.argv.slice(2)): T {
  program
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    throw error;
  }
  return program.opts<T & object>() as T;
}
