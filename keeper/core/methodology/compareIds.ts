/**
 * Orders ids by UTF-16 code units. Not localeCompare: the auditor must get the same order as the keeper
 * whatever the machine's locale.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
