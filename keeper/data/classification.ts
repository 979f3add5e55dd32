import { readFileSync } from "node:fs";
import { z } from "zod";
import { ASSET_CLASSES, classificationHash, KeeperError, type ClassificationTable } from "../core/index.js";

export class ClassificationError extends KeeperError {
  override name = "ClassificationError";
}

/** Every shipped classification, oldest first: the audit needs the old ones to check old snapshots. */
export const CLASSIFICATION_VERSIONS = ["v1"] as const;
/** The version new snapshots use. */
export const CURRENT_CLASSIFICATION_VERSION = "v1";

const classSchema = z.enum(ASSET_CLASSES);
const tableSchema = z.object({
  version: z.string().min(1),
  asOf: z.string().date(),
  peg: z.object({ pegsUsd: z.array(z.number().positive()).min(1), toleranceBps: z.number().min(0).max(1000) }),
  categoryRules: z.array(z.object({ category: z.string().min(1), class: classSchema, note: z.string().min(1) })),
  assets: z.record(z.object({ class: classSchema, note: z.string().min(1) })),
});

const cache = new Map<string, { table: ClassificationTable; hash: `0x${string}` }>();

/**
 * A shipped classification (keeper/data/classification/<version>.json), validated, with its hash. Read
 * once per process; the files ship with the keeper, so this works offline.
 */
export function loadClassification(version: string = CURRENT_CLASSIFICATION_VERSION): { table: ClassificationTable; hash: `0x${string}` } {
  const cached = cache.get(version);
  if (cached !== undefined) return cached;
  if (!(CLASSIFICATION_VERSIONS as readonly string[]).includes(version)) {
    throw new ClassificationError(`unknown classification version "${version}"`, { details: `shipped: ${CLASSIFICATION_VERSIONS.join(", ")}` });
  }
  const file = new URL(`./classification/${version}.json`, import.meta.url);
  const parsed = tableSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new ClassificationError(`classification ${version} is malformed`, { details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) });
  if (parsed.data.version !== version) throw new ClassificationError(`classification file ${version}.json says it is version "${parsed.data.version}"`);
  const loaded = { table: parsed.data, hash: classificationHash(parsed.data) };
  cache.set(version, loaded);
  return loaded;
}
