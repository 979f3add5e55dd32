import { expect } from "chai";
import { checkTradeBounds, checkTradeDirection, diffTargets, lossRingAt, replayLossBudgetBatch, DEFAULT_AUDIT_TOLERANCE } from "../../keeper/audit/index.js";
import { LossBudgetLib } from "../../keeper/core/index.js";

const STABLE = "0x00000000000000000000000000000000000000aa";
const BTC = "0x00000000000000000000000000000000000000bb";
const DOGE = "0x00000000000000000000000000000000000000cc";
const at = { epoch: "1700000000", tradeIndex: 3, txHash: "0x01" };

describe("keeper/audit checks", function () {
  describe("#checkTradeBounds", function () {
    // 1 BTC (8 decimals) at $60,000 into USDC (6 decimals), 2.5% max slippage: the bound is 58,500 USDC.
    const trade = { ...at, amountIn: 10n ** 8n, valueIn: 60_000n * 10n ** 6n, maxSlippageBps: 250 };

    it("passes a trade whose minAmountOut is exactly the oracle bound", function () {
      expect(checkTradeBounds({ ...trade, amountOut: 59_000n * 10n ** 6n, valueOut: 59_000n * 10n ** 6n, minAmountOut: 58_500n * 10n ** 6n })).to.deep.equal([]);
    });

    it("flags a minAmountOut one unit of value under the bound, and an output under minAmountOut", function () {
      const violations = checkTradeBounds({ ...trade, amountOut: 58_000n * 10n ** 6n, valueOut: 58_000n * 10n ** 6n, minAmountOut: 58_500n * 10n ** 6n - 2n });
      expect(violations.map((v) => v.check)).to.deep.equal(["received-below-min", "min-below-oracle-bound"]);
      expect(violations[1]).to.include({ epoch: at.epoch, tradeIndex: 3 });
      expect(violations[1]!.values.oracleBoundValue).to.equal(String(58_500n * 10n ** 6n));
    });
  });

  describe("#replayLossBudgetBatch", function () {
    // A 400 s window has 100 s buckets; 150 bps (1.5e8 x 1e-10 of NAV) was lost in bucket 0.
    const state = { ring: LossBudgetLib.add(0n, 0n, 150_000_000n), lastBucket: 0n };

    it("charges the batch's loss against what the ring leaves of NAV and flags the trade that overflows it", function () {
      // At 250 s (bucket 2) the old loss still counts: 200 - 150 = 50 bps of a 1,000,000 NAV is 5,000 left.
      const replay = replayLossBudgetBatch({
        state,
        navAssets: 1_000_000n,
        budgetBps: 200,
        windowSeconds: 400,
        timestamp: 250,
        trades: [
          { valueIn: 4_000n, valueOut: 1_000n },
          { valueIn: 100n, valueOut: 200n },
          { valueIn: 3_001n, valueOut: 1_000n },
        ],
      });
      expect(replay.usedBefore).to.equal(150_000_000n);
      expect(replay.availableAssets).to.equal(5_000n);
      expect(replay.lossAfterTrade).to.deep.equal([3_000n, 3_000n, 5_001n]);
      expect(replay.overflows).to.deep.equal([{ index: 2, lossAssets: 5_001n, availableAssets: 5_000n }]);
      // 5,001 of 1,000,000 is 50.01 bps, rounded up in 1e-10 units, added to bucket 2.
      expect(replay.lossFraction).to.equal(50_010_000n);
      expect(replay.usedAfter).to.equal(200_010_000n);
      expect(replay.state.lastBucket).to.equal(2n);
    });

    it("keeps a loss for 1 to 1.25 windows: still counted four buckets on, gone at the fifth", function () {
      expect(LossBudgetLib.used(lossRingAt(state, 400, 499).ring)).to.equal(150_000_000n);
      expect(LossBudgetLib.used(lossRingAt(state, 400, 500).ring)).to.equal(0n);
    });
  });

  describe("#checkTradeDirection", function () {
    const base = { ...at, stablecoin: STABLE, tolerance: DEFAULT_AUDIT_TOLERANCE, targetsBps: new Map([[BTC, 6_000], [STABLE, 4_000]]) };

    it("flags buying a token that has no target", function () {
      const v = checkTradeDirection({ ...base, tokenIn: STABLE, tokenOut: DOGE, weightsAfterBps: new Map([[DOGE, 100]]) });
      expect(v.map((x) => x.check)).to.deep.equal(["bought-above-target"]);
    });

    it("flags selling a token below target x (1 - buffer) - tolerance, and accepts a sale down to it", function () {
      // Floor: 6,000 x 0.98 - 50 = 5,830 bps.
      expect(checkTradeDirection({ ...base, tokenIn: BTC, tokenOut: STABLE, weightsAfterBps: new Map([[BTC, 5_830]]) })).to.deep.equal([]);
      const v = checkTradeDirection({ ...base, tokenIn: BTC, tokenOut: STABLE, weightsAfterBps: new Map([[BTC, 5_829]]) });
      expect(v.map((x) => x.check)).to.deep.equal(["sold-below-target"]);
      expect(v[0]!.values).to.include({ targetBps: 6_000, floorBps: 5_830 });
    });
  });

  describe("#diffTargets", function () {
    it("names each token whose committed and derived weights differ, a missing one counting as 0", function () {
      const d = diffTargets([{ token: BTC, weightBps: 6_000 }, { token: DOGE, weightBps: 4_000 }], [{ token: BTC, weightBps: 10_000 }]);
      expect(d.map((x) => [x.committedBps, x.derivedBps])).to.deep.equal([[6_000, 10_000], [4_000, 0]]);
    });
  });
});
