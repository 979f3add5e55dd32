import type { AssetRegistry } from "./types.js";

/** Normalises the registry forms to one lookup so screens need not care which form they got. */
export function toIdSet(registry: AssetRegistry): ReadonlySet<string> {
  if (registry instanceof Set) return registry;
  if (registry instanceof Map) return new Set(registry.keys());
  return new Set(registry as readonly string[]);
}
