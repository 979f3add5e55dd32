/** The screens' inputs from one asset's daily closes (oldest first, the last one at the cut-off). */
export interface DailyCloseStats {
  readonly medianVolume30dUsd: number;
  readonly priceLow30dUsd: number;
  readonly priceHigh30dUsd: number;
}

const WINDOW = 30;

/** Median volume and price range over the last 30 closes (fewer when the asset is younger). */
export function dailyCloseStats(closes: readonly { readonly priceUsd: number; readonly volumeUsd: number }[]): DailyCloseStats {
  if (closes.length === 0) throw new RangeError("dailyCloseStats needs at least one close");
  const last = closes.slice(-WINDOW);
  const volumes = last.map((c) => c.volumeUsd).sort((a, b) => a - b);
  const middle = Math.floor(volumes.length / 2);
  const median = volumes.length % 2 === 1 ? volumes[middle]! : (volumes[middle - 1]! + volumes[middle]!) / 2;
  const prices = last.map((c) => c.priceUsd);
  return { medianVolume30dUsd: median, priceLow30dUsd: Math.min(...prices), priceHigh30dUsd: Math.max(...prices) };
}
