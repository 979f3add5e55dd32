/** A transaction hash or address cut to its ends for a table (`0x1234abcd…9f8e7d`); the full value goes in a link. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}
