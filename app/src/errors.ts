import { isError, isHexString } from "ethers";
import { decodeRevert, nodeSaidReverted, revertData } from "../../keeper/chain/decodeRevert.js";

/** Plain words for the errors a depositor meets; the decoded name and arguments follow them. */
const PLAIN: Record<string, string> = {
  IndexVaultDepositsPaused: "Deposits are paused by the guardian. Redeeming in kind still works.",
  IndexVaultPermitFailed: "The stablecoin refused the permit (expired, or not signed for this amount by this account) and the vault is not approved: nothing happened. Try again.",
  IndexVaultSharesBelowMin: "The vault would mint fewer shares than your minimum (the price moved): nothing happened. Raise the slippage or try again.",
  IndexVaultAssetsBelowMin: "The redemption would pay less than your minimum (the price moved): nothing happened.",
  IndexVaultInsufficientCash: "The vault does not hold enough cash for this redemption right now: redeem less, or redeem in kind.",
  IndexVaultAmountBelowMin: "A token would arrive below your minimum: nothing happened.",
  OracleRouterStalePrice: "A price source is stale, so deposits and cash redemptions wait for it: redeeming in kind still works.",
  OracleRouterFeedReverted: "A price source is down, so deposits and cash redemptions wait for it: redeeming in kind still works.",
  IndexVaultStaleBatch: "Another keeper transaction landed first: this batch was planned from an older state and changed nothing.",
  IndexQueueCutOffPassed: "The window's cut-off has passed: the request stands until it is settled, then claim it.",
  IndexQueueEarlierRequestPending: "A request of yours from two or more windows ago is still pending: its settlement is late. Anyone may settle it after the grace period (then claim it); a redemption left short of cash can be cancelled.",
  IndexQueueNothingPending: "There is no pending request to cancel.",
  IndexQueueExceedsClaimable: "That is more than is claimable now.",
  ERC20InsufficientBalance: "Your balance is too small for this amount.",
  ERC20InsufficientAllowance: "The vault is not approved for this amount yet: approve first.",
  ERC4626ExceededMaxDeposit: "The amount is above what this account may deposit.",
  ERC4626ExceededMaxRedeem: "You do not hold that many shares.",
};

/** Whether the person declined the request in their wallet (EIP-1193's 4001, or ethers' ACTION_REJECTED). */
export function isRejection(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const nested = (error as { error?: { code?: unknown }; info?: { error?: { code?: unknown } } }) ?? {};
  return code === 4001 || code === "ACTION_REJECTED" || nested.error?.code === 4001 || nested.info?.error?.code === 4001;
}

/** A sentence a person understands, for any failure of a wallet request, a call or a transaction. */
export function explainError(error: unknown, rpcUrl?: string): string {
  const code = (error as { code?: unknown })?.code;
  if (isRejection(error)) return "You rejected the request in your wallet: nothing was sent.";
  if (code === 4100) return "The wallet has not authorised this site: connect it first.";
  if (code === 4902) return "The wallet does not know this network yet.";
  const data = revertData(error);
  if (data !== null) {
    const decoded = decodeRevert(data);
    if (decoded !== null) return `${PLAIN[decoded.name] ?? "The contract refused the transaction."} (${decoded.text})`;
    return `The contract refused the transaction with an error none of the project's ABIs knows (${data.slice(0, 10)}).`;
  }
  if (isError(error, "INSUFFICIENT_FUNDS")) return "Your account has too little ETH to pay for gas.";
  if (isError(error, "NETWORK_ERROR") || isError(error, "TIMEOUT") || /fetch|ECONNREFUSED|Failed to fetch|network/i.test(String((error as Error)?.message))) {
    return `The chain's RPC${rpcUrl === undefined ? "" : ` (${rpcUrl})`} is unreachable: check your connection or the node, then try again.`;
  }
  if (isError(error, "CALL_EXCEPTION")) {
    // ethers reports every node error on eth_call and eth_estimateGas this way ("missing revert data"), a revert
    // or not: the node's own words tell them apart.
    const node = (error as { info?: { error?: { message?: unknown } } }).info?.error?.message;
    if (typeof node === "string" && !nodeSaidReverted(error) && !isHexString(error.data)) {
      return `The chain's RPC${rpcUrl === undefined ? "" : ` (${rpcUrl})`} answered with an error of its own ("${node}"), so nothing was read or sent: try again in a moment.`;
    }
    return "The contract refused it without giving a reason (a revert with no error data).";
  }
  const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? (error as Error)?.message ?? String(error);
  return message.split("\n")[0]!;
}
