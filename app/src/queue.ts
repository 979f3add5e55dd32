import { readQueue, type QueueAccount, type QueueState } from "../../keeper/chain/readQueue.js";
import type { Chain } from "./chain.js";

/** The queue as the app shows it: the window open now and the connected account's requests. */
export type QueuePosition = QueueState & { account: QueueAccount };

/**
 * The account's pending and claimable requests, read with the keeper's reader; only the current window's totals
 * (the app shows the account's requests, not the keeper's backlog). Null when the deployment has no queue.
 */
export async function readQueuePosition(chain: Chain, account: string): Promise<QueuePosition | null> {
  if (chain.config.queue === null) return null;
  const state = await readQueue({ runner: chain.provider, queue: chain.config.queue, account, lookbackWindows: 0n });
  return { ...state, account: state.account! };
}
