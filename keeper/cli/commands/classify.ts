import { classifyAsset, formatTable, type AssetClassification } from "../../core/index.js";
import { loadClassification } from "../../data/classification.js";
import { EXIT } from "../exitCodes.js";

export interface ClassifyCommandOptions {
  ids: readonly string[];
  json: boolean;
  /** A shipped classification version; default the current one. */
  version?: string;
}

/**
 * `keeper classify [--json] <id>...`: each id's class and why, offline from the shipped classification.
 * Offline there are no categories or prices, so an id the file does not cover is "unknown" here; at run time
 * the category and peg rules may still decide it.
 */
export function classifyCommand({ ids, json, version }: ClassifyCommandOptions): number {
  const { table, hash } = loadClassification(version);
  const results: AssetClassification[] = ids.map((id) => classifyAsset({ asset: { id }, table }));
  if (json) {
    console.log(JSON.stringify({ classification: { version: table.version, asOf: table.asOf, hash }, results }, null, 2));
  } else {
    console.log(`Classification ${table.version} (${table.asOf}), ${hash}`);
    console.log(formatTable(["id", "class", "rule", "why"], results.map((r) => [r.id, r.class, r.rule, r.note])));
  }
  return EXIT.ok;
}
