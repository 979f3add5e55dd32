import { isError, Result, type BlockTag, type ContractRunner, type FunctionFragment, type Interface } from "ethers";
import { isOneWordType, word, wordValue } from "./abiWord.js";
import { revertData } from "./decodeRevert.js";
import { StaticCallBatchingProvider, type ReadOutcome } from "./StaticCallBatchingProvider.js";

/** One view function call, encoded, with the interface that decodes its answer. */
export interface ViewCall {
  to: string;
  data: string;
  contract: Interface;
  name: string;
}

interface Prepared {
  fragment: FunctionFragment;
  /** The output's type when the function returns one word (isOneWordType), else null. */
  oneWordOutput: string | null;
}

const prepared = new WeakMap<Interface, Map<string, Prepared>>();

/** A function's fragment, looked up once per interface and name (ethers scans the whole ABI for each lookup). */
function prepare(contract: Interface, name: string): Prepared {
  if (!prepared.has(contract)) prepared.set(contract, new Map());
  const byName = prepared.get(contract)!;
  let p = byName.get(name);
  if (p === undefined) {
    const fragment = contract.getFunction(name)!;
    const [output] = fragment.outputs;
    p = { fragment, oneWordOutput: fragment.outputs.length === 1 && isOneWordType(output!.type) ? output!.type : null };
    byName.set(name, p);
  }
  return p;
}

/** One read of `name` on `to`: arguments of one word each (addresses, unsigned integers) coded directly, others by ethers. */
export function viewCall(contract: Interface, to: string, name: string, args: readonly unknown[] = []): ViewCall {
  const { fragment } = prepare(contract, name);
  const words = fragment.inputs.length === args.length ? fragment.inputs.map((p, i) => word(p.type, args[i])) : [null];
  const data = words.every((w) => w !== null) ? fragment.selector + words.join("") : contract.encodeFunctionData(fragment, args);
  return { to, data, contract, name };
}

/**
 * Every call of `calls` at `blockTag`, each its decoded result or the error its revert decodes to (an ethers
 * CALL_EXCEPTION naming the custom error, as a Contract call would throw). Through a StaticCallBatchingProvider,
 * one request of folded reads and one ABI pass per answer; through any other runner, one eth_call each (ethers
 * batches those issued together). A node's own error (unreachable, no state at that block) throws.
 */
export async function readViews(runner: ContractRunner, blockTag: BlockTag, calls: readonly ViewCall[]): Promise<(Result | Error)[]> {
  const provider = runner.provider;
  if (provider === null) throw new Error("readViews: the runner has no provider");
  const outcomes: ReadOutcome[] =
    provider instanceof StaticCallBatchingProvider
      ? await provider.readCalls(calls, blockTag)
      : await Promise.all(
          calls.map((c) =>
            provider.call({ to: c.to, data: c.data, blockTag }).then(
              (returnData) => ({ success: true, returnData }),
              (error: unknown) => {
                if (isError(error, "CALL_EXCEPTION") && error.data !== null) return { success: false, returnData: error.data };
                // Hardhat's in-process provider throws its own error for a revert, with the revert data on it.
                const data = revertData(error);
                if (data !== null) return { success: false, returnData: data };
                throw error;
              },
            ),
          ),
        );
  return outcomes.map((o, i) => {
    const { contract, name, to, data } = calls[i]!;
    if (!o.success) return contract.makeError(o.returnData, { to, data });
    try {
      const { fragment, oneWordOutput } = prepare(contract, name);
      if (oneWordOutput !== null && o.returnData.length === 66) return Result.fromItems([wordValue(oneWordOutput, o.returnData.slice(2))], [fragment.outputs[0]!.name]);
      return contract.decodeFunctionResult(fragment, o.returnData);
    } catch (error) {
      return error as Error;
    }
  });
}

/** The first return value of a read by readViews, or its error thrown. */
export function firstValue<T>(outcome: Result | Error): T {
  if (outcome instanceof Error) throw outcome;
  return outcome[0] as T;
}
