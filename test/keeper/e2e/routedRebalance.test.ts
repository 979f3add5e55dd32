import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, networkHelpers, realisticVaultFixture } from "../../fixtures.js";
import { createDevnetKeeperContext } from "../../../devnet/createDevnetKeeperContext.js";
import { devnetSyntheticAssets } from "../../../devnet/marketTokenList.js";
import { SyntheticMarket } from "../../../keeper/data/syntheticMarket.js";
import { runRebalance } from "../../../keeper/run/runRebalance.js";
import { tokensByProviderId } from "../../../keeper/data/tokenList.js";
import { lastWeeklyRebalance } from "../../../keeper/core/index.js";
import { IndexVault__factory, TestToken__factory } from "../../../types/ethers-contracts/index.js";
import { dayStartEpoch, USDC } from "../../helpers/vault.js";
import { chainNow, expectOnTarget, expectWithinLimits } from "./keeperFixture.js";
import type { KeeperContext } from "../../../keeper/run/context.js";

const WARM_UP_DAYS = 55;

/** The keeper on the realistic devnet (ten tokens, one of each layout tenth) with $2M deposited. */
async function setUp() {
  const f = await networkHelpers.loadFixture(realisticVaultFixture);
  await (await IndexVault__factory.connect(f.deployment.vault, f.depositors[0]).deposit(2_000_000n * USDC, f.depositors[0].address)).wait();
  const now = await networkHelpers.time.latest();
  const synthetic = new SyntheticMarket({
    seed: 5,
    assets: devnetSyntheticAssets(f.market),
    phases: [{ days: WARM_UP_DAYS + 7, driftAnnual: 0.5, volatilityAnnual: 0.2 }],
    startIso: new Date((now - WARM_UP_DAYS * 86_400) * 1000).toISOString(),
  });
  for (let d = 0; d < WARM_UP_DAYS; d++) synthetic.step();
  const ctx = await createDevnetKeeperContext({
    provider: ethers.provider,
    keeper: f.keeper,
    market: f.market,
    deployment: f.deployment,
    data: synthetic.provider(),
    constituentCount: 12,
    planner: { dustAsset: 50n * USDC },
    snapshotDir: await mkdtemp(path.join(tmpdir(), "snapshots-")),
  });
  return { f, ctx };
}

/** Tokens the realistic layout lists only against WETH: the direct path has no pool for them. */
const wethOnly = (f: Awaited<ReturnType<typeof setUp>>["f"]) => new Set(f.market.tokens.filter((t) => t.layout === "weth-only" || t.layout === "thin").map((t) => t.address.toLowerCase()));

