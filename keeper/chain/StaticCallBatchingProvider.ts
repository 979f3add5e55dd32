import { isError, JsonRpcProvider, toQuantity, type BlockTag, type JsonRpcApiProviderOptions, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult, type Networkish } from "ethers";
import { StaticCallBatch__factory } from "../../types/ethers-contracts/index.js";

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

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The block a plain read (`to` and `data`, nothing else, well-formed hex) is made at, or null for any other request. */
function readBlockTag(payload: JsonRpcPayload): string | null {
  if (payload.method !== "eth_call") return null;
  const [tx, blockTag = "latest", ...rest] = payload.params as [Record<string, unknown>, unknown?, ...unknown[]];
  if (rest.length > 0 || typeof tx !== "object" || tx === null || typeof tx.to !== "string" || typeof tx.data !== "string") return null;
  if (Object.keys(tx).some((key) => key !== "to" && key !== "data") || !ADDRESS.test(tx.to) || !HEX_BYTES.test(tx.data)) return null;
  return typeof blockTag === "string" ? blockTag : null;
}

// StaticCallBatch's ABI (a constructor taking (address, bytes)[], returning (bool, bytes)[]) coded on hex text
// directly: ethers' AbiCoder builds an object per value and checksums every address, which for the ~500 reads of a
// 100-token vault cost more of a browser's main thread than all else the first render does.
const word = (value: number) => value.toString(16).padStart(64, "0");

/** A fold's eth_call data: the creation code, then abi.encode(Call[] calls). */
function foldData(reads: readonly { to: string; data: string }[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = 32 * reads.length;
  for (const { to, data } of reads) {
    const bytes = (data.length - 2) / 2;
    const tail = to.slice(2).padStart(64, "0") + word(64) + word(bytes) + data.slice(2).padEnd(Math.ceil(bytes / 32) * 64, "0");
    heads.push(word(offset));
    tails.push(tail);
    offset += tail.length / 2;
  }
  return StaticCallBatch__factory.bytecode + word(32) + word(reads.length) + heads.join("") + tails.join("");
}

/** A fold's outcomes from its eth_call's answer (abi.encode(Result[])), or null when the node refused it or the answer does not parse. */
function foldResults(response: JsonRpcResult | JsonRpcError | undefined): [boolean, string][] | null {
  if (response === undefined || "error" in response || typeof response.result !== "string" || !HEX_BYTES.test(response.result)) return null;
  const hex = response.result;
  const size = (hex.length - 2) / 2;
  // The word at byte `at` as a number, or NaN past the end or above any offset the answer can hold.
  const at = (byte: number): number => {
    if (!(byte >= 0 && byte + 32 <= size)) return NaN;
    const text = hex.slice(2 + 2 * byte, 66 + 2 * byte);
    return /^0{48}/.test(text) ? parseInt(text.slice(48), 16) : NaN;
  };
  if (at(0) !== 32) return null;
  const count = at(32);
  if (!(count >= 0 && 64 + 32 * count <= size)) return null;
  const outcomes: [boolean, string][] = [];
  for (let i = 0; i < count; i++) {
    const tuple = 64 + at(64 + 32 * i);
    const success = at(tuple);
    const data = tuple + at(tuple + 32);
    const length = at(data);
    if (!(success === 0 || success === 1) || !(data + 32 + length <= size)) return null;
    outcomes.push([success === 1, "0x" + hex.slice(2 + 2 * (data + 32), 2 + 2 * (data + 32 + length))]);
  }
  return outcomes;
}

/** A view call: the contract and its ABI-encoded calldata. */
export interface ReadCall {
  to: string;
  data: string;
}

/** A read's outcome: its return data, or its revert data when `success` is false. */
export interface ReadOutcome {
  success: boolean;
  returnData: string;
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

  /**
   * Reads `calls` at `blockTag` in one request, folded as `_send` folds a batch, without ethers' path for each
   * read: a Contract call is dozens of promise hops and object copies, so the ~500 reads of a 100-token vault
   * cost a browser's main thread about a second that way, and a few milliseconds this way. A revert is an
   * outcome (its revert data); a node's own error (unreachable, no state at that block) throws.
   */
  async readCalls(calls: readonly ReadCall[], blockTag: BlockTag): Promise<ReadOutcome[]> {
    const tag = typeof blockTag === "string" ? blockTag : toQuantity(blockTag);
    const payloads: JsonRpcPayload[] = calls.map((c, id) => ({ method: "eth_call", params: [{ to: c.to, data: c.data }, tag], id, jsonrpc: "2.0" }));
    const responses: (JsonRpcResult | JsonRpcError)[] = await this.sendFolded(payloads, MAX_FOLD_READS);
    const byId = new Map(responses.map((r) => [r.id, r]));
    const payloadIds = new Set(payloads.map((p) => p.id));
    return payloads.map((payload) => {
      const response = byId.get(payload.id);
      if (response === undefined) {
        // A node that refuses a whole batch answers with one error of its own (id null): say what it said.
        const refusal = responses.find((r): r is JsonRpcError => "error" in r && !payloadIds.has(r.id));
        throw new Error(`readCalls: the node did not answer read ${payload.id} of ${calls.length}${refusal === undefined ? "" : `: ${JSON.stringify(refusal.error)}`}`);
      }
      if ("result" in response) return { success: true, returnData: response.result as string };
      const error = this.getRpcError(payload, response);
      if (isError(error, "CALL_EXCEPTION") && error.data !== null) return { success: false, returnData: error.data };
      throw error;
    });
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
      else if (byBlock.has(blockTag)) byBlock.get(blockTag)!.push(p);
      else byBlock.set(blockTag, [p]);
    }
    const batches: { id: string; calls: JsonRpcPayload[]; request: JsonRpcPayload }[] = [];
    for (const [blockTag, all] of byBlock) {
      for (const calls of chunks(all, maxFold)) {
        if (calls.length === 1) {
          others.push(calls[0]!);
          continue;
        }
        const data = foldData(calls.map((c) => (c.params as [{ to: string; data: string }])[0]));
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
