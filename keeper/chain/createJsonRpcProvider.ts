import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { FetchRequest, JsonRpcProvider } from "ethers";

export interface CreateJsonRpcProviderParameters {
  url: string;
  /** Known chain id: skips the network detection round trip and never re-checks it. */
  chainId?: number;
  pollingIntervalMs?: number;
}

/**
 * An ethers JSON-RPC provider tuned for a keeper: a keep-alive connection, and no 10 ms batching stall per
 * request (ethers' default), which made every call against a local node cost ~12 ms instead of ~1.5 ms and
 * dominated a rebalance's or a deployment's wall time. Requests issued together (a Promise.all of reads)
 * still go out as one JSON-RPC batch.
 */
export function createJsonRpcProvider({ url, chainId, pollingIntervalMs = 250 }: CreateJsonRpcProviderParameters): JsonRpcProvider {
  const request = new FetchRequest(url);
  const agent = url.startsWith("https:") ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const getUrl = FetchRequest.createGetUrlFunc({ agent });
  // A keep-alive socket that the node closed while it sat idle fails at once ("socket hang up"): the request never
  // reached the node, so it is sent again, once, on a fresh socket. Without this a daemon's job failed for a day.
  request.getUrlFunc = async (req, signal) => {
    try {
      return await getUrl(req, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") throw error;
      return getUrl(req, signal);
    }
  };
  return new JsonRpcProvider(request, chainId, { staticNetwork: chainId !== undefined, cacheTimeout: -1, pollingInterval: pollingIntervalMs, batchStallTime: 0, batchMaxCount: 200 });
}
