/** Basis points as a percentage with two decimals: 250 -> `2.50%`. */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}
