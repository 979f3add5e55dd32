import { expect } from "chai";
import { expectNear } from "../../helpers/expectNear.js";
import { describe, it } from "mocha";
import { canonicalJson, evaluateRegime, InsufficientHistoryError, InvalidInputError, type RegimeConfig, type RegimeObservation, type RegimeState } from "../../../keeper/core/index.js";

// Window 3 keeps the moving averages easy to check by hand. The volatility floor (10 % a day) stays above these
// short series' own volatility, so the band is fixed at 0.1 x 1,000 bps x sqrt(3) = 173.2 bps, and k = 2 closes
// past it switch (no evidence beyond that); breadth thresholds are the defaults.
const config = { window: 3, bandSigmas: 0.1, minDailyVolatilityBps: 1_000, evidenceSigmaDays: 0, bearBreadthBps: 4_000, bullBreadthBps: 6_000, confirmations: 2, minBreadthSample: 5 };

function history(marketCaps: readonly number[], pricesUsd?: Readonly<Record<string, readonly number[]>>): RegimeObservation[] {
  return marketCaps.map((marketCapUsd, day) => ({
    asOf: new Date(Date.UTC(2024, 0, 1 + day)).toISOString(),
    marketCapUsd,
    ...(pricesUsd === undefined ? {} : { pricesUsd: Object.fromEntries(Object.entries(pricesUsd).map(([id, series]) => [id, series[day]!])) }),
  }));
}

/** Five constituents of which `above` end the series above their 3-day average and the rest below. */
function breadthPrices(days: number, above: number): Record<string, number[]> {
  const ids = ["v", "w", "x", "y", "z"];
  return Object.fromEntries(
    ids.map((id, index) => [id, Array.from({ length: days }, (_, day) => (index < above ? 100 + day : 100 - day))]),
  );
}

