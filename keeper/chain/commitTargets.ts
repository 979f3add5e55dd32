import type { TransactionReceipt } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { regimeCode, type RegimeState } from "../core/index.js";
import type { TxSender } from "./createTxSender.js";

export interface CommitTargetsParameters {
  sender: TxSender;
  vault: string;
  epoch: bigint;
  regime: RegimeState;
  assets: readonly string[];
  weightsBps: readonly number[];
  /** keccak256 of the published snapshot the targets come from. */
  snapshotHash: string;
}

/** The keeper's commit transaction (IIndexVault.commitTargets), sent through the keeper's sender. */
export function commitTargets({ sender, vault, epoch, regime, assets, weightsBps, snapshotHash }: CommitTargetsParameters): Promise<TransactionReceipt> {
  const data = IndexVault__factory.createInterface().encodeFunctionData("commitTargets", [epoch, regimeCode(regime), [...assets], [...weightsBps], snapshotHash]);
  return sender.send({ to: vault, data }, `commitTargets(${epoch})`);
}
