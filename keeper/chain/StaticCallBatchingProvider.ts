import { AbiCoder, concat, JsonRpcProvider, type JsonRpcApiProviderOptions, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult, type Networkish } from "ethers";
import { StaticCallBatch__factory } from "../../types/ethers-contracts/index.js";

const batchInterface = StaticCallBatch__factory.createInterface();
const RESULTS_TYPE = ["tuple(bool success, bytes returnData)[]"];
/**
 * Reads per fold: the results come back as creation code's return data, capped at 24,576 bytes (EIP-170); a
 * one-word answer takes 160 of them, and 64 leave room for a few arrays (a 100-token vault's registered assets
 * or prices, 3.3 kB each). A fold that passes the cap anyway is refused and sent again in halves.
 */
const MAX_FOLD_READS = 64;
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

/** A fold's outcomes from its eth_call's answer, or null when the node refused it. */
function foldResults(response: JsonRpcResult | JsonRpcError | undefined): [boolean, string][] | null {
  if (response === undefined || "error" in response || typeof response.result !== "string") return null;
  try {
    return AbiCoder.defaultAbiCoder().decode(RESULTS_TYPE, response.result)[0] as [boolean, string][];
  } catch {
    return null;
  }
}

/**
 * A JSON-RPC provider that folds the plain eth_calls of each JSON-RPC batch (ethers groups the requests issued
 * together) into eth_calls of StaticCallBatch's creation code, one per block tag and up to MAX_FOLD_READS reads
 * (fewer when the creation code would pass EIP-3860's size limit). Each read still resolves or rejects on its
 * own, with its own return or revert data, so callers (typechain contracts, the keeper's readers) are unchanged.
 * A batch the node refuses (over its eth_call gas cap, its answer over EIP-170's cap, or no state) is sent again
 * in two halves, in one request, and a half refused again as separate calls.
 */
export class StaticCallBatchingProvider extends JsonRpcProvider {
  private batchCount = 0;
  private readonly unfolded: ReadonlySet<string>;

  /**
   * `unfolded`: 4-byte selectors of functions that are called like reads but are not views, so cannot run inside
   * the fold's static calls; they go as plain eth_calls (Uniswap QuoterV2's quotes, which simulate a swap).
   */
  constructor(url?: ConstructorParameters<typeof JsonRpcProvider>[0], network?: Networkish, options?: JsonRpcApiProviderOptions, { unfolded = [] }: { unfolded?: readonly string[] } = {}) {
    super(url, network, options);
    this.unfolded = new Set(unfolded.map((selector) => selector.toLowerCase()));
  }

  // ethers types the node's answers as results, though an answer may be an error (it checks "error" in each).
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    return this.sendFolded(Array.isArray(payload) ? payload : [payload], MAX_FOLD_READS);
  }

  /** Sends `payloads` in one request, the plain eth_calls of each block tag folded in eth_calls of at most `maxFold` reads. */
  private async sendFolded(payloads: JsonRpcPayload[], maxFold: number): Promise<JsonRpcResult[]> {
    const byBlock = new Map<string, JsonRpcPayload[]>();
    const others: JsonRpcPayload[] = [];
    for (const p of payloads) {
      const blockTag = readBlockTag(p);
      if (blockTag === null || this.unfolded.has((p.params as [{ data: string }])[0].data.slice(0, 10).toLowerCase())) others.push(p);
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
      const outcomes = foldResults(responses.find((r) => (r.id as unknown) === batch.id));
      if (outcomes === null || outcomes.length !== batch.calls.length) {
        refused.push(batch.calls);
        continue;
      }
      batch.calls.forEach((call, i) => {
        const [success, returnData] = outcomes[i]!;
        results.push(success ? { id: call.id, result: returnData } : { id: call.id, error: { code: 3, message: "execution reverted", data: returnData } });
      });
    }
    if (refused.length > 0) {
      // Halves once (an eth_call over the node's gas cap), then separate calls (a node that refuses any fold).
      const largest = Math.max(...refused.map((calls) => calls.length));
      results.push(...(await this.sendFolded(refused.flat(), maxFold === MAX_FOLD_READS ? Math.ceil(largest / 2) : 1)));
    }
    return results as JsonRpcResult[];
  }
}
