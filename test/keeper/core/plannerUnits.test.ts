// The planner's small unit helpers that other modules call (the keeper's quotes, `keeper status`, the audit, the web
// app): plain mocha, so that the planner's mutation run (scripts/mutation/planner.config.mjs) reaches them.
import { expect } from "chai";
import { describe, it } from "mocha";
import { afterSlippage, BUFFERED_WEIGHT_SCALE, cashBufferedTargets, DEFAULT_PLANNER_CONFIG, effectiveCashBufferBps, weightBpsOfNav } from "../../../keeper/core/index.js";

describe("#afterSlippage", () => {
  it("takes slippageBps off an amount, rounded down", () => {
    // 1,234,567,891 x 9,963 / 10,000 = 1,229,999,989.8033: the minimum output is the floor.
    expect(afterSlippage(1_234_567_891n, 37)).to.equal(1_229_999_989n);
    expect(afterSlippage(1_234_567_891n, 0)).to.equal(1_234_567_891n);
    expect(afterSlippage(1_234_567_891n, 10_000)).to.equal(0n);
    expect(afterSlippage(9_999n, 1)).to.equal(9_998n);
  });
});

describe("#weightBpsOfNav", () => {
  it("gives a holding's whole bps of NAV, rounded down, and 0 in an empty vault", () => {
    // 987,654,321 of 123,456,789,013 is 80.000007 bps; a third is 3,333.33...
    expect(weightBpsOfNav(987_654_321n, 123_456_789_013n)).to.equal(80);
    expect(weightBpsOfNav(10n ** 18n, 3n * 10n ** 18n)).to.equal(3_333);
    expect(weightBpsOfNav(7_777_777n, 7_777_777n)).to.equal(10_000);
    expect(weightBpsOfNav(0n, 0n)).to.equal(0);
    expect(weightBpsOfNav(5n, 0n)).to.equal(0);
    expect(weightBpsOfNav(0n, 123n)).to.equal(0);
  });
});

describe("#effectiveCashBufferBps", () => {
  it("takes the configured buffer, zero included, else the planner's default", () => {
    expect(DEFAULT_PLANNER_CONFIG.cashBufferBps).to.equal(200);
    expect(effectiveCashBufferBps({ cashBufferBps: 350 })).to.equal(350);
    expect(effectiveCashBufferBps({ cashBufferBps: 0 })).to.equal(0);
    expect(effectiveCashBufferBps({})).to.equal(200);
    expect(effectiveCashBufferBps(undefined)).to.equal(200);
  });
});

describe("#cashBufferedTargets", () => {
  const STABLE = "0x00000000000000000000000000000000000000A0";
  const stable = STABLE.toLowerCase();

  it("takes the buffer pro rata out of each target and gives it all to the stablecoin, on top of its own", () => {
    const buffered = cashBufferedTargets(
      new Map([
        ["0xb1", 6_123],
        [stable, 1_000],
        ["0xc2", 2_877],
      ]),
      STABLE,
      237,
    );
    // Each weight x (10,000 - 237); the stablecoin's too, plus 237 x every weight (its own included).
    expect([...buffered]).to.deep.equal([
      ["0xb1", 6_123n * 9_763n],
      [stable, 1_000n * 9_763n + 10_000n * 237n],
      ["0xc2", 2_877n * 9_763n],
    ]);
    expect([...buffered.values()].reduce((sum, w) => sum + w, 0n)).to.equal(BUFFERED_WEIGHT_SCALE);
  });

  it("adds a stablecoin row when the stablecoin has no target, and none when nothing is committed", () => {
    const buffered = cashBufferedTargets(new Map([["0xb1", 10_000]]), STABLE, 200);
    expect([...buffered]).to.deep.equal([
      ["0xb1", 10_000n * 9_800n],
      [stable, 10_000n * 200n],
    ]);
    expect([...cashBufferedTargets(new Map(), STABLE, 200)]).to.deep.equal([]);
    expect([...cashBufferedTargets(new Map([["0xb1", 10_000]]), STABLE, 0)]).to.deep.equal([
      ["0xb1", BUFFERED_WEIGHT_SCALE],
      [stable, 0n],
    ]);
  });
});