describe("#evaluateRegime", () => {
  it("hand-checks the trend inputs: 94 against a 3-day average of 96 is -208.33 bps", () => {
    const decision = evaluateRegime({ history: history([100, 100, 100, 94, 94]), config });
    expect(decision.inputs.marketCapUsd).to.equal(94);
    expect(decision.inputs.movingAverageUsd).to.equal(96);
    expectNear(decision.inputs.distanceBps, -208.333, 1e-3);
    expect(decision.inputs.breadthBps).to.equal(null);
    expect(decision.inputs.dailyVolatilityBps).to.equal(1_000);
    expectNear(decision.inputs.bandBps, 100 * Math.sqrt(3), 1e-9);
    // The day before: 94 against (100 + 100 + 94) / 3 = 98 is -408 bps, so both days confirm.
    expect(decision.inputs.confirmations).to.equal(2);
    expect(decision).to.include({ state: "bear", previous: "bull", changed: true, source: "moving-average", asOf: "2024-01-05T00:00:00.000Z" });
  });

  it("does not whipsaw while the signal hovers within the band around its average", () => {
    const caps = [100, 101, 99, 101.5, 98.8, 101.2, 99, 100.9, 98.9, 101, 99.2, 100.5];
    for (let end = config.window; end <= caps.length; end++) {
      for (const previous of ["bull", "bear"] as const) {
        const decision = evaluateRegime({ history: history(caps.slice(0, end)), previous, config });
        expect(decision.state, `day ${end}, from ${previous}`).to.equal(previous);
        expect(decision.changed).to.equal(false);
      }
    }
  });

  it("needs k consecutive observations: one day past the band is not enough", () => {
    // Day 4: 97 against 99 is -202 bps (past the band); day 5: 100 against 99 is back above.
    const oneDay = evaluateRegime({ history: history([100, 100, 100, 97]), config });
    expect(oneDay.inputs.confirmations).to.equal(1);
    expect(oneDay.state).to.equal("bull");
    const recovered = evaluateRegime({ history: history([100, 100, 100, 97, 100]), config });
    expect(recovered.inputs.confirmations).to.equal(0);
    expect(recovered.state).to.equal("bull");
  });

  it("switches to bear only when breadth is also below the lower threshold", () => {
    const caps = [100, 100, 100, 94, 94];
    const broadDecline = evaluateRegime({ history: history(caps, breadthPrices(5, 1)), config });
    expect(broadDecline.inputs.breadthBps).to.equal(2_000);
    expect(broadDecline.inputs.breadthSampleSize).to.equal(5);
    expect(broadDecline.state).to.equal("bear");

    // 2 of 5 above is 40%: not below the 40% threshold, so a narrow decline does not switch.
    const narrowDecline = evaluateRegime({ history: history(caps, breadthPrices(5, 2)), config });
    expect(narrowDecline.inputs.breadthBps).to.equal(4_000);
    expect(narrowDecline.state).to.equal("bull");
  });

  it("switches back to bull symmetrically: above +h with breadth above the upper threshold, twice", () => {
    // Day 4: 107 against 102.33 is +456 bps; day 5: 107 against 104.67 is +223 bps.
    const caps = [100, 100, 100, 107, 107];
    const strong = evaluateRegime({ history: history(caps, breadthPrices(5, 4)), previous: "bear", config });
    expectNear(strong.inputs.distanceBps, (107 / (314 / 3) - 1) * 10_000, 1e-9);
    expect(strong).to.include({ state: "bull", changed: true });

    const weakBreadth = evaluateRegime({ history: history(caps, breadthPrices(5, 3)), previous: "bear", config });
    expect(weakBreadth.inputs.breadthBps).to.equal(6_000);
    expect(weakBreadth.state).to.equal("bear");
  });

  it("stays bull in a rally and bear in a decline: each condition only moves the state one way", () => {
    expect(evaluateRegime({ history: history([100, 100, 100, 107, 107]), previous: "bull", config }).changed).to.equal(false);
    expect(evaluateRegime({ history: history([100, 100, 100, 94, 94]), previous: "bear", config }).changed).to.equal(false);
  });

  it("measures breadth only on constituents with a full window of prices", () => {
    const prices = { ...breadthPrices(5, 1), fresh: [Number.NaN, Number.NaN, 1, 2, 3] };
    const decision = evaluateRegime({ history: history([100, 100, 100, 94, 94], prices), config });
    expect(decision.inputs.breadthSampleSize).to.equal(6);
    const gap = { ...breadthPrices(5, 1), gap: [1, 2, 3, Number.NaN, 5] };
    expect(evaluateRegime({ history: history([100, 100, 100, 94, 94], gap), config }).inputs.breadthSampleSize).to.equal(5);
  });

  it("uses the defaults (W = 50, band 0.5 sigma, evidence 1.5, 40/60, k = 2, 10 assets, 30 days) when no config is given", () => {
    const decision = evaluateRegime({ history: history(Array.from({ length: 50 }, () => 100)) });
    expect(decision.inputs).to.include({ window: 50, bandSigmas: 0.5, requiredEvidenceSigmaDays: 1.5, bearBreadthBps: 4_000, bullBreadthBps: 6_000, requiredConfirmations: 2, minBreadthSample: 10, minDwellDays: 30 });
    // A flat market: sigma is the 2 %-a-day floor, so the band is 0.5 x 200 x sqrt(50) = 707 bps.
    expect(decision.inputs.dailyVolatilityBps).to.equal(200);
    expectNear(decision.inputs.bandBps, 100 * Math.sqrt(50), 1e-9);
    expect(decision.state).to.equal("bull");
  });

  it("throws when the history is shorter than the window", () => {
    expect(() => evaluateRegime({ history: history([100, 100]), config })).to.throw(InsufficientHistoryError);
  });

  it("throws when the history is out of order", () => {
    const observations = history([100, 100, 100]);
    expect(() => evaluateRegime({ history: [observations[1]!, observations[0]!, observations[2]!], config })).to.throw(InvalidInputError, /increasing/);
  });
});

