import type { ContractRunner } from "ethers";
import { IERC20Metadata__factory, type IERC20Metadata } from "../../types/ethers-contracts/index.js";

/** One contract object per runner and token: building one (a proxy over every ABI fragment) costs more than a read. */
const contracts = new WeakMap<ContractRunner, Map<string, IERC20Metadata>>();

/** Any ERC-20 (ours or not) through OpenZeppelin's IERC20Metadata, typed from its compiled ABI. */
export function erc20(address: string, runner: ContractRunner): IERC20Metadata {
  if (!contracts.has(runner)) contracts.set(runner, new Map());
  const byAddress = contracts.get(runner)!;
  const key = address.toLowerCase();
  if (!byAddress.has(key)) byAddress.set(key, IERC20Metadata__factory.connect(address, runner));
  return byAddress.get(key)!;
}
