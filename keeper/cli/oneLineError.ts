import path from "node:path";
import type { KeeperError } from "../core/index.js";
import { decodeRevert, revertData } from "../chain/decodeRevert.js";

/**
 * Any error as one line for a terminal, never a stack trace or an ethers dump: a revert as the custom error the
 * project's ABIs decode (`reverted: OracleRouter__StalePrice(0x..., 1700000000)`), anything else as its name, the
 * first line of its message and where it was thrown, so that a bug report still says where to look.
 */
export function oneLineError(error: unknown): string {
  const data = revertData(error);
  const decoded = data === null ? null : decodeRevert(data);
  const e = error as { name?: string; shortMessage?: string; message?: string; stack?: string; reason?: string | null };
  if (decoded !== null) return `${firstLine(e?.shortMessage ?? "execution reverted")}: ${decoded.text}`.replace("execution reverted (unknown custom error)", "execution reverted");
  if (!(error instanceof Error)) return firstLine(String(error));
  const message = firstLine(e.shortMessage ?? e.message ?? "");
  return `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${message}${thrownAt(e.stack)}`;
}

/** A keeper error as its message and detail lines, its cause (an ethers error, often a revert) as one line under them. */
export function keeperErrorText(error: KeeperError): string {
  const cause = error.cause === undefined ? [] : [`Caused by: ${oneLineError(error.cause)}`];
  return [error.shortMessage, ...error.details.map((line) => `  ${line}`), ...cause].join("\n");
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

/** The first stack frame in this project's code (not node_modules, not Node's own), relative to the working directory. */
function thrownAt(stack: string | undefined): string {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = /(?:\(|^at )((?:file:\/\/)?\/[^()\s]+):(\d+):\d+\)?$/.exec(line.trim());
    if (match === null || match[1]!.includes("/node_modules/")) continue;
    const file = match[1]!.replace(/^file:\/\//, "");
    return ` (at ${path.relative(process.cwd(), file)}:${match[2]})`;
  }
  return "";
}