/** The daily regime check over a whole series, as the keeper runs it: state and last switch carried day to day. */
function switchesOver(series: readonly RegimeObservation[], cfg: Partial<RegimeConfig> = {}): string[] {
  let previous: RegimeState = "bull";
  let lastSwitchAsOf: string | null = null;
  const switches: string[] = [];
  const window = cfg.window ?? 50;
  for (let end = window + 2; end <= series.length; end++) {
    const decision = evaluateRegime({ history: series.slice(0, end), previous, lastSwitchAsOf, config: cfg });
    if (decision.changed) {
      previous = decision.state;
      lastSwitchAsOf = decision.asOf;
      switches.push(decision.asOf);
    }
  }
  return switches;
}

describe("#evaluateRegime: whipsaw and missing data", () => {
  it("keeps the state, with a data gap and finite inputs, when every asset has a hole somewhere (an empty signal basket)", () => {
    // Three assets, each missing its cap on a different day (a CoinGecko chart with a null or 0 there): none has data
    // on every close, so the signal sums nothing. The decision must still be publishable in a snapshot.
    const ids = ["a", "b", "c"];
    const observations: RegimeObservation[] = Array.from({ length: 60 }, (_, day) => {
      const marketCapsUsd = Object.fromEntries(ids.filter((_, i) => day !== 10 + i).map((id, i) => [id, 1e9 * (i + 1)]));
      return {
        asOf: new Date(Date.UTC(2024, 0, 1 + day)).toISOString(),
        marketCapUsd: Object.values(marketCapsUsd).reduce((sum, v) => sum + v, 0),
        pricesUsd: Object.fromEntries(ids.map((id) => [id, 100 - day])),
        marketCapsUsd,
      };
    });
    const decision = evaluateRegime({ history: observations, previous: "bull", constituents: ids, config: { window: 50, minBreadthSample: 3 } });
    expect(decision).to.include({ state: "bull", changed: false });
    expect(decision.inputs.signalAssets).to.equal(0);
    expect(decision.inputs.dataGap).to.match(/cover 0\.0 % of the market/);
    for (const [key, value] of Object.entries(decision.inputs)) if (typeof value === "number") expect(Number.isFinite(value), `${key}: ${value}`).to.equal(true);
    expect(() => canonicalJson(decision)).to.not.throw();
  });

  it("never switches in 120 days of a +/-4 % square wave (3 days up, 3 down), where a fixed 2 % band without cool-down switched 39 times", () => {
    const wave = [...Array.from({ length: 60 }, () => 100), ...Array.from({ length: 120 }, (_, d) => (Math.floor(d / 3) % 2 === 0 ? 96 : 104))];
    // A floor of 10 % a day dominates the wave's own volatility, so this band is a fixed 0.02828 x 1,000 x sqrt(50) = 200 bps.
    const fixedBand = { bandSigmas: 0.02828, minDailyVolatilityBps: 1_000, evidenceSigmaDays: 0, minDwellDays: 0 };
    expect(switchesOver(history(wave), fixedBand).length, "a fixed 2 % band, no cool-down").to.be.greaterThan(30);
    // A cool-down of D days allows at most one switch per D days.
    expect(switchesOver(history(wave), { ...fixedBand, minDwellDays: 30 }).length).to.be.within(2, 5);
    // The default band scales with the wave's own volatility (about 4.6 % a day: a band near 16 %), and the wave never leaves it.
    expect(switchesOver(history(wave)).length, "the defaults").to.equal(0);
  });

  it("scales the band with volatility: the same 6 % drop below the average switches a calm market, not a volatile one", () => {
    const cfg = { window: 20, volatilityWindow: 40, minDailyVolatilityBps: 10, evidenceSigmaDays: 0 };
    const market = (swing: number) => [...Array.from({ length: 60 }, (_, d) => 100 * (d % 2 === 0 ? 1 : 1 + swing)), 94, 94];
    const calm = evaluateRegime({ history: history(market(0.005)), config: cfg });
    const volatile = evaluateRegime({ history: history(market(0.06)), config: cfg });
    for (const decision of [calm, volatile]) expect(decision.inputs.distanceBps).to.be.below(-500);
    expect(calm.inputs.bandBps).to.be.below(-calm.inputs.distanceBps);
    expect(calm).to.include({ state: "bear", changed: true });
    expect(volatile.inputs.bandBps).to.be.above(-volatile.inputs.distanceBps);
    expect(volatile).to.include({ state: "bull", changed: false });
  });

  it("confirms a close far past the band faster than one just past it: the evidence each close adds grows with its distance", () => {
    // A steady decline has no volatility of its own: sigma is the 10 %-a-day floor, u = 1,732 bps, the band 173 bps.
    const cfg = { ...config, evidenceSigmaDays: 1 };
    const decline = (dailyDrop: number) => history(Array.from({ length: 60 }, (_, d) => 100 * (d < 3 ? 1 : (1 - dailyDrop) ** (d - 2))));
    const firstBear = (dailyDrop: number) => switchesOver(decline(dailyDrop), cfg)[0];
    const steep = firstBear(0.1);
    const shallow = firstBear(0.025);
    // 10 % a day: the first close is 6.9 % below its 3-day average (0.3 u past the band), the next ones 10.3 %
    // (0.5 u): three closes.
    expect(steep).to.equal(decline(0.1)[5]!.asOf);
    // 2.5 % a day is about 0.04 u past the band each close: it takes some 25 closes.
    expect(shallow, "the shallow decline switches eventually").to.not.equal(undefined);
    const closesPast = decline(0.025).findIndex((o) => o.asOf === shallow) - 2;
    expect(closesPast).to.be.within(20, 30);
  });

  it("leaves at once on a fall of 8 sigma from the 20-day high with breadth under 30 %, a close before the average would", () => {
    // 60 flat closes (sigma is the 2 %-a-day floor: the fast exit needs a 16 % fall), then 6 % down a day, every one
    // of ten assets with it. The third close is 16.9 % under the high; the 50-day average's evidence reaches 1.5 a
    // close later.
    const closes = [...Array.from({ length: 60 }, () => 100), ...[1, 2, 3, 4, 5].map((d) => 100 * 0.94 ** d)];
    const prices = (rising: number) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, closes.map((c, d) => (i < rising && d >= 60 ? 100 + d : c))]));
    const series = history(closes, prices(0));
    const firstBear = (cfg: Partial<RegimeConfig>) => switchesOver(series, cfg)[0];
    expect(firstBear({})).to.equal(series[62]!.asOf);
    const decision = evaluateRegime({ history: series.slice(0, 63) });
    expect(decision).to.include({ state: "bear", changed: true });
    expect(decision.inputs).to.include({ fastExit: true, fastExitDrawdownBps: 1_600, breadthBps: 0 });
    expectNear(decision.inputs.drawdownBps, (1 - 0.94 ** 3) * 10_000, 1e-6);
    expect(decision.inputs.evidenceSigmaDays).to.be.below(1.5);
    // Without it, the average decides a close later; with breadth at 50 %, neither leaves.
    expect(firstBear({ fastExitDrawdownSigmas: 0 })).to.equal(series[63]!.asOf);
    expect(switchesOver(history(closes, prices(5)))).to.deep.equal([]);
    // The cool-down and the data checks still apply: a switch 10 days ago holds it.
    expect(evaluateRegime({ history: series.slice(0, 63), lastSwitchAsOf: series[52]!.asOf })).to.include({ state: "bull", changed: false });
    // It only ever leaves: in bear, the same fall is no reason to do anything.
    expect(evaluateRegime({ history: series.slice(0, 63), previous: "bear" }).inputs.fastExit).to.equal(false);
    // With no prices there is no breadth to confirm the fall: the average decides, a close later.
    const unmeasured = history(closes);
    expect(evaluateRegime({ history: unmeasured.slice(0, 63) }).inputs).to.include({ fastExit: false, breadthBps: null });
    expect(switchesOver(unmeasured)[0]).to.equal(unmeasured[63]!.asOf);
  });

  it("keeps the state through the cool-down after a switch, then switches", () => {
    const crash = history([...Array.from({ length: 50 }, () => 100), 90, 90]);
    const coolDown = { minDwellDays: 180, evidenceSigmaDays: 0 };
    const recent = evaluateRegime({ history: crash, lastSwitchAsOf: "2023-12-01T00:00:00.000Z", config: coolDown });
    expect(recent).to.include({ state: "bull", changed: false });
    expect(recent.inputs.dwellDaysLeft).to.equal(180 - (Date.UTC(2024, 1, 21) - Date.UTC(2023, 11, 1)) / 86_400_000);
    expect(evaluateRegime({ history: crash, lastSwitchAsOf: "2023-06-01T00:00:00.000Z", config: coolDown })).to.include({ state: "bear", changed: true });
  });

  it("does not let an asset whose chart is two days short flip the signal: the day is reported and the state kept", () => {
    // BTC flat at 1,000, ETH flat at 500; ETH's last two days are missing, so the sum drops by a third.
    const days = 52;
    const series: RegimeObservation[] = Array.from({ length: days }, (_, day) => {
      const caps: Record<string, number> = day < days - 2 ? { bitcoin: 1_000, ethereum: 500 } : { bitcoin: 1_000 };
      return { asOf: new Date(Date.UTC(2024, 0, 1 + day)).toISOString(), marketCapUsd: Object.values(caps).reduce((a, b) => a + b, 0), marketCapsUsd: caps };
    });
    const decision = evaluateRegime({ history: series });
    expect(decision).to.include({ state: "bull", changed: false });
    expect(decision.inputs.signalAssets).to.equal(1);
    expect(decision.inputs.distanceBps).to.equal(0);
    expect(decision.inputs.coverageBps).to.equal(6_667);
    expect(decision.inputs.dataGap).to.match(/66\.7 % of the market/);
  });

  it("never switches on stale data: the latest close more than a day before the decision keeps the state", () => {
    const crash = history([...Array.from({ length: 50 }, () => 100), 90, 90]);
    const stale = evaluateRegime({ history: crash, asOf: "2024-02-24T00:00:00.000Z", config: { evidenceSigmaDays: 0 } });
    expect(stale).to.include({ state: "bull", changed: false, asOf: "2024-02-24T00:00:00.000Z" });
    expect(stale.inputs.dataGap).to.match(/3 days old/);
    expect(evaluateRegime({ history: crash, asOf: "2024-02-22T00:00:00.000Z", config: { evidenceSigmaDays: 0 } }).state).to.equal("bear");
  });

  it("does not confirm across a missing day", () => {
    const crash = history([...Array.from({ length: 50 }, () => 100), 90, 90, 90]);
    const holed = [...crash.slice(0, 51), ...crash.slice(52)];
    const decision = evaluateRegime({ history: holed, config: { confirmations: 2, evidenceSigmaDays: 0 } });
    expect(decision).to.include({ state: "bull", changed: false });
    expect(decision.inputs.dataGap).to.match(/missing inside the run past the band/);
  });

  it("reads daily closes only: an intraday point after the day's close is ignored", () => {
    const flat = history(Array.from({ length: 52 }, () => 100));
    const intraday = { asOf: "2024-02-21T14:30:00.000Z", marketCapUsd: 80 };
    const withIntraday = [...flat.slice(0, 51), { ...flat[51]!, marketCapUsd: 80 }, intraday];
    expect(evaluateRegime({ history: [...flat, intraday] }).inputs.marketCapUsd).to.equal(100);
    expect(evaluateRegime({ history: withIntraday, config: { confirmations: 2 } }).inputs.confirmations).to.equal(1);
  });

  it("confirms nothing on a breadth sample below the minimum, and says so", () => {
    const caps = [100, 100, 100, 94, 94];
    const decision = evaluateRegime({ history: history(caps, breadthPrices(5, 1)), config: { ...config, minBreadthSample: 6 } });
    expect(decision).to.include({ state: "bull", changed: false });
    expect(decision.inputs.dataGap).to.match(/breadth measured on 5 assets \(at least 6\)/);
  });
});
