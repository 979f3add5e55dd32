import { Result, type EventFragment } from "ethers";
import { isOneWordType, wordValue } from "../../keeper/chain/abiWord.js";

/**
 * A decoder for an event whose parameters are all one-word types (integers, addresses, bools, bytes32), or null for
 * any other: ethers' decodeEventLog builds its coders anew and hashes the event's signature on every log, about
 * 2 ms a log, so a year of a 100-token vault's trades would take seconds. Same values as ethers gives (bigint
 * integers, checksummed addresses); a log of the wrong shape throws, as ethers' decoder does.
 */
export function staticEventDecoder(fragment: EventFragment): ((topics: readonly string[], data: string) => Result) | null {
  const inputs = fragment.inputs;
  if (fragment.anonymous || inputs.some((p) => !isOneWordType(p.type))) return null;
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
