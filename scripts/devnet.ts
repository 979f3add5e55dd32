/**
 * `npm run devnet [-- --tokens N --port P --out FILE --seed S]`: starts a JSON-RPC node on 127.0.0.1, deploys
 * the local market to it and writes every address to a JSON file that the keeper and scripts read. The node
 * runs until Ctrl-C.
 */
import { writeFile, rename } from "node:fs/promises";
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { deployMarket } from "./devnet/deployMarket.js";
import { defaultTokenSpecs } from "./devnet/tokenSpecs.js";
import { parseIntegerOption } from "./cliOptions.js";
import { createJsonRpcProvider } from "../keeper/chain/createJsonRpcProvider.js";

const { values } = parseArgs({
  options: {
    tokens: { type: "string", default: "30" },
    port: { type: "string", default: "8545" },
    out: { type: "string", default: "devnet.json" },
    seed: { type: "string", default: "1" },
  },
});
const tokens = parseIntegerOption("--tokens", values.tokens, 1, 100);
const port = parseIntegerOption("--port", values.port, 1, 65535);
const seed = parseIntegerOption("--seed", values.seed, 0, 2 ** 32 - 1);

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
  onProgress: (done, total, token) => process.stdout.write(`\rlisted ${done}/${total} tokens (${token.symbol})   `),
});
process.stdout.write("\n");
// Write to a temporary file and rename, so a reader never sees half a file.
await writeFile(`${values.out}.tmp`, JSON.stringify({ rpcUrl: url, ...market }, null, 2));
await rename(`${values.out}.tmp`, values.out);
console.log(`deployed ${tokens} tokens with pools in ${((performance.now() - started) / 1000).toFixed(1)} s; addresses in ${values.out}`);
console.log("Ctrl-C stops the node.");

const stop = async () => {
  await server.close();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
await server.afterClosed();
