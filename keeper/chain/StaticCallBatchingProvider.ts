import { concat, JsonRpcProvider, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import { StaticCallBatch__factory } from "../../types/ethers-contracts/index.js";

const batchInterface = StaticCallBatch__factory.createInterface();
const RESULTS_SELECTOR = batchInterface.getError("StaticCallBatch__Results")!.selector;
/** EIP-3860's limit on creation code (2 x 24,576 bytes): a fold above it is refused whatever its gas. */
const MAX_INITCODE_BYTES = 49_152;
const BYTECODE_BYTES = (StaticCallBatch__factory.bytecode.length - 2) / 2;

/** Bytes one read adds to the creation code's ABI-encoded (address, bytes)[]: offset, target, data offset, length, padded data. */
function encodedBytes(call: JsonRpcPayload): number {
  const data = (call.params as [{ data: string }])[0].data;
  return 4 * 32 + Math.ceil((data.length - 2) / 2 / 32) * 32;
}

/** `calls` in runs of at most `maxFold` reads whose creation code stays under EIP-3860's limit. */
function chunks(calls: JsonRpcPayload[], maxFold: number): JsonRpcPayload[][] {
  const out: JsonRpcPayload[][] = [];
  let size = Infinity;
  for (const call of calls) {
    const bytes = encodedBytes(call);
    if (out.length === 0 || out.at(-1)!.length >= maxFold || size + bytes > MAX_INITCODE_BYTES) {
      out.push([]);
      size = BYTECODE_BYTES + 2 * 32;
    }
    out.at(-1)!.push(call);
    size += bytes;
  }
  return out;
}

/** The block a plain read (`to` and `data`, nothing else) is made at, or null for any other request. */
function readBlockTag(payload: JsonRpcPayload): string | null {
  if (payload.method !== "eth_call") return null;
  const [tx, blockTag = "latest", ...rest] = payload.params as [Record<string, unknown>, unknown?, ...unknown[]];
  if (rest.length > 0 || typeof tx !== "object" || tx === null || typeof tx.to !== "string" || typeof tx.data !== "string") return null;
  if (Object.keys(tx).some((key) => key !== "to" && key !== "data")) return null;
  return typeof blockTag === "string" ? blockTag : null;
}

/** The first hex string under an error's `data`, whatever shape the node nests it in. */
function revertData(value: unknown): string | null {
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value : null;
  if (typeof value !== "object" || value === null) return null;
  for (const nested of Object.values(value)) {
    const found = revertData(nested);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A JSON-RPC provider that folds the plain eth_calls of each JSON-RPC batch (ethers groups the requests issued
 * together) into one eth_call per block tag (more when the creation code would pass EIP-3860's size limit),
 * through StaticCallBatch's creation code. Each read still resolves
 * or rejects on its own, with its own return or revert data, so callers (typechain contracts, the keeper's
 * readers) are unchanged. A batch the node refuses (over its eth_call gas cap, or no state) is sent again in two
 * halves, in one request, and a half refused again as separate calls.
 */
export class StaticCallBatchingProvider extends JsonRpcProvider {
  private batchCount = 0;

  // ethers types the node's answers as results, though an answer may be an error (it checks "error" in each).
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    return this.sendFolded(Array.isArray(payload) ? payload : [payload], Infinity);
  }

  /** Sends `payloads` in one request, the plain eth_calls of each block tag folded in eth_calls of at most `maxFold` reads. */
  private async sendFolded(payloads: JsonRpcPayload[], maxFold: number): Promise<JsonRpcResult[]> {
    const byBlock = new Map<string, JsonRpcPayload[]>();
    const others: JsonRpcPayload[] = [];
    for (const p of payloads) {
      const blockTag = readBlockTag(p);
      if (blockTag === null) others.push(p);
      else byBlock.set(blockTag, [...(byBlock.get(blockTag) ?? []), p]);
    }
    const batches: { id: string; calls: JsonRpcPayload[]; request: JsonRpcPayload }[] = [];
    for (const [blockTag, all] of byBlock) {
      for (const calls of chunks(all, maxFold)) {
        if (calls.length === 1) {
          others.push(calls[0]!);
          continue;
        }
        const reads = calls.map((c) => (c.params as [{ to: string; data: string }])[0]);
        const data = concat([StaticCallBatch__factory.bytecode, batchInterface.encodeDeploy([reads.map((r) => ({ target: r.to, data: r.data }))])]);
        const id = `static-call-batch-${++this.batchCount}`;
        batches.push({ id, calls, request: { method: "eth_call", params: [{ data }, blockTag], id: id as unknown as number, jsonrpc: "2.0" } });
      }
    }
    if (batches.length === 0) return super._send(payloads);
    const sent = [...others, ...batches.map((b) => b.request)];
    const responses: (JsonRpcResult | JsonRpcError)[] = await super._send(sent);
    const results = responses.filter((r) => !batches.some((b) => (r.id as unknown) === b.id));
    const refused: JsonRpcPayload[][] = [];
    for (const batch of batches) {
      const response = responses.find((r) => (r.id as unknown) === batch.id);
      const data = response !== undefined && "error" in response ? revertData(response.error) : null;
      if (data === null || !data.startsWith(RESULTS_SELECTOR)) {
        refused.push(batch.calls);
        continue;
      }
      const [outcomes] = batchInterface.decodeErrorResult("StaticCallBatch__Results", data) as unknown as [[boolean, string][]];
      batch.calls.forEach((call, i) => {
        const [success, returnData] = outcomes[i]!;
        results.push(success ? { id: call.id, result: returnData } : { id: call.id, error: { code: 3, message: "execution reverted", data: returnData } });
      });
    }
    if (refused.length > 0) {
      // Halves once (an eth_call over the node's gas cap), then separate calls (a node that refuses any fold).
      const largest = Math.max(...refused.map((calls) => calls.length));
      results.push(...(await this.sendFolded(refused.flat(), maxFold === Infinity ? Math.ceil(largest / 2) : 1)));
    }
    return results as JsonRpcResult[];
  }
}
