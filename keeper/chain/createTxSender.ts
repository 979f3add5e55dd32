import type { Provider, Signer, TransactionReceipt, TransactionRequest } from "ethers";
import { KeeperError } from "../core/index.js";

export class GasPriceAboveCapError extends KeeperError {
  override name = "GasPriceAboveCapError";
}
export class TransactionRevertedError extends KeeperError {
  override name = "TransactionRevertedError";
}
export class TransactionTimeoutError extends KeeperError {
  override name = "TransactionTimeoutError";
}

export interface TxSender {
  readonly address: string;
  /** Fills in nonce, gas and capped fees, sends, and waits for the configured confirmations. */
  send(tx: TransactionRequest, label: string): Promise<TransactionReceipt>;
  /** Waits until no transaction of this sender is pending (a previous run's, or another instance's). */
  waitForPending(timeoutMs?: number): Promise<void>;
}

export interface CreateTxSenderParameters {
  signer: Signer;
  /** Reads, estimates and receipts. */
  provider: Provider;
  /** Where signed transactions are broadcast, e.g. a private-order-flow endpoint; default: `provider`. */
  sendProvider?: Provider;
  /** The most this sender pays per gas; it refuses to send while the base fee is above it. */
  maxFeePerGasWei?: bigint;
  maxPriorityFeePerGasWei?: bigint;
  confirmations?: number;
  timeoutMs?: number;
}

/**
 * Sends the keeper's transactions: the signer signs, the (optional) send provider broadcasts, the read
 * provider confirms. Fees are capped; nonces come from the chain's pending count, so a restarted keeper
 * continues where the last one stopped.
 */
export async function createTxSender({ signer, provider, sendProvider, maxFeePerGasWei, maxPriorityFeePerGasWei, confirmations = 1, timeoutMs = 180_000 }: CreateTxSenderParameters): Promise<TxSender> {
  const address = await signer.getAddress();
  return {
    address,
    async send(tx, label) {
      // Another instance sharing this key may take the nonce we were given: sign again with the next one. The
      // transaction's own guards (the vault's batch sequence, the committed epoch) then refuse it if the other
      // instance's transaction made it stale.
      for (let attempt = 0; ; attempt++) {
        try {
          return await sendOnce(tx, label);
        } catch (error) {
          if (attempt >= NONCE_RETRIES || !isNonceTaken(error)) throw error;
        }
      }
    },
    async waitForPending(waitMs = timeoutMs) {
      const deadline = Date.now() + waitMs;
      while ((await provider.getTransactionCount(address, "pending")) > (await provider.getTransactionCount(address, "latest"))) {
        if (Date.now() > deadline) throw new TransactionTimeoutError(`transactions of ${address} are still pending after ${waitMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    },
  };

  async function sendOnce(tx: TransactionRequest, label: string): Promise<TransactionReceipt> {
    const populated = await signer.populateTransaction({ ...tx, from: address });
    if (maxFeePerGasWei !== undefined) {
      const block = await provider.getBlock("latest");
      const baseFee = block?.baseFeePerGas ?? 0n;
      if (baseFee > maxFeePerGasWei) {
        throw new GasPriceAboveCapError(`${label}: base fee ${baseFee} wei is above the cap ${maxFeePerGasWei} wei; not sending`, {
          details: "Raise KEEPER_MAX_FEE_GWEI or wait for cheaper gas; nothing was sent.",
        });
      }
      if (populated.gasPrice != null && BigInt(populated.gasPrice) > maxFeePerGasWei) populated.gasPrice = maxFeePerGasWei;
      if (populated.gasPrice == null && (populated.maxFeePerGas == null || BigInt(populated.maxFeePerGas) > maxFeePerGasWei)) populated.maxFeePerGas = maxFeePerGasWei;
    }
    if (maxPriorityFeePerGasWei !== undefined && populated.maxPriorityFeePerGas != null && BigInt(populated.maxPriorityFeePerGas) > maxPriorityFeePerGasWei) {
      populated.maxPriorityFeePerGas = maxPriorityFeePerGasWei;
    }
    if (populated.maxFeePerGas != null && populated.maxPriorityFeePerGas != null && BigInt(populated.maxPriorityFeePerGas) > BigInt(populated.maxFeePerGas)) {
      populated.maxPriorityFeePerGas = populated.maxFeePerGas;
    }
    let hash: string;
    if (sendProvider !== undefined) {
      const signed = await signer.signTransaction(populated);
      hash = (await sendProvider.broadcastTransaction(signed)).hash;
    } else {
      hash = (await signer.sendTransaction(populated)).hash;
    }
    const receipt = await provider.waitForTransaction(hash, confirmations, timeoutMs);
    if (receipt === null) throw new TransactionTimeoutError(`${label}: ${hash} was not confirmed within ${timeoutMs / 1000} s`);
    if (receipt.status !== 1) throw new TransactionRevertedError(`${label}: transaction ${hash} reverted`, { details: `block ${receipt.blockNumber}, gas used ${receipt.gasUsed}` });
    return receipt;
  }
}

const NONCE_RETRIES = 3;

/** The node refused the nonce as used (or a same-nonce transaction as already pending): another sender with this key was first. */
function isNonceTaken(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "NONCE_EXPIRED" || code === "REPLACEMENT_UNDERPRICED" || /nonce (is )?too low|nonce has already been used|already known/i.test((error as Error).message ?? "");
}
