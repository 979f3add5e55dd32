import { getAddress } from "ethers";
import { z } from "zod";
import { KeeperError } from "../core/index.js";

/**
 * A token list in the Uniswap token-list format (https://tokenlists.org), one per chain. The data
 * provider's id of each token is in `extensions.providerId` (CoinGecko's id for a live chain), which is
 * how the keeper maps market data to on-chain addresses. Bitcoin, say, maps to a wrapped BTC token:
 * the screens exclude wrapped assets from the universe, and the list says which token represents an asset.
 */
const tokenInfoSchema = z.object({
  chainId: z.number().int().positive(),
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte hex address"),
  name: z.string().min(1).max(60),
  symbol: z.string().min(1).max(20),
  decimals: z.number().int().min(0).max(255),
  logoURI: z.string().optional(),
  tags: z.array(z.string()).optional(),
  extensions: z.object({ providerId: z.string().min(1) }).passthrough(),
});

const tokenListSchema = z.object({
  name: z.string().min(1),
  timestamp: z.string(),
  version: z.object({ major: z.number().int(), minor: z.number().int(), patch: z.number().int() }),
  tokens: z.array(tokenInfoSchema),
  keywords: z.array(z.string()).optional(),
  logoURI: z.string().optional(),
});

export type TokenList = z.infer<typeof tokenListSchema>;
export type TokenListEntry = z.infer<typeof tokenInfoSchema>;

export class TokenListError extends KeeperError {
  override name = "TokenListError";
}

/**
 * Validates a parsed token list for `chainId`: tokens for that chain, mixed-case addresses passing their EIP-55
 * checksum (all-lowercase ones carry none), ids and addresses unique; addresses are returned checksummed.
 */
export function parseTokenList(json: unknown, chainId: number, source = "token list"): TokenList {
  const parsed = tokenListSchema.safeParse(json);
  if (!parsed.success) {
    throw new TokenListError(`${source} is not a valid token list`, { details: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
  }
  const chains = [...new Set(parsed.data.tokens.map((t) => t.chainId))];
  if (!chains.includes(chainId)) {
    throw new TokenListError(`${source} has no token for chain ${chainId}${chains.length > 0 ? ` (its tokens are for chain ${chains.join(", ")}): a list for another chain?` : ""}`);
  }
  const seenIds = new Set<string>();
  const seenAddresses = new Set<string>();
  const tokens = parsed.data.tokens
    .filter((t) => t.chainId === chainId)
    .map((t) => {
      // All-lowercase is accepted (no checksum to check); mixed case must pass EIP-55, or a character is mistyped.
      let address: string;
      try {
        address = getAddress(t.address);
      } catch {
        throw new TokenListError(`${source}: ${t.address} (provider id "${t.extensions.providerId}") fails its EIP-55 checksum: a mistyped character?`, { details: `checksummed, the same hex reads ${getAddress(t.address.toLowerCase())}` });
      }
      if (seenIds.has(t.extensions.providerId)) throw new TokenListError(`${source} maps provider id "${t.extensions.providerId}" twice on chain ${chainId}`);
      if (seenAddresses.has(address)) throw new TokenListError(`${source} lists ${address} twice on chain ${chainId}`);
      seenIds.add(t.extensions.providerId);
      seenAddresses.add(address);
      return { ...t, address };
    });
  return { ...parsed.data, tokens };
}

/** provider id -> token entry, for the tokens of one chain. */
export function tokensByProviderId(list: TokenList): Map<string, TokenListEntry> {
  return new Map(list.tokens.map((t) => [t.extensions.providerId, t]));
}
