import { InvalidInputError } from "../errors.js";
import type { ExcludedAsset, ExclusionReason, MarketAsset } from "./types.js";

/**
 * A universe split by a screen, in input order: an asset is eligible when `reasonOf` finds no reason to exclude
 * it, else excluded with that reason. An id listed twice is refused: a screen result must name each asset once.
 * Snapshot v1's screenUniverse and v2's screenInvestable run their own reasons through this.
 */
export function partitionScreened(assets: readonly MarketAsset[], reasonOf: (asset: MarketAsset) => ExclusionReason | undefined): { eligible: MarketAsset[]; excluded: ExcludedAsset[] } {
  const seen = new Set<string>();
  const eligible: MarketAsset[] = [];
  const excluded: ExcludedAsset[] = [];
  for (const asset of assets) {
    if (seen.has(asset.id)) throw new InvalidInputError("Universe lists an asset twice.", { details: `id: ${asset.id}` });
    seen.add(asset.id);
    const reason = reasonOf(asset);
    if (reason === undefined) eligible.push(asset);
    else excluded.push({ id: asset.id, symbol: asset.symbol, reason });
  }
  return { eligible, excluded };
}
