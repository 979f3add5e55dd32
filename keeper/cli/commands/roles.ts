import { ZeroAddress } from "ethers";
import { loadAuditConfig } from "../../config.js";
import { formatNumber, formatTable } from "../../core/index.js";
import { createJsonRpcProvider } from "../../chain/createJsonRpcProvider.js";
import { readRoles } from "../../chain/readRoles.js";
import { connectToVault } from "../connectToVault.js";
import { EXIT } from "../exitCodes.js";

export interface RolesCommandOptions {
  rpc?: string;
  vault?: string;
  queue?: string;
  json: boolean;
}

/**
 * `keeper roles`: who holds every role on the vault, its queue, its timelock and its oracle, read from the chain
 * (what docs/AUDITORS.md asks an auditor to check). Takes --rpc, --vault and --queue, or KEEPER_RPC_URL,
 * KEEPER_VAULT and KEEPER_QUEUE (the vault does not name its queue).
 */
export async function rolesCommand(options: RolesCommandOptions): Promise<number> {
  const { config, sourceOf } = loadAuditConfig({ KEEPER_RPC_URL: ["--rpc", options.rpc], KEEPER_VAULT: ["--vault", options.vault], KEEPER_QUEUE: ["--queue", options.queue] });
  const provider = createJsonRpcProvider({ url: config.KEEPER_RPC_URL });
  try {
    const { chainId } = await connectToVault(provider, config.KEEPER_VAULT, { rpcInput: `${sourceOf("KEEPER_RPC_URL")} ${config.KEEPER_RPC_URL}`, vaultInput: sourceOf("KEEPER_VAULT") });
    const { block, contracts } = await readRoles({ provider, vault: config.KEEPER_VAULT, queue: config.KEEPER_QUEUE, onProgress: (line) => console.error(`keeper roles: ${line}`) });
    if (options.json) {
      console.log(JSON.stringify({ chainId, block, contracts }, null, 2));
      return EXIT.ok;
    }
    console.log(`Roles on chain ${chainId} at block ${formatNumber(block, 0)}`);
    for (const c of contracts) {
      console.log(`\n${c.kind} ${c.address}${c.minDelaySeconds === undefined ? "" : `, minimum delay ${formatNumber(c.minDelaySeconds, 0)} s (${formatNumber(c.minDelaySeconds / 3600, 1)} h)`}`);
      const rows = c.roles.flatMap((r) => (r.holders.length === 0 ? [[r.role, "(nobody)", ""]] : r.holders.map((h) => [r.role, h, label(h, contracts)])));
      console.log(formatTable(["role", "holder", "which is"], rows));
    }
    return EXIT.ok;
  } finally {
    provider.destroy();
  }
}

/** Names a holder that is one of the listed contracts (the timelock as the vault's admin), or anyone. */
function label(holder: string, contracts: readonly { kind: string; address: string }[]): string {
  if (holder === ZeroAddress) return "anyone (the zero address)";
  return contracts.find((c) => c.address === holder)?.kind ?? "";
}