describe("keeper end to end: routed rebalances through SwapRouter02 on the realistic devnet", function () {
  it("buys every constituent from cash, WETH-only ones via WETH, each leg filling exactly as quoted, and sells it all back", async function () {
    const { f, ctx } = await setUp();
    expect(ctx.routing?.adapter).to.equal(f.deployment.swapRouter02Adapter);
    expect(ctx.routing?.connectors).to.deep.equal([f.market.weth9]);
    const vault = IndexVault__factory.connect(f.deployment.vault, ethers.provider);

    const buy = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(buy.commit).to.equal("sent");
    // The depth screen is on and counts the routes through WETH: WETH-only tokens pass it on their WETH pools.
    const snapshot = buy.targets!.snapshot;
    expect(snapshot.version === 2 && snapshot.methodology.minOnChainDepthUsd).to.be.greaterThan(0);
    const byId = tokensByProviderId(ctx.tokenList);
    const wethOnlyDepths = snapshot.universe.filter((a) => wethOnly(f).has(byId.get(a.id)?.address.toLowerCase() ?? "")).map((a) => a.onChainDepthUsd ?? 0);
    expect(wethOnlyDepths).to.have.length(wethOnly(f).size);
    for (const depth of wethOnlyDepths) expect(depth).to.be.greaterThan(snapshot.version === 2 ? snapshot.methodology.minOnChainDepthUsd : 0);
    expect(buy.stuck).to.deep.equal([]);
    expect(buy.complete).to.equal(true);
    expectOnTarget(buy.after, 60);
    await expectWithinLimits(ctx, buy);
    const trades = buy.batches.flatMap((b) => b.trades);
    // Nobody else trades on this chain: every leg returns exactly what the keeper predicted.
    for (const t of trades) expect(t.amountOut, `${t.tokenIn} -> ${t.tokenOut}`).to.equal(t.quotedOut);
    const bought = new Set(trades.map((t) => t.tokenOut.toLowerCase()));
    for (const token of wethOnly(f)) if (buy.after.targets.some((w) => w.token.address.toLowerCase() === token && w.weightBps > 0)) expect(bought.has(token), token).to.equal(true);
    // Every trade went through the SwapRouter02 adapter.
    const adapters = new Set<string>();
    for (const b of buy.batches) {
      const receipt = (await ethers.provider.getTransactionReceipt(b.hash))!;
      for (const log of receipt.logs) {
        const e = log.address.toLowerCase() === f.deployment.vault.toLowerCase() ? vault.interface.parseLog(log) : null;
        if (e?.name === "TradeExecuted") adapters.add(e.args.adapter as string);
      }
    }
    expect([...adapters]).to.deep.equal([f.deployment.swapRouter02Adapter]);

    // Back to cash: a bear epoch committed a day later (as the daily check would); the keeper sells everything.
    await networkHelpers.time.increase(86_400);
    await (await vault.connect(f.keeper).commitTargets(await dayStartEpoch(), 1, [f.market.stablecoin.address], [10_000], ethers.id("bear"))).wait();
    const sell = await runRebalance(ctx, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(sell.commit).to.equal("already-committed");
    expect(sell.complete).to.equal(true);
    await expectWithinLimits(ctx, sell);
    for (const t of sell.batches.flatMap((b) => b.trades)) expect(t.amountOut).to.equal(t.quotedOut);
    for (const t of f.market.tokens) expect(await TestToken__factory.connect(t.address, ethers.provider).balanceOf(f.deployment.vault), t.symbol).to.equal(0n);
    // WETH never rests in the vault or the adapter.
    const weth = TestToken__factory.connect(f.market.weth9, ethers.provider);
    expect(await weth.balanceOf(f.deployment.vault)).to.equal(0n);
    expect(await weth.balanceOf(f.deployment.swapRouter02Adapter)).to.equal(0n);
  });

  it("without the SwapRouter02 adapter configured, screens out the tokens it has no route for and trades direct pools as before", async function () {
    const { f, ctx } = await setUp();
    const direct: KeeperContext = { ...ctx, routing: undefined };
    const result = await runRebalance(direct, { asOf: lastWeeklyRebalance(await chainNow()), mode: "weekly" });
    expect(result.commit).to.equal("sent");
    // The direct adapter trades only stablecoin pools, so the depth screen counts only those: WETH-only tokens read
    // 0 and leave the targets (their weight spread over the rest) instead of being stuck unbought.
    const byId = tokensByProviderId(ctx.tokenList);
    const screened = result.targets!.snapshot.universe.filter((a) => wethOnly(f).has(byId.get(a.id)?.address.toLowerCase() ?? ""));
    expect(screened).to.have.length(wethOnly(f).size);
    for (const a of screened) expect(a.onChainDepthUsd, a.id).to.equal(0);
    for (const w of result.after.targets) if (wethOnly(f).has(w.token.address.toLowerCase())) expect(w.weightBps, w.token.address).to.equal(0);
    expect(result.stuck).to.deep.equal([]);
    expect(result.complete).to.equal(true);
    const traded = result.batches.flatMap((b) => b.trades);
    expect(traded.length).to.be.greaterThan(0);
    for (const t of traded) expect(wethOnly(f).has(t.tokenOut.toLowerCase())).to.equal(false);
  });
});
