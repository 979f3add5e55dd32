import type { Provider } from "ethers";

/** The node's gas price, or its max fee per gas on a chain that only quotes EIP-1559 fees: what gas is valued at. */
export async function readGasPriceWei(provider: Provider): Promise<bigint> {
  const fees = await provider.getFeeData();
  return fees.gasPrice ?? fees.maxFeePerGas ?? 0n;
}
