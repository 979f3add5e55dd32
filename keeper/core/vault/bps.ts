/** 100% in basis points, as the vault's libraries define it. */
export const BPS = 10_000n;
