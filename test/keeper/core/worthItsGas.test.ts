import { expect } from "chai";
import { describe, it } from "mocha";
import { gasCostAsset, InvalidInputError, worthItsGas } from "../../../keeper/core/index.js";

const usd = (dollars: number): bigint => BigInt(Math.round(dollars * 1e6));
/** $5,000 per native coin in 6-decimal stablecoin units x 1e18. */
const native5000 = usd(5_000) * 10n ** 18n;
const gwei = (n: number) => BigInt(n * 1e9);

describe("#gasCostAsset / #worthItsGas", () => {
  it("values 750k gas at 2 gwei and $5,000 per coin at $7.50, rounded up", () => {
    expect(gasCostAsset({ gasUnits: 750_000n, gasPriceWei: gwei(2), nativePriceAsset18: native5000 })).to.equal(usd(7.5));
    expect(gasCostAsset({ gasUnits: 1n, gasPriceWei: 1n, nativePriceAsset18: native5000 })).to.equal(1n);
  });

  it("refuses the crumb: $124 of BTC in its own 750k-gas transaction costs 6 % of what it corrects", () => {
    const cost = gasCostAsset({ gasUnits: 750_000n, gasPriceWei: gwei(2), nativePriceAsset18: native5000 });
    expect(worthItsGas({ gasCostAsset: cost, valueAsset: usd(124), maxGasCostBps: 100 })).to.equal(false);
    // The same transaction correcting $750 is exactly at 1 %: sent.
    expect(worthItsGas({ gasCostAsset: cost, valueAsset: usd(750), maxGasCostBps: 100 })).to.equal(true);
  });

  it("lets a full batch through: 15M gas trading $1M", () => {
    const cost = gasCostAsset({ gasUnits: 15_000_000n, gasPriceWei: gwei(20), nativePriceAsset18: native5000 });
    expect(cost).to.equal(usd(1_500));
    expect(worthItsGas({ gasCostAsset: cost, valueAsset: usd(1_000_000), maxGasCostBps: 100 })).to.equal(true);
  });

  it("rejects a negative ratio, and takes 0 bps (only free transactions go) as a ratio", () => {
    expect(() => worthItsGas({ gasCostAsset: 1n, valueAsset: 1n, maxGasCostBps: -1 })).to.throw(/maxGasCostBps/);
    expect(worthItsGas({ gasCostAsset: 0n, valueAsset: 1n, maxGasCostBps: 0 })).to.equal(true);
    expect(worthItsGas({ gasCostAsset: 1n, valueAsset: usd(1_000_000), maxGasCostBps: 0 })).to.equal(false);
  });

  it("refuses each negative gas input, and prices zero gas, a zero gas price or a worthless coin at 0", () => {
    for (const bad of [{ gasUnits: -1n }, { gasPriceWei: -1n }, { nativePriceAsset18: -1n }]) {
      expect(() => gasCostAsset({ gasUnits: 1n, gasPriceWei: 1n, nativePriceAsset18: native5000, ...bad }), JSON.stringify(bad, (_, v) => String(v))).to.throw(InvalidInputError);
    }
    for (const zero of [{ gasUnits: 0n }, { gasPriceWei: 0n }, { nativePriceAsset18: 0n }]) {
      expect(gasCostAsset({ gasUnits: 750_000n, gasPriceWei: gwei(2), nativePriceAsset18: native5000, ...zero })).to.equal(0n);
    }
  });
});
