import type { VaultState } from "../chain/readVault.js";

/** The initial basket for buy-and-hold: the first committed weights (null until there are some). */
export function firstBasket(state: VaultState): Map<string, number> | undefined {
  const risky = state.targets.filter((t) => t.token.address !== state.stablecoin.address && t.weightBps > 0);
  if (risky.length === 0) return undefined;
  const total = risky.reduce((s, t) => s + t.weightBps, 0);
  return new Map(risky.map((t) => [t.token.address, t.weightBps / total]));
}
