import { InvalidInputError } from "../errors.js";

/**
 * JSON with object keys sorted by UTF-16 code units at every level and no whitespace (the key order and
 * number form of RFC 8785), so equal data always gives equal bytes and so equal hashes. Anything JSON
 * cannot round-trip (NaN, Infinity, bigint, Map, Set, Date, undefined in an array) throws instead of being
 * silently changed the way JSON.stringify would change it; undefined object fields are left out.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

function encode(value: unknown, path: string): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw unsupported(path, String(value));
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => {
      if (item === undefined) throw unsupported(`${path}[${index}]`, "undefined");
      return encode(item, `${path}[${index}]`);
    }).join(",")}]`;
  }
  if (typeof value === "object" && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${encode(item, `${path}.${key}`)}`).join(",")}}`;
  }
  throw unsupported(path, typeof value === "object" ? (value as object).constructor?.name ?? "object" : typeof value);
}

function unsupported(path: string, what: string): InvalidInputError {
  return new InvalidInputError("Value cannot be encoded as canonical JSON.", { details: `${path}: ${what}` });
}
