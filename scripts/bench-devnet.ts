/**
 * `npm run bench:devnet`: deploy time of the local market for 10 and 100 tokens, on Hardhat's in-process
 * chain and over JSON-RPC (what `npm run devnet` does). Writes bench/devnet.json and prints a table.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { network } from "hardhat";
import { deployMarket } from "../devnet/deployMarket.js";
import { createJsonRpcProvider } from "../keeper/chain/createJsonRpcProvider.js";
import { defaultTokenSpecs } from "../devnet/tokenSpecs.js";
import { exitOnUncaughtError } from "../keeper/cli/failScript.js";

exitOnUncaughtError();

const results: Record<string, number> = {};
for (const count of [10, 100]) {
  const { ethers } = await network.create();
  const [deployer] = await ethers.getSigners();
  let started = performance.now();
  await deployMarket({ deployer, tokens: defaultTokenSpecs({ count }) });
  results[`deploy_in_process_${count}_s`] = round((performance.now() - started) / 1000);
  console.log(`in-process, ${count} tokens: ${results[`deploy_in_process_${count}_s`]} s`);

  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const provider = createJsonRpcProvider({ url: `http://${address}:${port}`, chainId: 31337, pollingIntervalMs: 20 });
  started = performance.now();
  await deployMarket({ deployer: await provider.getSigner(0), tokens: defaultTokenSpecs({ count }) });
  results[`deploy_json_rpc_${count}_s`] = round((performance.now() - started) / 1000);
  console.log(`JSON-RPC,   ${count} tokens: ${results[`deploy_json_rpc_${count}_s`]} s`);
  provider.destroy();
  await server.close();
}
await mkdir("bench", { recursive: true });
await writeFile("bench/devnet.json", JSON.stringify(results, null, 2) + "\n");
console.table(results);

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
