/**
 * The exit codes of every command line here (`keeper`, `npm run devnet`, `npm start`): what a script or a
 * supervisor can act on. Defined once; the README's table lists the same.
 */
export const EXIT = {
  ok: 0,
  /** A bug or an error nobody anticipated: one line on stderr, its message and where it was thrown (no stack trace). */
  unexpected: 1,
  /** Bad usage or configuration: an unknown command or flag, a bad value, a missing file. */
  usage: 2,
  /** The keeper refused or could not finish (gas above the cap, paused, loss budget used up, chain unreachable). */
  keeper: 3,
  /** The audit found violations. */
  auditViolations: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
