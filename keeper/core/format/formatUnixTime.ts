import { formatDate } from "./numbers.js";

/** Unix seconds as a UTC time to the minute (`2026-12-01 18:30 UTC`), or the date alone at midnight. */
export function formatUnixTime(seconds: number): string {
  return `${formatDate(new Date(seconds * 1000).toISOString())} UTC`;
}
