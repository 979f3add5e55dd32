import { formatUnits } from "ethers";

/** A base-unit amount as a decimal with at most `digits` fraction digits, grouped (1,234.56). */
export function formatAmount(amount: bigint, decimals: number, digits = 2): string {
  const [whole, fraction = ""] = formatUnits(amount, decimals).split(".");
  const grouped = BigInt(whole!).toLocaleString("en-US");
  const trimmed = fraction.slice(0, digits).replace(/0+$/, "");
  return trimmed.length > 0 ? `${grouped}.${trimmed}` : grouped;
}

/** Dollars with exactly `digits` decimals ($1,234.50), or more for prices under a dollar. */
export function formatUsd(amount: bigint, decimals: number, digits = 2): string {
  const [whole, fraction = ""] = formatUnits(amount, decimals).split(".");
  const shown = BigInt(whole!) === 0n && digits < 6 ? 6 : digits;
  return `$${BigInt(whole!).toLocaleString("en-US")}.${fraction.padEnd(shown, "0").slice(0, shown)}`;
}

export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)} %`;
}

export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d} d ${h} h ${m} min` : `${h} h ${m} min`;
}
