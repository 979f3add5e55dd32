import { isError, type BlockTag, type ContractRunner, type Interface, type Result } from "ethers";
import { StaticCallBatchingProvider, type ReadOutcome } from "./StaticCallBatchingProvider.js";

/** One view function call, encoded, with the interface that decodes its answer. */
export interface ViewCall {
  to: string;
  data: string;
  contract: Interface;
  name: string;
}

export function viewCall(contract: Interface, to: string, name: string, args: readonly unknown[] = []): ViewCall {
  return { to, data: contract.encodeFunctionData(name, args), contract, name };
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
                throw error;
              },
            ),
          ),
        );
  return outcomes.map((o, i) => {
    const { contract, name, to, data } = calls[i]!;
    if (!o.success) return contract.makeError(o.returnData, { to, data });
    try {
      return contract.decodeFunctionResult(name, o.returnData);
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
