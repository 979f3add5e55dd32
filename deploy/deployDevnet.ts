/**
 * `npm run deploy:devnet` (= `hardhat run --network localhost deploy/deployDevnet.ts`): deploys the vault
 * stack with the same Ignition modules as a real network onto the node `npm run devnet` started, with
 * parameters built from its devnet.json (path in DEVNET_JSON). Accounts 0-3 of the node are deployer and
 * proposer, keeper, guardian and fee recipient, as in test/fixtures.ts. Writes the addresses to
 * devnet.vault.json (path in DEVNET_VAULT_JSON) for the keeper and the auditor.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { network } from "hardhat";
import type { Market } from "../devnet/deployMarket.js";
import { DEVNET_VAULT_SETTINGS, type VaultDeployment } from "../devnet/deployVault.js";
import { devnetParameters } from "./devnetParameters.js";
import { buildIndexVaultSystem } from "./modules/indexVaultSystem.js";
import { ConfigError, toolSettings } from "../keeper/config.js";
import { failScript } from "../keeper/cli/failScript.js";

// Hardhat would print an error escaping the script with its stack; failScript makes it one line (a revert decoded).
try {
  const { devnetFile: marketFile, devnetVaultFile: outFile } = toolSettings();
  const market: Market = JSON.parse(
    await readFile(marketFile, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(`DEVNET_JSON=${marketFile}: cannot read it (${error.code ?? error.message}); start a devnet with \`npm run devnet\` first`);
    }),
  );
  const connection = await network.getOrCreate();
  const provider = connection.ethers.provider;
  const chainId = Number((await provider.getNetwork()).chainId);
  if (chainId !== market.chainId) throw new ConfigError(`${marketFile} is for chain ${market.chainId}, the node answers chain ${chainId}`);
  if ((await provider.getCode(market.factory)) === "0x") throw new ConfigError(`no Uniswap V3 factory at ${market.factory}: is ${marketFile} from the running node?`);

  const [deployer, keeper, guardian, feeRecipient] = await connection.ethers.getSigners();
  // Every fresh node deploys the market at the same addresses, so the genesis hash (its timestamp differs)
  // keys the Ignition journal: a restarted node never resumes a dead node's deployment.
  const genesisHash = (await provider.getBlock(0))!.hash!;
  const parameters = devnetParameters({
    market,
    proposer: deployer.address,
    keeper: keeper.address,
    guardian: guardian.address,
    feeRecipient: feeRecipient.address,
    deploymentId: `index-vault-devnet-${genesisHash.slice(2, 10)}`,
  });
  const deployedAtBlock = await provider.getBlockNumber();
  const { system } = buildIndexVaultSystem(parameters);
  const deployed = await connection.ignition.deploy(system, { deploymentId: parameters.deploymentId, displayUi: true });

  // devnetParameters names SwapRouter02, which every devnet market deploys.
  if (deployed.swapRouter02Adapter === undefined) throw new Error("the devnet deployment lacks its SwapRouter02Adapter: devnetParameters must name SwapRouter02");
  const deployment: VaultDeployment = {
    vault: await deployed.vault.getAddress(),
    oracle: await deployed.oracle.getAddress(),
    adapter: await deployed.adapter.getAddress(),
    queue: await deployed.queue.getAddress(),
    swapRouter02Adapter: await deployed.swapRouter02Adapter.getAddress(),
    timelock: await deployed.timelock.getAddress(),
    keeper: keeper.address,
    guardian: guardian.address,
    feeRecipient: feeRecipient.address,
    proposer: deployer.address,
    deployedAtBlock,
    settings: DEVNET_VAULT_SETTINGS,
  };
  await writeFile(`${outFile}.tmp`, JSON.stringify(deployment, null, 2));
  await rename(`${outFile}.tmp`, outFile);
  console.log(`vault ${deployment.vault} deployed with Ignition (deployment ${parameters.deploymentId}); addresses in ${outFile}`);
} catch (error) {
  failScript(error);
}
