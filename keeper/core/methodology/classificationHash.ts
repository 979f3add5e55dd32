import { canonicalJson } from "../snapshot/canonicalJson.js";
import { snapshotHash } from "../snapshot/snapshotHash.js";
import type { ClassificationTable } from "./types.js";

/** keccak256 of the table's canonical JSON: the same table gives the same hash however its file is laid out. */
export function classificationHash(table: ClassificationTable): `0x${string}` {
  return snapshotHash(canonicalJson(table));
}
