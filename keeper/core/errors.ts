export interface KeeperErrorParameters {
  /** Lines that say what was wrong with which value; printed under the short message. */
  details?: string | readonly string[];
  cause?: unknown;
}

/**
 * The one base of every keeper error, so a caller (the CLI, the daemon) catches `KeeperError` once,
 * prints `shortMessage` to a human and `details` to the log, and maps the subclass name to an exit code.
 */
export class KeeperError extends Error {
  override name: string = "KeeperError";
  readonly shortMessage: string;
  readonly details: readonly string[];

  constructor(shortMessage: string, { details, cause }: KeeperErrorParameters = {}) {
    const detailLines = details === undefined ? [] : typeof details === "string" ? [details] : [...details];
    const causeLine = cause === undefined ? [] : [`Caused by: ${cause instanceof Error ? cause.message : String(cause)}`];
    super([shortMessage, ...detailLines.map((line) => `  ${line}`), ...causeLine].join("\n"), cause === undefined ? undefined : { cause });
    this.shortMessage = shortMessage;
    this.details = Object.freeze(detailLines);
  }
}

/** An argument broke a documented precondition; retrying with the same input cannot succeed. */
export class InvalidInputError extends KeeperError {
  override name = "InvalidInputError";
}

/** A per-asset cap that cannot hold: `capFraction x count < 1` leaves weight nowhere to go. */
export class InfeasibleCapError extends KeeperError {
  override name = "InfeasibleCapError";
}

/** A token must be valued (held or targeted) but no oracle price was supplied for it. */
export class MissingPriceError extends KeeperError {
  override name = "MissingPriceError";
}

/** The regime model needs more observations than the history holds. */
export class InsufficientHistoryError extends KeeperError {
  override name = "InsufficientHistoryError";
}

/** A swap simulation needed tick-bitmap words beyond the ones read: read the pool wider and simulate again. */
export class TickWindowExceededError extends KeeperError {
  override name = "TickWindowExceededError";
}
