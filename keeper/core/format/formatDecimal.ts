/** A raw amount as a plain decimal string, up to `maxFractionDigits` decimals, trailing zeros dropped: 150000000, 8 -> `1.5`. */
export function formatDecimal(amount: bigint, decimals: number, maxFractionDigits = 6): string {
  const scale = 10n ** BigInt(decimals);
  const fraction = (amount % scale).toString().padStart(decimals, "0").slice(0, maxFractionDigits).replace(/0+$/, "");
  return `${amount / scale}${fraction ? "." + fraction : ""}`;
}
