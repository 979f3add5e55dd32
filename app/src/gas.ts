import { useEffect, useState } from "preact/hooks";
import type { Provider } from "ethers";
import { formatEth, formatNumber } from "../../keeper/core/index.js";
import { readGasPriceWei } from "../../keeper/chain/readGasPriceWei.js";
import { explainError } from "./errors.js";

/** A transaction as the wallet would send it, for the node to estimate. */
export interface GasRequest {
  from: string;
  to: string;
  data: string;
}

/**
 * The gas a transaction would use and its cost at the node's current gas price, in words, before the wallet
 * opens; when the node cannot estimate it (the call would revert), the decoded reason instead.
 */
export async function gasText(provider: Provider, request: GasRequest): Promise<string> {
  try {
    // One round trip, not two: the price is read beside the estimate.
    const [gas, price] = await Promise.all([provider.estimateGas(request), readGasPriceWei(provider)]);
    return `${formatNumber(Number(gas), 0)} gas (≈ ${formatEth(gas * price)} ETH)`;
  } catch (e) {
    return `not estimable: ${explainError(e)}`;
  }
}

/**
 * `gasText` of `request`, read again on each new block; null until the first answer for this request (an
 * answer for an earlier request is never shown for a later one).
 */
export function useGasText(provider: Provider, request: GasRequest | null, blockNumber: number | null): string | null {
  const key = request === null ? null : `${request.from}:${request.to}:${request.data}`;
  const [answer, setAnswer] = useState<{ key: string; text: string } | null>(null);
  useEffect(() => {
    if (request === null || key === null) return;
    let live = true;
    void gasText(provider, request).then((text) => live && setAnswer({ key, text }));
    return () => {
      live = false;
    };
  }, [key, blockNumber]);
  return answer !== null && answer.key === key ? answer.text : null;
}
