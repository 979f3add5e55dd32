import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEVNET_ACCOUNTS } from "./accounts.js";
import type { Market } from "./deployMarket.js";
import type { VaultDeployment } from "./deployVault.js";
import { devnetSyntheticAssets, marketTokenList } from "./marketTokenList.js";

/** Writes to a temporary file and renames it, so that a reader never sees half a file. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

export interface DevnetFiles {
  /** The addresses (`out`), the keeper's token list and its configuration, beside it. */
  devnetFile: string;
  tokenListFile: string;
  envFile: string;
}

/**
 * What `npm run devnet` leaves for the keeper, the app and scripts once the node is deployed: `out` (the market's
 * and the vault stack's addresses, status "ready"), `<base>.tokenlist.json` and `<base>.env`, a keeper
 * configuration that `keeper run` needs nothing else for: it rebalances the vault and settles its queue.
 */
export async function writeDevnetFiles({ out, rpcUrl, market, vault, constituents }: { out: string; rpcUrl: string; market: Market; vault: VaultDeployment; constituents: number }): Promise<DevnetFiles> {
  const base = out.replace(/\.json$/, "");
  const files = { devnetFile: out, tokenListFile: `${base}.tokenlist.json`, envFile: `${base}.env` };
  await writeAtomically(out, JSON.stringify({ status: "ready", rpcUrl, ...market, vault, syntheticAssets: devnetSyntheticAssets(market) }, null, 2));
  await writeAtomically(files.tokenListFile, JSON.stringify(marketTokenList(market), null, 2));
  await writeAtomically(
    files.envFile,
    [
      "# The keeper's configuration for this devnet, written by `npm run devnet`. Use: npx keeper status --env-file " + files.envFile,
      `KEEPER_RPC_URL=${rpcUrl}`,
      "# Hardhat's well-known development account #1, which holds the keeper role here. Never use it on a real network.",
      `KEEPER_PRIVATE_KEY=${DEVNET_ACCOUNTS.keeper.privateKey}`,
      `KEEPER_VAULT=${vault.vault}`,
      "# The vault's ERC-7540 queue: `keeper run` settles its due windows every day before the rebalance.",
      `KEEPER_QUEUE=${vault.queue}`,
      `KEEPER_ADAPTER=${vault.adapter}`,
      `KEEPER_QUOTER_V2=${market.quoterV2}`,
      ...(market.liquidity === "realistic" ? [`KEEPER_SWAP_ROUTER02_ADAPTER=${vault.swapRouter02Adapter}`] : []),
      // Absolute: a relative path in an env file is read against the file's own folder, which `out` already names.
      `KEEPER_TOKEN_LIST=${path.resolve(files.tokenListFile)}`,
      "KEEPER_DATA_SOURCE=synthetic",
      `KEEPER_DATA_FILE=${path.resolve(out)}`,
      `KEEPER_CONSTITUENTS=${constituents}`,
      "KEEPER_SNAPSHOT_DIR=snapshots/devnet",
      "",
    ].join("\n"),
  );
  return files;
}
