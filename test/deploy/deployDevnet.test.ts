import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { MaxUint256 } from "ethers";
import { network } from "hardhat";
import { deployMarket } from "../../devnet/deployMarket.js";
import { DEVNET_ACCOUNTS } from "../../devnet/accounts.js";
import { defaultTokenSpecs } from "../../devnet/tokenSpecs.js";
import type { VaultDeployment } from "../../devnet/deployVault.js";
import { createJsonRpcProvider } from "../../keeper/chain/createJsonRpcProvider.js";
import { readTradeFloors } from "../../keeper/chain/readTradeFloors.js";
import { readVenueStates } from "../../keeper/chain/readVenueStates.js";
import { resolveVenues } from "../../keeper/chain/resolveVenues.js";
import { encodeRoute } from "../../keeper/core/routing/encodeRoute.js";
import { routeOrders } from "../../keeper/core/routing/routeOrders.js";
import { IndexVault__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { freePort } from "../helpers/freePort.js";

const HARDHAT = path.resolve("node_modules/hardhat/dist/src/cli.js");

describe("npm run deploy:devnet (deploy/deployDevnet.ts) on a devnet node", function () {
  it("@deep deploys the SwapRouter02 adapter with Ignition, and the vault trades through it: a route via WETH and a mixed V2/V3 route, each as the keeper predicted", async function () {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await network.createServer("default", "127.0.0.1", port);
    await server.listen();
    const provider = createJsonRpcProvider({ url, chainId: 31337, pollingIntervalMs: 20 });
    let journal: string | undefined;
    try {
      // What `npm run devnet -- --liquidity realistic` lays out (one token of each tenth), without its own vault.
      const market = await deployMarket({ deployer: await provider.getSigner(0), tokens: defaultTokenSpecs({ count: 10 }), liquidity: "realistic" });
      const dir = await mkdtemp(path.join(tmpdir(), "deploy-devnet-"));
      const devnetFile = path.join(dir, "devnet.json");
      const vaultFile = path.join(dir, "devnet.vault.json");
      await writeFile(devnetFile, JSON.stringify(market));
      journal = path.resolve("ignition/deployments", `index-vault-devnet-${(await provider.getBlock(0))!.hash!.slice(2, 10)}`);
      // `npm run deploy:devnet` is `hardhat run --network localhost deploy/deployDevnet.ts`; --no-compile leaves the
      // build to the test run, so the child never rebuilds beside a parallel worker.
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [HARDHAT, "run", "--no-compile", "--network", "localhost", "deploy/deployDevnet.ts"], {
          env: { ...process.env, DEVNET_RPC_URL: url, DEVNET_JSON: devnetFile, DEVNET_VAULT_JSON: vaultFile },
        });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stderr }));
      });
      expect(result.code, result.stderr).to.equal(0);
      const deployment = JSON.parse(await readFile(vaultFile, "utf8")) as VaultDeployment;
      const keeper = await provider.getSigner(DEVNET_ACCOUNTS.keeper.address);
      const vault = IndexVault__factory.connect(deployment.vault, keeper);
      expect(await vault.isAdapterAllowed(deployment.swapRouter02Adapter)).to.equal(true);

      const stable = market.stablecoin.address;
      const depositor = await provider.getSigner(DEVNET_ACCOUNTS.depositor.address);
      const capital = 1_000_000n * 10n ** 6n;
      await (await TestToken__factory.connect(stable, await provider.getSigner(0)).mint(depositor.address, capital)).wait();
      await (await TestToken__factory.connect(stable, depositor).approve(deployment.vault, capital)).wait();
      await (await IndexVault__factory.connect(deployment.vault, depositor).deposit(capital, depositor.address)).wait();
      const wethOnly = market.tokens.find((t) => t.layout === "weth-only")!;
      const v2Share = market.tokens.find((t) => t.layout === "v2-share")!;
      const now = BigInt((await provider.getBlock("latest"))!.timestamp);
      await (await vault.commitTargets((now / 86_400n - 1n) * 86_400n, 0, [stable, wethOnly.address, v2Share.address], [8_000, 1_000, 1_000], "0x" + "11".repeat(32))).wait();

      // The keeper's routing on the Ignition-allowlisted venues: without the V2-share token's stablecoin pool, its
      // only route is USDC -> V3 -> WETH -> V2 pair -> token.
      const tokens = [wethOnly.address, v2Share.address];
      const venues = (await resolveVenues({ runner: provider, vault: deployment.vault, factoryV3: market.factory, factoryV2: market.factoryV2, tokens, quotes: [stable, market.weth9] })).filter(
        (v) => v.address.toLowerCase() !== v2Share.pool.toLowerCase(),
      );
      const states = await readVenueStates({ runner: provider, chainId: market.chainId, venues, blockTag: await provider.getBlockNumber() });
      const floor = await readTradeFloors({ runner: provider, vault: deployment.vault, tokens: [stable, ...tokens] });
      const orders = tokens.map((token) => ({ tokenIn: stable, tokenOut: token, amountIn: 50_000n * 10n ** 6n }));
      const { routed } = await routeOrders({ orders, venues, connectors: [market.weth9], states, slices: 1, extraLegCostOut: () => 0n, floorOut: (o, a) => floor(o.tokenIn, o.tokenOut, a) });
      const legs = routed.flatMap((r) => r.legs.map((leg) => ({ order: r.order, leg })));
      expect(legs.map(({ leg }) => leg.route.hops.map((h) => `${h.venue.protocol}:${h.tokenOut === market.weth9 ? "weth" : "token"}`).join(">"))).to.deep.equal(["v3:weth>v3:token", "v3:weth>v2:token"]);
      const trades = await Promise.all(
        legs.map(async ({ order, leg }) => ({
          adapter: deployment.swapRouter02Adapter,
          tokenIn: order.tokenIn,
          tokenOut: order.tokenOut,
          amountIn: leg.amountIn,
          minAmountOut: await vault.oracleMinAmountOut(order.tokenIn, order.tokenOut, leg.amountIn),
          data: encodeRoute(leg.route),
        })),
      );
      const receipt = (await (await vault.executeTrades(trades, MaxUint256, await vault.batchSequence())).wait())!;
      const executed = receipt.logs.map((log) => vault.interface.parseLog(log)).filter((e) => e?.name === "TradeExecuted");
      expect(executed.map((e) => [e!.args.adapter, e!.args.tokenOut, e!.args.amountOut])).to.deep.equal(legs.map(({ order, leg }) => [deployment.swapRouter02Adapter, order.tokenOut, leg.amountOut]));
      // WETH rests in neither the vault nor the adapter.
      const weth = TestToken__factory.connect(market.weth9, provider);
      expect([await weth.balanceOf(deployment.vault), await weth.balanceOf(deployment.swapRouter02Adapter)]).to.deep.equal([0n, 0n]);
    } finally {
      provider.destroy();
      await server.close();
      // The journal of this throwaway node (git ignores it; a fresh node never resumes it).
      if (journal !== undefined) await rm(journal, { recursive: true, force: true });
    }
  });
});
