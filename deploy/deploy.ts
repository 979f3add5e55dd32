/**
 * `npx hardhat run --network <name> deploy/deploy.ts`: deploys the vault stack with Ignition from
 * deploy/parameters/<name>.json (or the file in DEPLOY_PARAMETERS). The parameters are validated first; an
 * example file (placeholder roles) or a chain id that differs from the RPC's is refused before anything is
 * sent. Ignition journals every step in ignition/deployments/<deploymentId>, so re-running resumes a
 * partial deployment, and `npx hardhat ignition verify <deploymentId>` verifies every contract.
 */
import { readFile } from "node:fs/promises";
import { network } from "hardhat";
import { buildIndexVaultSystem } from "./modules/indexVaultSystem.js";
import { parseNetworkParameters } from "./networkParameters.js";
import { ConfigError, toolSettings } from "../keeper/config.js";
import { failScript } from "../keeper/cli/failScript.js";

// Hardhat would print an error escaping the script with its stack; failScript makes it one line (a revert decoded).
try {
  const connection = await network.getOrCreate();
  const file = toolSettings().deployParameters(connection.networkName);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${file}: cannot read the network's parameters (${error.code ?? error.message}); DEPLOY_PARAMETERS names another file`);
  });
  const json = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(`${file}: not JSON (${(error as Error).message})`);
    }
  })();
  const parameters = parseNetworkParameters(json, file);
  if (parameters.example) {
    throw new ConfigError(`${file} is an example (placeholder role addresses); set the real addresses and "example": false first`);
  }
  const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
  if (chainId !== parameters.chainId) throw new ConfigError(`${file} is for chain ${parameters.chainId}, but the RPC of network "${connection.networkName}" is chain ${chainId}`);

  const { system } = buildIndexVaultSystem(parameters);
  const deployed = await connection.ignition.deploy(system, { deploymentId: parameters.deploymentId, displayUi: true });
  const addresses = Object.fromEntries(await Promise.all(Object.entries(deployed).map(async ([name, c]) => [name, await c.getAddress()])));
  console.log(JSON.stringify({ network: connection.networkName, chainId, deploymentId: parameters.deploymentId, ...addresses }, null, 2));
} catch (error) {
  failScript(error);
}
