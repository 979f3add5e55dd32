import type { VaultState } from "../chain/readVault.js";
import { formatDecimal, valueInAsset } from "../core/index.js";

/** The vault's holdings for the report: balance, value, weight and target, largest first. */
export function holdingRecords(state: VaultState) {
  const unit = 10 ** state.stablecoin.decimals;
  const targets = new Map(state.targets.map((t) => [t.token.address, t.weightBps]));
  return state.holdings
    .map(({ token, balance }) => {
      const value = Number(valueInAsset(balance, token.decimals, state.pricesAsset18.get(token.address) ?? 0n)) / unit;
      const symbol = token.address === state.stablecoin.address ? state.stablecoin.symbol : (state.assets.find((a) => a.address === token.address)?.symbol ?? token.address);
      return { symbol, address: token.address, balance: formatDecimal(balance, token.decimals), valueAsset: value, weight: 0, targetWeight: (targets.get(token.address) ?? 0) / 10_000 };
    })
    .filter((h) => h.valueAsset > 0 || h.targetWeight > 0)
    .map((h, _, all) => ({ ...h, weight: h.valueAsset / all.reduce((s, x) => s + x.valueAsset, 0) }))
    .sort((a, b) => b.valueAsset - a.valueAsset);
}
