import { parseTokenList, TokenListError, type TokenList } from "../data/tokenList.js";
import { ConfigError } from "../config.js";
import { readJsonInput } from "./readJsonInput.js";

/**
 * The token list of `chainId` from a file, validated (schema, chain id, unique ids and addresses); anything wrong
 * is a ConfigError on one line naming `input` and the first problem.
 */
export async function readTokenList(file: string, chainId: number, input: string): Promise<TokenList> {
  const json = await readJsonInput(file, input);
  try {
    return parseTokenList(json, chainId, file);
  } catch (error) {
    if (!(error instanceof TokenListError)) throw error;
    const [first, ...more] = error.details;
    throw new ConfigError(`${input}: ${error.shortMessage}${first === undefined ? "" : `: ${first.trim()}`}${more.length > 0 ? ` (and ${more.length} more)` : ""}`);
  }
}
