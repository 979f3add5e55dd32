// Regime rules a mutation run showed unpinned: bear -> bull without breadth data, the confirmation loop's
// ends, the trend and breadth thresholds at equality, incomplete price windows, and the config bounds.
import { expect } from "chai";
import { describe, it } from "mocha";
import { DEFAULT_REGIME_CONFIG, evaluateRegime, InvalidInputError, type RegimeObservation } from "../../../keeper/core/index.js";

// The volatility floor (8.66 % a day) stays above these short series' own volatility, so the band is fixed:
// 0.1 x 866 bps x sqrt(3) = 150 bps; no evidence beyond k = 2 closes past it.
const config = { window: 3, bandSigmas: 0.1, minDailyVolatilityBps: 866, evidenceSigmaDays: 0, bearBreadthBps: 4_000, bullBreadthBps: 6_000, confirmations: 2 };

function history(marketCaps: readonly number[], pricesUsd?: Readonly<Record<string, readonly (number | undefined)[]>>): RegimeObservation[] {
  return marketCaps.map((marketCapUsd, day) => {
    const prices = pricesUsd === undefined ? undefined : Object.fromEntries(Object.entries(pricesUsd).filter(([, series]) => series[day] !== undefined).map(([id, series]) => [id, series[day]!]));
    return { asOf: new Date(Date.UTC(2025, 2, 3 + day)).toISOString(), marketCapUsd, ...(prices === undefined ? {} : { pricesUsd: prices }) };
  });
}

