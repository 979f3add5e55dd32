import { formatUnits } from "ethers";
import { formatFixed } from "./formatFixed.js";

/**
 * Number formatting shared by the CLI, the audit, the Markdown page and the charts: thousands separators, and as many decimals as
 * make the figure readable (more for small amounts, so 0.000123 WBTC does not print as 0.00).
 */

const grouped = (fractionDigits: number) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });

/** A plain number with thousands separators and a fixed count of decimals. */
export function formatNumber(value: number, fractionDigits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return grouped(fractionDigits).format(value);
}

/** An amount shown to about `significant` significant digits, at least two decimals, never in exponent form. */
export function formatAmount(value: number, significant = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const fractionDigits = Math.min(12, Math.max(2, significant - 1 - magnitude));
  return grouped(fractionDigits).format(value);
}

/**
 * An amount of the vault's asset, in dollars: `$12,345.67`. Either a number of dollars, or base units with the
 * stablecoin's decimals (exact, `fractionDigits` shown: 4 for a NAV per share).
 */
export function formatUsd(value: number): string;
export function formatUsd(amount: bigint, decimals: number, fractionDigits?: number): string;
export function formatUsd(value: number | bigint, decimals?: number, fractionDigits = 2): string {
  if (typeof value === "bigint") return `${value < 0n ? "-" : ""}$${formatFixed(value < 0n ? -value : value, decimals ?? 0, fractionDigits)}`;
  if (!Number.isFinite(value)) return String(value);
  return `${value < 0 ? "-" : ""}$${formatNumber(Math.abs(value), 2)}`;
}

/** A fraction as a percentage: 0.1234 -> `12.34%`. */
export function formatPercent(fraction: number, fractionDigits = 2): string {
  return `${formatNumber(fraction * 100, fractionDigits)}%`;
}

/** A fraction as a signed percentage change: 0.05 -> `+5.00%`. */
export function formatSignedPercent(fraction: number, fractionDigits = 2): string {
  return `${fraction > 0 ? "+" : ""}${formatPercent(fraction, fractionDigits)}`;
}

/**
 * A token amount given as a decimal string: a raw integer scaled by `decimals` when they are known, otherwise
 * the string's own value (already in whole units, or raw when nothing says how to scale it).
 */
export function formatTokenAmount(amount: string, decimals?: number): string {
  const wholeUnits = decimals !== undefined && /^-?\d+$/.test(amount) ? formatUnits(BigInt(amount), decimals) : amount;
  const value = Number(wholeUnits);
  return Number.isFinite(value) ? formatAmount(value) : amount;
}

/** A gas cost in wei as ETH with 6 decimals (a millionth of an ETH): `0.000123`. */
export function formatEth(wei: bigint): string {
  return Number(formatUnits(wei, 18)).toFixed(6);
}

/** An ISO timestamp shortened to its date when it falls at midnight UTC, else to minutes. */
export function formatDate(iso: string): string {
  const midnight = /^(\d{4}-\d{2}-\d{2})(T00:00(:00(\.0+)?)?Z?)?$/.exec(iso);
  if (midnight) return midnight[1];
  const minutes = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return minutes ? `${minutes[1]} ${minutes[2]}` : iso;
}
