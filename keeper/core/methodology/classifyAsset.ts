import type { AssetClassification, ClassificationTable, MarketAsset } from "./types.js";

export interface ClassifyAssetParameters {
  /** Only the id is needed for a curated entry; categories, flags and price feed the rules for the rest. */
  readonly asset: Pick<MarketAsset, "id"> & Partial<Pick<MarketAsset, "priceLow30dUsd" | "priceHigh30dUsd" | "categories" | "isStablecoin" | "derivativeOf">>;
  readonly table: ClassificationTable;
}

/**
 * One id's class and why, in this order: the curated entry; the first category rule the asset's categories
 * match; the provider's own stablecoin or derivative flag (file and synthetic markets); 30 daily closes all
 * within the peg tolerance of one peg (a stablecoin no list knows yet; a token that merely passes $1 is not
 * one); otherwise "unknown". A category alone never makes an asset eligible: broad categories such as RWA
 * also hold genuine network tokens, so those are curated by id instead.
 */
export function classifyAsset({ asset, table }: ClassifyAssetParameters): AssetClassification {
  const curated = Object.hasOwn(table.assets, asset.id) ? table.assets[asset.id] : undefined;
  if (curated !== undefined) return { id: asset.id, class: curated.class, rule: "curated", note: curated.note };
  const categories = new Set(asset.categories ?? []);
  for (const rule of table.categoryRules) {
    if (categories.has(rule.category)) return { id: asset.id, class: rule.class, rule: `category:${rule.category}`, note: rule.note };
  }
  if (asset.isStablecoin === true) return { id: asset.id, class: "stablecoin", rule: "provider-flag", note: "the data provider flags it as a stablecoin" };
  if (asset.derivativeOf !== undefined && asset.derivativeOf !== "") {
    return { id: asset.id, class: "wrapped", rule: "provider-flag", note: `the data provider flags it as a derivative of ${asset.derivativeOf}` };
  }
  const { priceLow30dUsd: low, priceHigh30dUsd: high } = asset;
  if (low !== undefined && high !== undefined && Number.isFinite(low) && Number.isFinite(high)) {
    const within = (price: number, peg: number) => Math.abs(price / peg - 1) * 10_000 <= table.peg.toleranceBps;
    const peg = table.peg.pegsUsd.find((p) => within(low, p) && within(high, p));
    if (peg !== undefined) return { id: asset.id, class: "stablecoin", rule: "price-peg", note: `30 daily closes in [${low}, ${high}] USD, within ${table.peg.toleranceBps} bps of ${peg}` };
  }
  return { id: asset.id, class: "unknown", rule: "none", note: `not in classification ${table.version}, in no rule's category, not at a peg` };
}
