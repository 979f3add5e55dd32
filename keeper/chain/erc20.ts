import { Contract, type ContractRunner } from "ethers";

/** The ERC-20 reads the keeper needs (decimals, symbol, balances) on any token, ours or not. */
export const ERC20_ABI = [
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function balanceOf(address) view returns (uint256)",
] as const;

export function erc20(address: string, runner: ContractRunner): Contract {
  return new Contract(address, ERC20_ABI, runner);
}
