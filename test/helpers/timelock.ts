import { ZeroHash, hexlify, randomBytes, type Signer, type ContractTransactionReceipt } from "ethers";
import { TimelockController__factory } from "../../types/ethers-contracts/index.js";

/** Who and what it takes to push a change through the vault's TimelockController. */
export interface TimelockAdmin {
  timelock: string;
  /** Holds PROPOSER_ROLE; execution is open to anyone. */
  proposer: Signer;
  /** Network helpers' clock: the delay has to pass between schedule and execute. */
  time: { increase(seconds: number | bigint): Promise<number> };
}

export interface AdminCall {
  target: string;
  data: string;
}

/**
 * Runs admin calls the only way the vault allows: scheduled on the timelock, the delay waited out, then
 * executed. Several calls go in one batch so a test waits the 48 h once.
 */
export async function executeAsAdmin(admin: TimelockAdmin, ...calls: AdminCall[]): Promise<ContractTransactionReceipt> {
  const timelock = TimelockController__factory.connect(admin.timelock, admin.proposer);
  const targets = calls.map((c) => c.target);
  const payloads = calls.map((c) => c.data);
  const values = calls.map(() => 0n);
  const salt = hexlify(randomBytes(32));
  const delay = await timelock.getMinDelay();
  await (await timelock.scheduleBatch(targets, values, payloads, ZeroHash, salt, delay)).wait();
  await admin.time.increase(delay);
  const receipt = await (await timelock.executeBatch(targets, values, payloads, ZeroHash, salt)).wait();
  if (receipt === null) throw new Error("executeAsAdmin: no receipt");
  return receipt;
}
