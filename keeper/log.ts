import { styleText } from "node:util";
import { pino, type Logger } from "pino";

export type { Logger };

export interface CreateLoggerParameters {
  /** One JSON object per line (for log collectors) instead of short human lines. */
  json?: boolean;
  level?: string;
  /** Where human lines go; default stderr, so that a command's own output on stdout stays clean. */
  stream?: NodeJS.WritableStream;
}

/** Structured logs `{ at: "Rebalancer.plan", msg, ... }`: JSON on request, one readable line each otherwise. */
export function createLogger({ json = false, level = "info", stream = process.stderr }: CreateLoggerParameters = {}): Logger {
  if (json) return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream as never);
  const human = {
    write(line: string) {
      const { level: lvl, time, msg, at, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const levelName = pino.levels.labels[lvl as number] ?? String(lvl);
      const extras = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
        .join(" ");
      stream.write(`${String(time).slice(11, 19)} ${levelColour(levelName, stream)} ${at ? `[${String(at)}] ` : ""}${String(msg ?? "")}${extras ? `  ${extras}` : ""}\n`);
    },
  };
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, human);
}

/** warn yellow, error and fatal red, on a terminal without NO_COLOR (or with FORCE_COLOR); the rest plain. */
function levelColour(levelName: string, stream: NodeJS.WritableStream): string {
  const padded = levelName.padEnd(5);
  const colour = levelName === "warn" ? "yellow" : levelName === "error" || levelName === "fatal" ? "red" : undefined;
  return colour === undefined ? padded : styleText(colour, padded, { stream });
}

/** A logger that drops everything (tests, library callers that pass none). */
export const silentLogger: Logger = pino({ level: "silent" });
