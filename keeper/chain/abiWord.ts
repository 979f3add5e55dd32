import { getAddress } from "ethers";

// One-word ABI types coded on hex text, as ethers' AbiCoder codes them, for the reads and logs there are thousands
// of: ethers builds a tree of coder objects for every call it encodes or decodes, and checksums every address
// (a hash), about a millisecond a value in a busy browser.

const ONE_WORD = /^(?:u?int(\d*)|address|bool|bytes32)$/;

/** Whether `type` (an ABI parameter's type) takes one word of its own, which wordValue and word read and write. */
export function isOneWordType(type: string): boolean {
  const match = ONE_WORD.exec(type);
  if (match === null) return false;
  const bits = match[1];
  return bits === undefined || bits === "" || (Number(bits) % 8 === 0 && Number(bits) >= 8 && Number(bits) <= 256);
}

/** Checksummed addresses by lower-case hex: a history names the same hundred tokens thousands of times. */
const checksummed = new Map<string, string>();

function checksum(lower: string): string {
  let address = checksummed.get(lower);
  if (address === undefined) {
    address = getAddress(lower);
    checksummed.set(lower, address);
  }
  return address;
}

const bitsOf = (type: string) => BigInt(/\d+$/.exec(type)?.[0] ?? 256);

/** A word (64 hex digits) as the value of `type` (isOneWordType), as ethers' AbiCoder decodes it. */
export function wordValue(type: string, word: string): unknown {
  if (type === "address") {
    if (!/^0{24}/.test(word)) throw new Error(`not an address word: ${word}`);
    return checksum(`0x${word.slice(24)}`);
  }
  if (type === "bool") return !/^0{64}$/.test(word);
  if (type === "bytes32") return `0x${word}`;
  const value = BigInt(`0x${word}`);
  return type.startsWith("u") ? BigInt.asUintN(Number(bitsOf(type)), value) : BigInt.asIntN(Number(bitsOf(type)), value);
}

/**
 * `value` of `type` as one word, or null where ethers' encoder would be needed to check or convert it (anything but
 * a hex address and an in-range unsigned bigint).
 */
export function word(type: string, value: unknown): string | null {
  if (type === "address") return typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) ? value.slice(2).toLowerCase().padStart(64, "0") : null;
  if (/^uint\d*$/.test(type) && typeof value === "bigint" && value >= 0n && value >> bitsOf(type) === 0n) return value.toString(16).padStart(64, "0");
  return null;
}