describe("#evaluateRegime (mutation gaps)", () => {
  it("switches bear -> bull on the trend alone when no constituent has a price window", () => {
    const decision = evaluateRegime({ history: history([91.3, 92.7, 97.1, 103.9, 108.2]), previous: "bear", config });
    expect(decision.inputs.breadthBps).to.equal(null);
    expect(decision).to.include({ state: "bull", previous: "bear", changed: true });
  });

  it("needs every confirmation inside the history: a history of exactly the window confirms once at most", () => {
    const caps = [101.7, 99.3, 93.1];
    const decision = evaluateRegime({ history: history(caps), config });
    expect(decision.inputs.distanceBps < -150).to.equal(true);
    expect(decision).to.include({ state: "bull", changed: false });
    expect(decision.inputs.confirmations).to.equal(1);
    // One more observation that also confirms: window + confirmations - 1 observations switch.
    const longer = evaluateRegime({ history: history([104.9, 101.7, 99.3, 93.1]), config });
    expect(longer).to.include({ state: "bear", changed: true });
    expect(longer.inputs.confirmations).to.equal(2);
  });

  it("counts the whole run past the band, back to the first close with a full window", () => {
    const decision = evaluateRegime({ history: history([120.3, 116.1, 111.9, 104.2, 97.7, 90.1, 84.6]), config });
    expect(decision.inputs.confirmations).to.equal(5);
    expect(decision.state).to.equal("bear");
  });

  it("needs the signal strictly past the band: on it (a zero band, a flat market) is not past", () => {
    const flat = history([100.37, 100.37, 100.37]);
    for (const previous of ["bull", "bear"] as const) {
      const decision = evaluateRegime({ history: flat, previous, config: { ...config, confirmations: 1, bandSigmas: 0 } });
      expect(decision.inputs.bandBps).to.equal(0);
      expect(decision).to.include({ state: previous, changed: false });
      expect(decision.inputs.confirmations).to.equal(0);
    }
  });

  it("switches when the evidence reaches the required amount exactly, and not a hair below it", () => {
    const down = history([100.37, 100.37, 97.21]);
    const single = { ...config, confirmations: 1 };
    const evidence = evaluateRegime({ history: down, config: single }).inputs.evidenceSigmaDays;
    expect(evidence).to.be.greaterThan(0);
    expect(evaluateRegime({ history: down, config: { ...single, evidenceSigmaDays: evidence } })).to.include({ state: "bear", changed: true });
    expect(evaluateRegime({ history: down, config: { ...single, evidenceSigmaDays: evidence * (1 + 1e-12) } })).to.include({ state: "bull", changed: false });
    const up = history([97.21, 97.21, 100.37]);
    const rise = evaluateRegime({ history: up, previous: "bear", config: single }).inputs.evidenceSigmaDays;
    expect(evaluateRegime({ history: up, previous: "bear", config: { ...single, evidenceSigmaDays: rise } })).to.include({ state: "bull", changed: true });
    expect(evaluateRegime({ history: up, previous: "bear", config: { ...single, evidenceSigmaDays: rise * (1 + 1e-12) } })).to.include({ state: "bear", changed: false });
  });

  it("holds the state when breadth equals a threshold exactly", () => {
    // Five constituents, two (then three) end above their 3-day average: breadth 4,000 (then 6,000) bps.
    const series = (above: number) => Object.fromEntries(["p", "q", "r", "s", "t"].map((id, i) => [id, i < above ? [10.1, 10.3, 10.7] : [10.7, 10.3, 10.1]]));
    const falling = evaluateRegime({ history: history([100.37, 100.37, 93.9], series(2)), config: { ...config, confirmations: 1 } });
    expect(falling.inputs.breadthBps).to.equal(4_000);
    expect(falling).to.include({ state: "bull", changed: false });
    const rising = evaluateRegime({ history: history([93.9, 93.9, 100.37], series(3)), previous: "bear", config: { ...config, confirmations: 1 } });
    expect(rising.inputs.breadthBps).to.equal(6_000);
    expect(rising).to.include({ state: "bear", changed: false });
  });

  it("counts a price equal to its average as not above, and leaves out incomplete, zero, NaN or infinite windows", () => {
    const decision = evaluateRegime({
      history: history([100.1, 100.2, 100.3], {
        flat: [4.2, 4.2, 4.2],
        up: [4.2, 4.3, 4.4],
        gap: [4.2, undefined, 4.4],
        zero: [0, 4.3, 4.4],
        nan: [Number.NaN, 4.3, 4.4],
        inf: [Number.POSITIVE_INFINITY, 4.3, 4.4],
      }),
      config,
    });
    expect(decision.inputs.breadthSampleSize).to.equal(2);
    expect(decision.inputs.breadthBps).to.equal(5_000);
  });

  it("leaves out a constituent whose window includes an observation without prices", () => {
    const observations = history([100.1, 100.2, 100.3], { x: [1.1, 1.2, 1.3] });
    const withGap = [observations[0]!, { asOf: observations[1]!.asOf, marketCapUsd: 100.2 }, observations[2]!];
    const decision = evaluateRegime({ history: withGap, constituents: ["x"], config });
    expect(decision.inputs.breadthSampleSize).to.equal(0);
    expect(decision.inputs.breadthBps).to.equal(null);
  });

  it("rejects a zero, negative or NaN market cap and a repeated asOf", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => evaluateRegime({ history: history([100.1, bad, 100.3]), config })).to.throw(InvalidInputError);
    const repeated = history([100.1, 100.2, 100.3]);
    expect(() => evaluateRegime({ history: [repeated[0]!, repeated[1]!, { ...repeated[2]!, asOf: repeated[1]!.asOf }], config })).to.throw(InvalidInputError);
  });

  it("bounds the configuration and treats an undefined field as the default", () => {
    const h = history([100.1, 100.2, 100.3]);
    const bad = [{ window: 0 }, { window: 1.5 }, { confirmations: 0 }, { confirmations: 2.5 }, { bandSigmas: -1 }, { bandSigmas: Number.NaN }, { evidenceSigmaDays: -0.1 }, { evidenceSigmaDays: Number.NaN }, { volatilityWindow: 1 }, { volatilityWindow: 2.5 }, { minDailyVolatilityBps: 0 }, { minDailyVolatilityBps: Number.NaN }, { bearBreadthBps: -1 }, { bearBreadthBps: 6_001 }, { bullBreadthBps: 10_001 }];
    for (const override of bad) expect(() => evaluateRegime({ history: h, config: { ...config, ...override } }), JSON.stringify(override)).to.throw(InvalidInputError);
    for (const override of [{ window: 1, confirmations: 1 }, { bandSigmas: 0 }, { evidenceSigmaDays: 0 }, { volatilityWindow: 2 }, { bearBreadthBps: 0 }, { bearBreadthBps: 6_000 }, { bullBreadthBps: 10_000 }]) {
      expect(evaluateRegime({ history: h, config: { ...config, ...override } }).state, JSON.stringify(override)).to.equal("bull");
    }
    expect(evaluateRegime({ history: h, config: { ...config, bandSigmas: undefined } as never }).inputs.bandSigmas).to.equal(DEFAULT_REGIME_CONFIG.bandSigmas);
  });

  it("bounds the data-quality fields: non-negative integers, coverage within 10,000 bps, each named alone", () => {
    const h = history([100.1, 100.2, 100.3]);
    const refused = (override: object): string[] => {
      try {
        evaluateRegime({ history: h, config: { ...config, ...override } });
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidInputError);
        return (error as InvalidInputError).details.map((line) => line.split(":")[0]!);
      }
      return [];
    };
    for (const field of ["minBreadthSample", "minDwellDays", "minCoverageBps", "maxDataAgeDays"]) {
      expect(refused({ [field]: -1 }), field).to.deep.equal([field]);
      expect(refused({ [field]: 1.5 }), field).to.deep.equal([field]);
      expect(refused({ [field]: 0 }), field).to.deep.equal([]);
    }
    expect(refused({ minCoverageBps: 10_001 })).to.deep.equal(["minCoverageBps"]);
    expect(refused({ minCoverageBps: 10_000 })).to.deep.equal([]);
  });
});
