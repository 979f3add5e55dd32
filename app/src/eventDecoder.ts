import { getAddress, Result, type EventFragment } from "ethers";

const STATIC = /^(u?int(\d*)|address|bool|bytes32)$/;

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

/** One 32-byte word (64 hex digits) of an event as its parameter's value, as ethers' AbiCoder decodes it. */
function wordValue(type: string, word: string): unknown {
  if (type === "address") {
    if (!/^0{24}/.test(word)) throw new Error(`not an address word: ${word}`);
    return checksum(`0x${word.slice(24)}`);
  }
  if (type === "bool") {
    if (!/^0{63}[01]$/.test(word)) throw new Error(`not a bool word: ${word}`);
    return word.endsWith("1");
  }
  if (type === "bytes32") return `0x${word}`;
  const [, , , bits = ""] = STATIC.exec(type)!;
  const size = BigInt(bits === "" ? 256 : Number(bits));
  const value = BigInt(`0x${word}`);
  if (type.startsWith("u")) {
    if (value >> size !== 0n) throw new Error(`${type} out of range: ${word}`);
    return value;
  }
  const signed = BigInt.asIntN(256, value);
  if (BigInt.asIntN(Number(size), signed) !== signed) throw new Error(`${type} out of range: ${word}`);
  return signed;
}

/**
 * A decoder for an event whose parameters are all one-word types (integers, addresses, bools, bytes32), or null for
 * any other: ethers' decodeEventLog builds its coders anew and hashes the event's signature on every log, about
 * 2 ms a log, so a year of a 100-token vault's trades would take seconds. Same values as ethers gives (bigint
 * integers, checksummed addresses); a log of the wrong shape throws, as ethers' decoder does.
 */
export function staticEventDecoder(fragment: EventFragment): ((topics: readonly string[], data: string) => Result) | null {
  const inputs = fragment.inputs;
  if (fragment.anonymous || inputs.some((p) => !STATIC.test(p.type) || p.type === "int" || p.type === "uint")) return null;
  const indexed = inputs.filter((p) => p.indexed).length;
  const dataWords = inputs.length - indexed;
  const names = inputs.map((p) => p.name);
  return (topics, data) => {
    if (topics.length !== indexed + 1 || data.length !== 2 + 64 * dataWords) throw new Error(`${fragment.name}: a log of ${topics.length} topics and ${(data.length - 2) / 2} data bytes does not match the event`);
    let topic = 1;
    let word = 0;
    const values = inputs.map((p) => wordValue(p.type, p.indexed ? topics[topic++]!.slice(2) : data.slice(2 + 64 * word, 2 + 64 * ++word)));
    return Result.fromItems(values, names);
  };
}
