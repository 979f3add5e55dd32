import { InvalidInputError } from "../errors.js";
import { bufferBands } from "./bufferBands.js";
import { DEFAULT_METHODOLOGY_CONFIG, type MethodologyConfig } from "./types.js";

/** Fills defaults and checks every field, so a bad configuration fails before any data is fetched. */
export function resolveMethodologyConfig(config: Partial<MethodologyConfig> = {}): MethodologyConfig {
  const resolved: MethodologyConfig = Object.freeze({ ...DEFAULT_METHODOLOGY_CONFIG, ...definedOnly(config) });
  bufferBands({ n: resolved.constituentCount, bufferFraction: resolved.bufferFraction });
  const { capFraction, minMarketCapUsd, minVolumeUsd } = resolved;
  if (capFraction !== null && !(Number.isFinite(capFraction) && capFraction > 0 && capFraction <= 1)) {
    throw new InvalidInputError("Cap fraction must be in (0, 1] or null.", { details: `capFraction: ${capFraction}` });
  }
  for (const [name, value] of [["minMarketCapUsd", minMarketCapUsd], ["minVolumeUsd", minVolumeUsd]] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new InvalidInputError("Screen minimums must be finite and non-negative.", { details: `${name}: ${value}` });
  }
  return resolved;
}

// `{ capFraction: undefined }` from an optional CLI flag must mean "default", not overwrite it.
function definedOnly(config: Partial<MethodologyConfig>): Partial<MethodologyConfig> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}
