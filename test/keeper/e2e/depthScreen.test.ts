// The investability screen on on-chain depth, on the devnet's real Uniswap V3 pools: a pool made thin before the
// data cut-off screens its token out of the committed targets, a pool made thin after it does not (the depth is
// read at the first block at or after the cut-off), and the audit re-derives the targets from the snapshot. A week of
// the devnet and a rebalance take minutes, so it is tagged @deep: `npm run test:deep` runs it, not `npm test`;
// test/keeper/chain/readTokenDepths.test.ts checks the depth reads themselves in `npm test`.
import { expect } from "chai";
import { computeTargets, DEFAULT_MIN_ONCHAIN_DEPTH_USD, nextWeeklyRebalance, type SnapshotV2 } from "../../../keeper/core/index.js";
import { runAudit } from "../../../keeper/audit/index.js";
import { readVault } from "../../../keeper/chain/readVault.js";
import { createKeeperJobs } from "../../../keeper/run/createKeeperJobs.js";
import { devnetProviderId } from "../../../devnet/marketTokenList.js";
import { ethers } from "../../fixtures.js";
import { thinPool } from "../../helpers/thinPool.js";
import { chainNow, setUpKeeperOnDevnet } from "./keeperFixture.js";

describe("keeper depth screen on the devnet's pools @deep", function () {
  it("screens out a token whose pool is thin at the data cut-off, not one thinned after it, and the audit re-derives the targets", async function () {
    const { ctx, advanceDay, market, deployment } = await setUpKeeperOnDevnet();
    // Ranks 3 and 4 of the market: both would be constituents.
    const [thinBefore, thinAfter] = [market.tokens[2]!, market.tokens[3]!];
    const monday = nextWeeklyRebalance(await chainNow());
    const cutoffS = monday.getTime() / 1000 - 86_400;
    await thinPool(market, thinBefore.address);
    while ((await chainNow()).getTime() / 1000 < cutoffS) await advanceDay();
    await thinPool(market, thinAfter.address);
    while ((await chainNow()).getTime() < monday.getTime()) await advanceDay();

    const result = await createKeeperJobs(ctx).weekly(await chainNow());
    expect(result.commit).to.equal("sent");
    const snapshot = result.targets!.snapshot as SnapshotV2;
    expect(snapshot.methodology).to.include({ minOnChainDepthUsd: DEFAULT_MIN_ONCHAIN_DEPTH_USD, depthBandBps: 200 });
    const block = (await ethers.provider.getBlock(snapshot.depthRead!.block))!;
    const before = (await ethers.provider.getBlock(snapshot.depthRead!.block - 1))!;
    expect(block.timestamp).to.be.at.least(cutoffS);
    expect(before.timestamp).to.be.below(cutoffS);
    expect(snapshot.depthRead).to.deep.equal({ block: block.number, blockHash: block.hash, timestamp: block.timestamp });

    const asset = (symbol: string) => snapshot.universe.find((a) => a.id === devnetProviderId(symbol))!;
    expect(asset(thinBefore.symbol).onChainDepthUsd).to.be.below(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
    expect(asset(thinAfter.symbol).onChainDepthUsd).to.be.above(DEFAULT_MIN_ONCHAIN_DEPTH_USD);
    // Every registered token was read; ids without a token on the vault (off-chain) have no depth.
    for (const id of snapshot.registry) expect(snapshot.universe.find((a) => a.id === id)?.onChainDepthUsd, id).to.be.a("number");
    expect(snapshot.universe.filter((a) => !snapshot.registry.includes(a.id)).every((a) => a.onChainDepthUsd === undefined)).to.equal(true);

    const derived = computeTargets(snapshot);
    expect(derived.excluded).to.deep.include({ id: devnetProviderId(thinBefore.symbol), symbol: asset(thinBefore.symbol).symbol, reason: "depth" });
    expect(derived.weightsBps.has(devnetProviderId(thinBefore.symbol))).to.equal(false);
    expect(derived.weightsBps.get(devnetProviderId(thinAfter.symbol))).to.be.above(0);
    const state = await readVault({ runner: ctx.provider, vault: ctx.vault });
    expect(state.targets.find((t) => t.token.address === thinBefore.address)?.weightBps ?? 0).to.equal(0);
    // Without the screen the same snapshot would hold it: the depth alone decided.
    expect(computeTargets({ ...snapshot, methodology: { ...snapshot.methodology, minOnChainDepthUsd: 0 } }).weightsBps.get(devnetProviderId(thinBefore.symbol))).to.be.above(0);

    const { report, ok } = await runAudit({ rpc: ethers.provider, vault: ctx.vault, fromBlock: deployment.deployedAtBlock, snapshotsDir: ctx.settings.snapshotDir, tokenList: ctx.tokenList });
    expect(report.violations).to.deep.equal([]);
    expect(ok).to.equal(true);
    expect(report.epochs.map((e) => [e.epoch, e.verdict])).to.deep.equal([[String(monday.getTime() / 1000), "pass"]]);
  });
});
