import { getAddress, ZeroAddress, ZeroHash, type Provider } from "ethers";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, TimelockController__factory } from "../../types/ethers-contracts/index.js";
import { readLogs } from "../audit/readLogs.js";

export interface RoleHolders {
  role: string;
  /** The role id (bytes32), as on chain. */
  id: string;
  /** Current holders (hasRole at `block`), in the order they were granted; the zero address means anyone. */
  holders: string[];
}

export interface ContractRoles {
  kind: "vault" | "queue" | "timelock" | "oracle";
  address: string;
  roles: RoleHolders[];
  /** The timelock's minimum delay in seconds; the oracle's owner is its only role. */
  minDelaySeconds?: number;
}

export interface ReadRolesParameters {
  provider: Provider;
  vault: string;
  /** The vault's IndexQueue, if it has one (the vault does not name it). */
  queue?: string;
  /** Blocks per eth_getLogs query. Default 10,000. */
  blockRange?: number;
  onProgress?: (message: string) => void;
}

/**
 * Who holds every role on the vault, its queue, their admin timelock(s) and the oracle, at the latest block: the candidates
 * from RoleGranted events (OpenZeppelin's AccessControl keeps no list), each confirmed with hasRole; the oracle's
 * owner, pending owner and configurator from its views. The vault's events are read from its deploymentBlock(), a timelock's from the block its
 * code appeared (a binary search on eth_getCode; block 0 on a node without that history).
 */
export async function readRoles({ provider, vault: vaultInput, queue: queueInput, blockRange = 10_000, onProgress }: ReadRolesParameters): Promise<{ block: number; contracts: ContractRoles[] }> {
  const block = await provider.getBlockNumber();
  const at = { blockTag: block };
  const vaultAddress = getAddress(vaultInput);
  const vault = IndexVault__factory.connect(vaultAddress, provider);
  const vaultRoles = { DEFAULT_ADMIN_ROLE: ZeroHash, KEEPER_ROLE: await vault.KEEPER_ROLE(at), GUARDIAN_ROLE: await vault.GUARDIAN_ROLE(at) };
  const vaultFrom = Number(await vault.deploymentBlock(at));
  const vaultEntry = await accessControlRoles(provider, "vault", vaultAddress, vaultRoles, vaultFrom, block, blockRange, onProgress);
  let queueEntry: ContractRoles | undefined;
  if (queueInput !== undefined) {
    const queueAddress = getAddress(queueInput);
    const queueRoles = { DEFAULT_ADMIN_ROLE: ZeroHash, SETTLER_ROLE: await IndexQueue__factory.connect(queueAddress, provider).SETTLER_ROLE(at) };
    queueEntry = await accessControlRoles(provider, "queue", queueAddress, queueRoles, await deploymentBlockOf(provider, queueAddress, block), block, blockRange, onProgress);
  }

  const oracleAddress = getAddress(await vault.oracle(at));
  const oracle = OracleRouter__factory.connect(oracleAddress, provider);
  const owner = getAddress(await oracle.owner(at));
  // Ownable2Step's owner-to-be, and the deployer's one-time configurator right (zero once renounced); an older
  // router without these views has neither.
  const pendingOwner = await oracle.pendingOwner(at).catch(() => ZeroAddress);
  const configurator = await oracle.configurator(at).catch(() => ZeroAddress);
  const held = (account: string) => (account === ZeroAddress ? [] : [getAddress(account)]);
  const oracleEntry: ContractRoles = {
    kind: "oracle",
    address: oracleAddress,
    roles: [
      { role: "owner", id: "owner()", holders: [owner] },
      { role: "pendingOwner", id: "pendingOwner()", holders: held(pendingOwner) },
      { role: "configurator", id: "configurator()", holders: held(configurator) },
    ],
  };

  // The vault's and the queue's admins and the oracle's owner: those that are timelocks get their own roles listed.
  const timelocks: ContractRoles[] = [];
  for (const candidate of new Set([...vaultEntry.roles[0].holders, ...(queueEntry?.roles[0].holders ?? []), owner])) {
    const timelock = TimelockController__factory.connect(candidate, provider);
    const minDelay = await timelock.getMinDelay(at).catch(() => null);
    if (minDelay === null) continue;
    const roles = { DEFAULT_ADMIN_ROLE: ZeroHash, PROPOSER_ROLE: await timelock.PROPOSER_ROLE(at), EXECUTOR_ROLE: await timelock.EXECUTOR_ROLE(at), CANCELLER_ROLE: await timelock.CANCELLER_ROLE(at) };
    const entry = await accessControlRoles(provider, "timelock", candidate, roles, await deploymentBlockOf(provider, candidate, block), block, blockRange, onProgress);
    timelocks.push({ ...entry, minDelaySeconds: Number(minDelay) });
  }
  return { block, contracts: [vaultEntry, ...(queueEntry === undefined ? [] : [queueEntry]), ...timelocks, oracleEntry] };
}

async function accessControlRoles(provider: Provider, kind: "vault" | "queue" | "timelock", address: string, roles: Record<string, string>, fromBlock: number, toBlock: number, blockRange: number, onProgress?: (message: string) => void): Promise<ContractRoles> {
  const contract = TimelockController__factory.connect(address, provider);
  const granted = contract.interface.getEvent("RoleGranted").topicHash;
  const logs = await readLogs(provider, { address, topics: [granted] }, fromBlock, toBlock, blockRange, {
    onProgress: (read, all) => (read === all ? onProgress?.(`${kind} ${address}: RoleGranted events, blocks ${fromBlock}-${toBlock}`) : undefined),
    onRetry: (error, attempt, delayMs) => onProgress?.(`${kind} ${address}: RPC error (${(error as Error).message.split("\n")[0]}); retry ${attempt} in ${delayMs / 1000} s`),
  });
  const candidates = new Map<string, string[]>();
  for (const log of logs) {
    const { role, account } = contract.interface.parseLog(log)!.args as unknown as { role: string; account: string };
    const list = candidates.get(role) ?? [];
    if (!list.includes(getAddress(account))) list.push(getAddress(account));
    candidates.set(role, list);
  }
  const named = new Map(Object.entries(roles).map(([name, id]) => [id, name]));
  const ids = [...new Set([...Object.values(roles), ...candidates.keys()])];
  const entries: RoleHolders[] = [];
  for (const id of ids) {
    const holders: string[] = [];
    for (const account of candidates.get(id) ?? []) if (await contract.hasRole(id, account, { blockTag: toBlock })) holders.push(account);
    entries.push({ role: named.get(id) ?? id, id, holders });
  }
  return { kind, address, roles: entries };
}

/** The first block with code at `address` (a binary search on eth_getCode); 0 when the node has no such history. */
async function deploymentBlockOf(provider: Provider, address: string, head: number): Promise<number> {
  try {
    let low = 0;
    let high = head;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if ((await provider.getCode(address, mid)) !== "0x") high = mid;
      else low = mid + 1;
    }
    return low;
  } catch {
    return 0;
  }
}
