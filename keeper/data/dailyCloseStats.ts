import { medianOfSorted } from "../core/stats/medianOfSorted.js";

/** The screens' inputs from one asset's daily closes (oldest first, the last one at the cut-off). */
export interface DailyCloseStats {
  readonly medianVolume30dUsd: number;
  readonly priceLow30dUsd: number;
  readonly priceHigh30dUsd: number;
}

const WINDOW = 30;
// The window's volumes, sorted in place: one buffer for every call rather than one allocation each.
const scratch = new Float64Array(WINDOW);

/**
 * Median volume and price range over the last 30 closes (fewer when the asset is younger). Loops rather than
 * slices and spreads, into one buffer: the backtest asks for it for 250 assets a simulated day.
 */
export function dailyCloseStats(closes: readonly { readonly priceUsd: number; readonly volumeUsd: number }[]): DailyCloseStats {
  if (closes.length === 0) throw new RangeError("dailyCloseStats needs at least one close");
  const from = Math.max(0, closes.length - WINDOW);
  const count = closes.length - from;
  const volumes = count === WINDOW ? scratch : scratch.subarray(0, count);
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < closes.length; i++) {
    const { priceUsd, volumeUsd } = closes[i]!;
    volumes[i - from] = volumeUsd;
    low = Math.min(low, priceUsd);
    high = Math.max(high, priceUsd);
  }
  volumes.sort();
  return { medianVolume30dUsd: medianOfSorted(volumes), priceLow30dUsd: low, priceHigh30dUsd: high };
}
