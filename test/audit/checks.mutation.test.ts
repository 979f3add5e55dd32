// The audit's pure checks pinned where a mutation run showed them unpinned: the loss-budget replay with a
// bucket in use and slack, each branch of the snapshot check, the exact bounds of the trade checks.
import { expect } from "chai";
import { describe, it } from "mocha";
import {
  checkEpochSnapshot,
  checkTradeBounds,
  checkTradeDirection,
  DEFAULT_AUDIT_TOLERANCE,
  changeLossWindow,
  EMPTY_LOSS_RING,
  lossRingAt,
  replayLossBudgetBatch,
  type CheckEpochSnapshotParameters,
} from "../../keeper/audit/index.js";
import { canonicalSnapshotJson, computeTargets, LossBudgetLib, resolveMethodologyConfig, snapshotHash, type MarketAsset, type Snapshot } from "../../keeper/core/index.js";
import { parseTokenList, type TokenList } from "../../keeper/data/tokenList.js";

const at = { epoch: "1796601600", tradeIndex: 2, txHash: "0x0abc" };

describe("keeper/audit checks (mutation gaps)", function () {
  describe("#lossRingAt / #changeLossWindow / #replayLossBudgetBatch", function () {
    const window = 604_800; // buckets of 151,200 s
    const t0 = 1_796_000_000; // bucket 11,878 (slot 3)
    const bucket0 = BigInt(Math.floor(t0 / 151_200));

    it("rolls the ring by the batch's own bucket, not from zero, and leaves a later bucket's loss in place", function () {
      const ring = LossBudgetLib.add(LossBudgetLib.add(0n, bucket0, 11n), bucket0 + 2n, 22n);
      const state = { ring, lastBucket: bucket0 + 2n };
      // Up to bucket0 + 4 both count; at bucket0 + 5 the first falls out and 22 stays.
      expect(LossBudgetLib.used(lossRingAt(state, window, t0 + 3 * 151_200 + 151_199).ring)).to.equal(33n);
      expect(LossBudgetLib.used(lossRingAt(state, window, t0 + 5 * 151_200).ring)).to.equal(22n);
      expect(lossRingAt(state, window, t0 + 5 * 151_200).lastBucket).to.equal(bucket0 + 5n);
      // A clock before the last write rolls nothing.
      expect(lossRingAt(state, window, t0).ring).to.equal(ring);
    });

    it("collapses every counted loss into the new window's current bucket on a window change", function () {
      const state = { ring: LossBudgetLib.add(LossBudgetLib.add(0n, bucket0, 11n), bucket0 + 1n, 22n), lastBucket: bucket0 + 1n };
      const changed = changeLossWindow(state, window, 86_400, t0 + 151_200);
      const current = BigInt(Math.floor((t0 + 151_200) / 21_600));
      expect(changed.lastBucket).to.equal(current);
      expect(changed.ring).to.equal(33n << (32n * (current % 5n)));
      // Rolled under the old window first: a loss five old buckets back is dropped before the collapse.
      expect(changeLossWindow(state, window, 86_400, t0 + 6 * 151_200).ring).to.equal(0n);
    });

    it("allows a batch loss exactly at what is left, and flags one a unit over, with the fraction rounded up", function () {
      const nav = 987_654_321n;
      const state = { ring: LossBudgetLib.add(0n, bucket0, 30_000_001n), lastBucket: bucket0 };
      // 50 bps = 5e7; 19,999,999 x 1e-10 of 987,654,321 = 1,975,308.5... -> 1,975,308 left.
      const replay = (losses: bigint[]) =>
        replayLossBudgetBatch({ state, navAssets: nav, budgetBps: 50, windowSeconds: window, timestamp: t0 + 86_400, trades: losses.map((loss) => ({ valueIn: 1_000_000_007n, valueOut: 1_000_000_007n - loss })) });
      const exact = replay([1_000_000n, 975_308n]);
      expect(exact.availableAssets).to.equal(1_975_308n);
      expect(exact.overflows).to.deep.equal([]);
      expect(exact.lossAfterTrade).to.deep.equal([1_000_000n, 1_975_308n]);
      // 1,975,308 / 987,654,321 = 19,999,993.9... x 1e-10: rounded up.
      expect(exact.lossFraction).to.equal(19_999_994n);
      expect(exact.usedAfter).to.equal(30_000_001n + 19_999_994n);
      expect(exact.state).to.deep.equal({ ring: LossBudgetLib.add(state.ring, bucket0, 19_999_994n), lastBucket: bucket0 });
      const over = replay([1_000_000n, 975_309n]);
      expect(over.overflows).to.deep.equal([{ index: 1, lossAssets: 1_975_309n, availableAssets: 1_975_308n }]);
    });

    it("reports nothing available once the ring is past the budget, and counts gains and even trades as no loss", function () {
      const replay = replayLossBudgetBatch({
        state: { ring: 100_000_000n, lastBucket: 0n },
        navAssets: 1_000_000n,
        budgetBps: 100,
        windowSeconds: 1_000,
        timestamp: 100,
        trades: [
          { valueIn: 500n, valueOut: 777n },
          { valueIn: 333n, valueOut: 333n },
          { valueIn: 1_000n, valueOut: 999n },
          { valueIn: 1_000n, valueOut: 998n },
        ],
      });
      expect(replay.lossAfterTrade).to.deep.equal([0n, 0n, 1n, 3n]);
      expect(replay.overflows).to.deep.equal([
        { index: 2, lossAssets: 1n, availableAssets: 0n },
        { index: 3, lossAssets: 3n, availableAssets: 0n },
      ]);
      const gainsOnly = replayLossBudgetBatch({ state: EMPTY_LOSS_RING, navAssets: 1_000_000n, budgetBps: 100, windowSeconds: 1_000, timestamp: 100, trades: [{ valueIn: 1n, valueOut: 2n }] });
      expect([gainsOnly.lossAssets, gainsOnly.lossFraction, gainsOnly.usedAfter]).to.deep.equal([0n, 0n, 0n]);
    });
    it("records one overflow per losing trade: an even trade after an overflow adds none", function () {
      const replay = replayLossBudgetBatch({
        state: EMPTY_LOSS_RING,
        navAssets: 1_000_000n,
        budgetBps: 1,
        windowSeconds: 1_000,
        timestamp: 100,
        trades: [
          { valueIn: 1_000n, valueOut: 899n },
          { valueIn: 500n, valueOut: 500n },
        ],
      });
      expect(replay.availableAssets).to.equal(100n);
      expect(replay.overflows).to.deep.equal([{ index: 0, lossAssets: 101n, availableAssets: 100n }]);
    });

    it("charges a loss at a zero NAV as an overflow of nothing available, with no fraction", function () {
      const state = { ring: 7n, lastBucket: 0n };
      const replay = replayLossBudgetBatch({ state, navAssets: 0n, budgetBps: 50, windowSeconds: 1_000, timestamp: 100, trades: [{ valueIn: 10n, valueOut: 9n }] });
      expect(replay.availableAssets).to.equal(0n);
      expect(replay.overflows).to.deep.equal([{ index: 0, lossAssets: 1n, availableAssets: 0n }]);
      expect([replay.lossFraction, replay.usedAfter]).to.deep.equal([0n, 7n]);
    });
  });

  describe("#checkTradeBounds", function () {
    // 0.37 WETH-like (18 decimals) worth 1,234.567891 units; 1.37% max slippage.
    const trade = { ...at, amountIn: 370_000_000_000_000_000n, valueIn: 1_234_567_891n, maxSlippageBps: 137, amountOut: 1_230_000_017n, valueOut: 1_230_000_017n };
    // The bound in keeper-favourable form: minOut x (valueOut + 1) x 10^4 >= valueIn x (10^4 - s) x amountOut.
    const exactMin = (1_234_567_891n * 9_863n * 1_230_000_017n + 1_230_000_018n * 10_000n - 1n) / (1_230_000_018n * 10_000n);

    it("passes a minAmountOut exactly at the bound, and flags one unit under it", function () {
      expect(checkTradeBounds({ ...trade, minAmountOut: exactMin })).to.deep.equal([]);
      const v = checkTradeBounds({ ...trade, minAmountOut: exactMin - 1n });
      expect(v.map((x) => x.check)).to.deep.equal(["min-below-oracle-bound"]);
      expect(v[0]).to.include({ epoch: at.epoch, tradeIndex: 2, txHash: at.txHash });
      expect(v[0]!.values).to.deep.equal({
        minAmountOut: String(exactMin - 1n),
        minAmountOutValue: String(((exactMin - 1n) * 1_230_000_017n) / 1_230_000_017n),
        valueIn: "1234567891",
        oracleBoundValue: String((1_234_567_891n * 9_863n) / 10_000n),
        maxSlippageBps: 137,
      });
    });

    it("passes an output exactly at minAmountOut and flags one a unit under", function () {
      expect(checkTradeBounds({ ...trade, minAmountOut: trade.amountOut })).to.deep.equal([]);
      const v = checkTradeBounds({ ...trade, amountOut: exactMin - 1n, valueOut: exactMin - 1n, minAmountOut: exactMin });
      expect(v.map((x) => x.check)).to.deep.equal(["received-below-min"]);
      expect(v[0]!.values).to.deep.equal({ amountOut: String(exactMin - 1n), minAmountOut: String(exactMin) });
    });

    it("passes a minimum whose keeper-favourable value equals the bound exactly", function () {
      // 100 x (99 + 1) x 10^4 = 100 x 10^4 x 100 at 0 bps of slippage: equal, so within the bound.
      const even = { ...at, amountIn: 100n, valueIn: 100n, amountOut: 100n, valueOut: 99n, maxSlippageBps: 0 };
      expect(checkTradeBounds({ ...even, minAmountOut: 100n })).to.deep.equal([]);
      expect(checkTradeBounds({ ...even, minAmountOut: 99n }).map((x) => x.check)).to.deep.equal(["min-below-oracle-bound"]);
    });

    it("flags a zero output under a positive minimum without dividing by it", function () {
      const v = checkTradeBounds({ ...trade, amountOut: 0n, valueOut: 0n, minAmountOut: 1n });
      expect(v.map((x) => x.check)).to.deep.equal(["received-below-min"]);
      expect(checkTradeBounds({ ...trade, amountOut: 0n, valueOut: 0n, minAmountOut: 0n })).to.deep.equal([]);
    });
  });

  describe("#checkTradeDirection", function () {
    const STABLE = "0x00000000000000000000000000000000000000AA";
    const BTC = "0x00000000000000000000000000000000000000Bb";
    const ETH = "0x00000000000000000000000000000000000000cC";
    const targetsBps = new Map([
      [BTC.toLowerCase(), 4_321],
      [ETH.toLowerCase(), 3_456],
      [STABLE.toLowerCase(), 2_223],
    ]);
    const base = { ...at, stablecoin: STABLE, tolerance: DEFAULT_AUDIT_TOLERANCE, targetsBps };

    it("allows a buy up to target + tolerance exactly and flags one past it, with the numbers", function () {
      expect(checkTradeDirection({ ...base, tokenIn: STABLE, tokenOut: BTC, weightsAfterBps: new Map([[BTC.toLowerCase(), 4_371]]) })).to.deep.equal([]);
      const v = checkTradeDirection({ ...base, tokenIn: STABLE, tokenOut: BTC, weightsAfterBps: new Map([[BTC.toLowerCase(), 4_371.004]]) });
      expect(v.map((x) => x.check)).to.deep.equal(["bought-above-target"]);
      expect(v[0]).to.include({ epoch: at.epoch, tradeIndex: 2, txHash: at.txHash });
      expect(v[0]!.values).to.deep.equal({ token: BTC, weightAfterBps: 4_371, targetBps: 4_321, ceilingBps: 4_371 });
    });

    it("judges both legs of a token-to-token trade, and neither leg that is the stablecoin", function () {
      const weightsAfterBps = new Map([
        [BTC.toLowerCase(), 4_000],
        [ETH.toLowerCase(), 3_600],
        [STABLE.toLowerCase(), 0],
      ]);
      // BTC floor 4,321 x 0.98 - 50 = 4,184.58: sold to 4,000 is too far; ETH ceiling 3,506: bought to 3,600 too.
      const v = checkTradeDirection({ ...base, tokenIn: BTC, tokenOut: ETH, weightsAfterBps });
      expect(v.map((x) => [x.check, x.values.token])).to.deep.equal([
        ["sold-below-target", BTC],
        ["bought-above-target", ETH],
      ]);
      expect(v[0]!.values).to.deep.equal({ token: BTC, weightAfterBps: 4_000, targetBps: 4_321, floorBps: 4_184.58 });
      // The stablecoin leg is never judged, even far from its own target.
      expect(checkTradeDirection({ ...base, tokenIn: STABLE.toLowerCase(), tokenOut: STABLE, weightsAfterBps })).to.deep.equal([]);
    });

    it("does not judge the stablecoin a sell pays into, even far above its target", function () {
      const weightsAfterBps = new Map([
        [BTC.toLowerCase(), 4_321],
        [STABLE.toLowerCase(), 9_000],
      ]);
      expect(checkTradeDirection({ ...base, tokenIn: BTC, tokenOut: STABLE, weightsAfterBps })).to.deep.equal([]);
    });

    it("treats a token missing from the weights as at 0 bps", function () {
      const v = checkTradeDirection({ ...base, tokenIn: ETH, tokenOut: STABLE, weightsAfterBps: new Map() });
      expect(v.map((x) => [x.check, x.values.weightAfterBps])).to.deep.equal([["sold-below-target", 0]]);
    });
  });

  describe("#checkEpochSnapshot", function () {
    const CHAIN = 8_453;
    const STABLE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
    const tokens = [
      { id: "wrapped-bitcoin", symbol: "WBTC", address: "0x0555E30da8f98308EdB960aa94C0Db47230d2B9c", marketCapUsd: 1_234.5e9 },
      { id: "ethereum", symbol: "WETH", address: "0x4200000000000000000000000000000000000006", marketCapUsd: 345.67e9 },
      { id: "chainlink", symbol: "LINK", address: "0x88Fb150BDc53A65fe94Dea0c9BA0a6dAf8C6e196", marketCapUsd: 9.876e9 },
    ];
    const list = (entries = tokens): TokenList =>
      parseTokenList(
        {
          name: "base",
          timestamp: "2026-11-30T00:00:00.000Z",
          version: { major: 1, minor: 0, patch: 0 },
          tokens: entries.map((t) => ({ chainId: CHAIN, address: t.address, name: t.symbol, symbol: t.symbol, decimals: 18, extensions: { providerId: t.id } })),
        },
        CHAIN,
      );
    const epoch = "1796601600";
    const asOf = new Date(Number(epoch) * 1000).toISOString();
    const snapshotOf = (state: "bull" | "bear" = "bull", extra: MarketAsset[] = []): Snapshot => ({
      version: 1,
      asOf,
      chainId: CHAIN,
      universe: [...tokens.map((t) => ({ id: t.id, symbol: t.symbol, marketCapUsd: t.marketCapUsd, volume24hUsd: t.marketCapUsd / 37, priceUsd: 1.23 })), ...extra],
      registry: [...tokens.map((t) => t.id), ...extra.map((a) => a.id)],
      currentMembers: [],
      methodology: resolveMethodologyConfig({ constituentCount: 10 }),
      regime: { state, previous: state, changed: false, asOf, source: "test", inputs: {} },
    });
    /** The commit the keeper makes for a snapshot: targets through the token list, 0 bps dropped. */
    const commitOf = (snapshot: Snapshot) => {
      const text = canonicalSnapshotJson(snapshot);
      const byId = new Map(tokens.map((t) => [t.id, t.address]));
      const targets =
        snapshot.regime.state === "bear"
          ? [{ token: STABLE, weightBps: 10_000 }]
          : [...computeTargets(snapshot).weightsBps].filter(([, bps]) => bps > 0).map(([id, weightBps]) => ({ token: byId.get(id)!, weightBps }));
      return { text, committed: { regime: snapshot.regime.state, snapshotHash: snapshotHash(text), targets } };
    };
    const check = (overrides: Partial<CheckEpochSnapshotParameters> & Pick<CheckEpochSnapshotParameters, "committed" | "snapshotText">) =>
      checkEpochSnapshot({ epoch, chainId: CHAIN, stablecoin: STABLE, snapshotFile: `/snapshots/${epoch}.json`, tokenList: list(), ...overrides });
    const checks = (result: ReturnType<typeof checkEpochSnapshot>) => result.violations.map((v) => v.check);

    it("passes the snapshot the keeper committed, in bull and in bear", function () {
      for (const state of ["bull", "bear"] as const) {
        const { text, committed } = commitOf(snapshotOf(state));
        const result = check({ committed, snapshotText: text });
        expect([result.violations, result.skipped], state).to.deep.equal([[], []]);
        expect(result.cashBufferBps, state).to.equal(undefined);
      }
    });

    it("returns the cash buffer a snapshot publishes when a keeper can run with it, flags any other, and refuses an unknown version", function () {
      for (const [published, returned] of [[250, 250], [0, 0], [5_000, 5_000], [5_001, undefined], [10_000, undefined], [10_001, undefined], [-1, undefined], [2.5, undefined]] as const) {
        const { text, committed } = commitOf({ ...snapshotOf(), cashBufferBps: published });
        const result = check({ committed, snapshotText: text });
        expect(checks(result), String(published)).to.deep.equal(returned === undefined ? ["cash-buffer"] : []);
        expect(result.cashBufferBps, String(published)).to.equal(returned);
      }
      const { text, committed } = commitOf({ ...snapshotOf(), version: 99 as 1 });
      expect(checks(check({ committed, snapshotText: text }))).to.deep.equal(["snapshot-invalid"]);
    });

    it("flags a missing snapshot and nothing else", function () {
      const { committed } = commitOf(snapshotOf());
      const result = check({ committed, snapshotText: null });
      expect(result.violations).to.deep.equal([{ epoch, check: "snapshot-missing", message: result.violations[0]!.message, values: { file: `/snapshots/${epoch}.json` } }]);
    });

    it("flags a hash mismatch, comparing hashes case-insensitively", function () {
      const { text, committed } = commitOf(snapshotOf());
      expect(checks(check({ committed: { ...committed, snapshotHash: committed.snapshotHash.toUpperCase().replace("0X", "0x") }, snapshotText: text }))).to.deep.equal([]);
      const tampered = text.replace('"volume24hUsd":', '"volume24hUsd": ');
      const result = check({ committed, snapshotText: tampered });
      expect(checks(result)).to.deep.equal(["snapshot-hash"]);
      expect(result.violations[0]!.values).to.deep.equal({ fileHash: snapshotHash(tampered), committedHash: committed.snapshotHash });
    });

    it("flags a snapshot of another epoch or another chain", function () {
      const { text, committed } = commitOf(snapshotOf());
      expect(checks(check({ committed, snapshotText: text, epoch: String(Number(epoch) + 604_800) }))).to.deep.equal(["snapshot-epoch"]);
      const otherChain = check({ committed, snapshotText: text, chainId: CHAIN + 1 });
      expect(checks(otherChain)).to.deep.equal(["snapshot-epoch"]);
      expect(otherChain.violations[0]!.values).to.deep.equal({ asOf, asOfSeconds: Number(epoch), snapshotChainId: CHAIN, chainId: CHAIN + 1 });
    });

    it("flags a regime that differs from the committed one", function () {
      const { text, committed } = commitOf(snapshotOf("bull"));
      const result = check({ committed: { ...committed, regime: "bear" }, snapshotText: text });
      expect(checks(result)).to.deep.equal(["regime"]);
      expect(result.violations[0]!.values).to.deep.equal({ committed: "bear", snapshot: "bull" });
    });

    it("derives the bear commit as the stablecoin alone, and flags a bear commit with anything else", function () {
      const { text, committed } = commitOf(snapshotOf("bear"));
      const result = check({ committed: { ...committed, targets: [{ token: STABLE, weightBps: 9_000 }, { token: tokens[0]!.address, weightBps: 1_000 }] }, snapshotText: text });
      expect(checks(result)).to.deep.equal(["targets-derived"]);
      expect(result.violations[0]!.values.differingTokens).to.equal(2);
    });

    it("flags committed weights that differ from the derived ones, token by token", function () {
      const { text, committed } = commitOf(snapshotOf());
      const shifted = committed.targets.map((t, i) => ({ ...t, weightBps: t.weightBps + (i === 0 ? 1 : i === 1 ? -1 : 0) }));
      const result = check({ committed: { ...committed, targets: shifted }, snapshotText: text });
      expect(checks(result)).to.deep.equal(["targets-derived"]);
      expect(result.violations[0]!.values.differingTokens).to.equal(2);
    });

    it("skips the derivation without a token list, after the other checks ran", function () {
      const { text, committed } = commitOf(snapshotOf());
      const result = check({ committed: { ...committed, regime: "bear" }, snapshotText: text, tokenList: undefined });
      expect(checks(result)).to.deep.equal(["regime"]);
      expect(result.skipped.map((s) => s.check)).to.deep.equal(["targets-derived"]);
    });

    it("flags constituents the token list cannot map", function () {
      const { text, committed } = commitOf(snapshotOf());
      const result = check({ committed, snapshotText: text, tokenList: list(tokens.slice(0, 2)) });
      expect(checks(result)).to.deep.equal(["targets-derived", "targets-derived"]);
      expect(result.violations[0]!.values).to.deep.equal({ unmapped: "chainlink" });
    });

    it("flags, without crashing, a snapshot that derives a token the keeper did not commit", function () {
      const { text, committed } = commitOf(snapshotOf());
      const result = check({ committed: { ...committed, targets: committed.targets.slice(0, 2) }, snapshotText: text });
      expect(checks(result)).to.deep.equal(["targets-derived"]);
      expect(result.violations[0]!.values.differingTokens).to.equal(1);
    });

    it("flags a file that is not JSON, not an object, or lacks the snapshot's shape", function () {
      const { committed } = commitOf(snapshotOf());
      for (const text of ["{not json", "null", "42", '"text"', "[]", '{"asOf":"2026-11-30T00:00:00.000Z"}', '{"universe":[]}', '{"universe":[],"asOf":7}']) {
        const result = check({ committed, snapshotText: text });
        expect(checks(result), text).to.deep.equal(["snapshot-hash", "snapshot-invalid"]);
        expect(result.violations[1]!.values, text).to.deep.equal({ file: `/snapshots/${epoch}.json` });
      }
    });

    it("says a parsed file is not a snapshot object, whatever its shape, rather than a TypeError", function () {
      const { committed } = commitOf(snapshotOf());
      const shapes = ["null", "42", "[]", `{"version":1,"asOf":"${asOf}"}`, `{"version":1,"asOf":"${asOf}","universe":{}}`, '{"version":1,"universe":[],"asOf":7}'];
      for (const text of shapes) {
        const result = check({ committed, snapshotText: text });
        expect(checks(result), text).to.deep.equal(["snapshot-hash", "snapshot-invalid"]);
        expect(result.violations[1]!.message, text).to.match(/is not a snapshot: not a snapshot object$/);
      }
    });

    it("flags a snapshot without a regime as a regime mismatch instead of crashing", function () {
      const { regime: _regime, ...rest } = snapshotOf();
      const text = canonicalSnapshotJson(rest as Snapshot);
      const { committed } = commitOf(snapshotOf());
      const result = check({ committed: { ...committed, snapshotHash: snapshotHash(text) }, snapshotText: text, tokenList: undefined });
      expect(checks(result)).to.deep.equal(["regime"]);
      expect(result.violations[0]!.values).to.deep.equal({ committed: "bull", snapshot: null });
    });

    it("returns the published cash buffer on every path, and no cashBufferBps key when none is published", function () {
      const published = (snapshot: Snapshot) => {
        const { text, committed } = commitOf(snapshot);
        return { snapshotText: text, committed };
      };
      const withBuffer = published({ ...snapshotOf(), cashBufferBps: 250 });
      const without = published(snapshotOf());
      // No token list: the derivation is skipped.
      expect(check({ ...withBuffer, tokenList: undefined }).cashBufferBps).to.equal(250);
      expect(check({ ...without, tokenList: undefined })).to.not.have.property("cashBufferBps");
      // Targets that cannot be derived (no registry).
      for (const [snapshot, buffer] of [[{ ...snapshotOf(), registry: [], cashBufferBps: 250 }, 250], [{ ...snapshotOf(), registry: [] }, undefined]] as const) {
        const text = canonicalSnapshotJson(snapshot);
        const result = check({ committed: { ...without.committed, snapshotHash: snapshotHash(text) }, snapshotText: text });
        expect(checks(result)).to.deep.equal(["targets-derived"]);
        if (buffer === undefined) expect(result).to.not.have.property("cashBufferBps");
        else expect(result.cashBufferBps).to.equal(buffer);
      }
      expect(check(without)).to.not.have.property("cashBufferBps");
    });

    it("lists every unmapped constituent, and the differing tokens in address order whatever the commit's order", function () {
      const { text, committed } = commitOf(snapshotOf());
      const unmapped = check({ committed, snapshotText: text, tokenList: list(tokens.slice(0, 1)) });
      expect(unmapped.violations[0]!.values).to.deep.equal({ unmapped: "ethereum,chainlink" });
      const shifted = committed.targets.map((t, i) => ({ ...t, weightBps: t.weightBps + (i === 0 ? 1 : i === 2 ? -1 : 0) })).reverse();
      const result = check({ committed: { ...committed, targets: shifted }, snapshotText: text });
      const derived = new Map(committed.targets.map((t) => [t.token, t.weightBps]));
      expect(JSON.parse(String(result.violations[0]!.values.detail))).to.deep.equal(
        [shifted[2]!, shifted[0]!].map((t) => ({ token: t.token, committedBps: t.weightBps, derivedBps: derived.get(t.token) })),
      );
    });

    it("flags a snapshot whose targets cannot be derived (no asset passes the screens) instead of throwing", function () {
      const snapshot: Snapshot = { ...snapshotOf(), registry: [] };
      const text = canonicalSnapshotJson(snapshot);
      const committed = { regime: "bull" as const, snapshotHash: snapshotHash(text), targets: [{ token: tokens[0]!.address, weightBps: 10_000 }] };
      const result = check({ committed, snapshotText: text });
      expect(checks(result)).to.deep.equal(["targets-derived"]);
      expect(result.violations[0]!.values).to.deep.equal({});
    });
  });
});
