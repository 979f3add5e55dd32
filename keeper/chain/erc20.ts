import type { ContractRunner } from "ethers";
import { IERC20Metadata__factory, type IERC20Metadata } from "../../types/ethers-contracts/index.js";

/** Any ERC-20 (ours or not) through OpenZeppelin's IERC20Metadata, typed from its compiled ABI. */
export function erc20(address: string, runner: ContractRunner): IERC20Metadata {
  return IERC20Metadata__factory.connect(address, runner);
}
