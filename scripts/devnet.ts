/**
 * `npm run devnet [-- --tokens N --port P --out FILE --seed S]`: starts a JSON-RPC node on 127.0.0.1, deploys
 * the local market and the vault stack to it, and writes every address to a JSON file that the keeper and
 * scripts read, with a token list and a ready keeper configuration beside it. The node runs until Ctrl-C.
 */
import { createServer as createNetServer } from "node:net";
import { Command, Option } from "commander";
import type { LiquidityLayout } from "../devnet/deployMarket.js";
import { integerInRange, parseScriptOptions } from "../keeper/cli/parseScriptOptions.js";
import { EXIT } from "../keeper/cli/exitCodes.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

/** Exits with a clear message when the port is taken (the node's own error would surface as a crash). */
async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createNetServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
  if (!free) {
    console.error(`error: 127.0.0.1:${port} is already in use (another devnet?); stop it or choose another port with --port`);
    process.exit(EXIT.usage);
  }
}

const values = parseScriptOptions<{ tokens: number; port: number; out: string; seed: number; liquidity: LiquidityLayout }>(
  new Command("npm run devnet --")
    .description("Starts a JSON-RPC node, deploys the market and the vault stack, and writes their addresses and a keeper configuration.")
    .option("--tokens <n>", "tokens in the market (up to 100)", integerInRange(1, 100), 30)
    .option("--port <n>", "the node's port on 127.0.0.1", integerInRange(1, 65535), 8545)
    .option("--out <file>", "the addresses; <base>.tokenlist.json and <base>.env go beside it", "devnet.json")
    .option("--seed <n>", "the token specs' seed", integerInRange(0, 2 ** 32 - 1), 1)
    .addOption(
      new Option("--liquidity <layout>", "default: one stablecoin pool per token; realistic: WETH routes, fee tiers, V2 pairs, thin pools (the execution benchmark's market)")
        .choices(["default", "realistic"])
        .default("default"),
    )
    .addHelpText("after", "\nExample:\n  $ npm run devnet -- --tokens 100 --port 8545 --seed 1\n  $ npx keeper status --env-file devnet.env"),
);
const { tokens, port, seed, liquidity } = values;
// Hardhat, ethers and the deployment code load once the options are valid: --help and a refused option answer
// without them.
const [{ network }, { deployMarket }, { deployVault }, { writeAtomically, writeDevnetFiles }, { DEVNET_ACCOUNTS }, { IndexVault__factory, TestToken__factory }, { defaultTokenSpecs }, { createJsonRpcProvider }] = await Promise.all([
  import("hardhat"),
  import("../devnet/deployMarket.js"),
  import("../devnet/deployVault.js"),
  import("../devnet/writeDevnetFiles.js"),
  import("../devnet/accounts.js"),
  import("../types/ethers-contracts/index.js"),
  import("../devnet/tokenSpecs.js"),
  import("../keeper/chain/createJsonRpcProvider.js"),
]);

await assertPortFree(port);
// Until the market is deployed, the addresses file says so: `npm start -- --network localhost` waits for "ready"
// instead of moving the clock under a deployment (which would make its feeds stale).
await writeAtomically(values.out, JSON.stringify({ status: "deploying", rpcUrl: `http://127.0.0.1:${port}` }));
const server = await network.createServer("default", "127.0.0.1", port);
const { address, port: actualPort } = await server.listen();
const url = `http://${address}:${actualPort}`;
console.log(`JSON-RPC node listening on ${url}`);

const provider = createJsonRpcProvider({ url, pollingIntervalMs: 20 });
const deployer = await provider.getSigner(0);
const started = performance.now();
const market = await deployMarket({
  deployer,
  tokens: defaultTokenSpecs({ count: tokens, seed }),
  liquidity,
  onProgress: (done, total, token) => process.stdout.write(`\rlisted ${done}/${total} tokens (${token.symbol})   `),
});
process.stdout.write("\n");
const vault = await deployVault({ deployer, market, keeper: DEVNET_ACCOUNTS.keeper.address, guardian: DEVNET_ACCOUNTS.guardian.address, feeRecipient: DEVNET_ACCOUNTS.feeRecipient.address });
// Seed capital from a depositor, so that `keeper plan` has something to invest.
const depositor = await provider.getSigner(DEVNET_ACCOUNTS.depositor.address);
const seedCapital = 1_000_000n * 10n ** BigInt(market.stablecoin.decimals);
await (await TestToken__factory.connect(market.stablecoin.address, deployer).mint(depositor.address, seedCapital)).wait();
await (await TestToken__factory.connect(market.stablecoin.address, depositor).approve(vault.vault, seedCapital)).wait();
await (await IndexVault__factory.connect(vault.vault, depositor).deposit(seedCapital, depositor.address)).wait();
const { tokenListFile, envFile } = await writeDevnetFiles({ out: values.out, rpcUrl: url, market, vault, constituents: Math.max(1, Math.floor(tokens * 0.8)) });
console.log(`deployed ${tokens} tokens with pools and the vault, and deposited 1,000,000 USDC from ${depositor.address}, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`addresses: ${values.out}; token list: ${tokenListFile}; keeper configuration: ${envFile}`);
console.log(`try: npx keeper status --env-file ${envFile}`);
console.log(`and: ${port === 8545 ? "" : `DEVNET_RPC_URL=${url} `}npm start -- --network localhost`);
console.log("Ctrl-C stops the node.");

const stop = async () => {
  await server.close();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
await server.afterClosed();
