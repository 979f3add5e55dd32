/** 100% in basis points, as the vault's libraries define it. */
export const BPS = 10_000n;

/**
 * The fee inside a gross amount that includes it, as the vault takes its entry fee from a deposit (FeeLib.feeOnGrossUp):
 * `gross * feeBps / (10_000 + feeBps)`, rounded up.
 */
export function feeOfGross(gross: bigint, feeBps: number | bigint): bigint {
  const bps = BigInt(feeBps);
  const denominator = BPS + bps;
  return (gross * bps + denominator - 1n) / denominator;
}
