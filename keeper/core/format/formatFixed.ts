/** A raw amount as a decimal string with `shown` fraction digits. */
export function formatFixed(amount: bigint, decimals: number, shown = 2): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fraction = ((abs % scale) * 10n ** BigInt(shown)) / scale;
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${wholeText}${shown > 0 ? "." + fraction.toString().padStart(shown, "0") : ""}`;
}
