/** Parses an integer command-line option, or exits the process with a message naming the bad value. */
export function parseIntegerOption(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (raw === undefined || !/^-?\d+$/.test(raw) || value < min || value > max) {
    console.error(`error: ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}
