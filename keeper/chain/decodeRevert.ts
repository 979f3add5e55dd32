import type { Interface } from "ethers";
import { contractInterface } from "./contractInterface.js";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, TestStablecoin__factory, TimelockController__factory, UniswapV3Adapter__factory } from "../../types/ethers-contracts/index.js";

/** Every custom error the project's contracts (with OpenZeppelin's under them) can raise. */
const factories = [IndexVault__factory, IndexQueue__factory, OracleRouter__factory, UniswapV3Adapter__factory, TimelockController__factory, TestStablecoin__factory];

/**
 * Walks an error and the errors nested in it under `keys` (ethers, wallets and nodes nest them differently) and
 * returns the first value `visit` finds, or null.
 */
export function findInError<T>(error: unknown, keys: readonly string[], visit: (e: Record<string, unknown>) => T | null): T | null {
  const seen = new Set<unknown>();
  const stack = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const found = visit(e as Record<string, unknown>);
    if (found !== null) return found;
    for (const key of keys) stack.push((e as Record<string, unknown>)[key]);
  }
  return null;
}

/**
 * Whether a node's own error (a JSON-RPC error: numeric code, as the node sent it, nested in ethers' error or not)
 * says the call reverted: JSON-RPC code 3 ("execution reverted", with or without data: Hardhat, geth with data),
 * or a message that says so (geth's -32000 "execution reverted" for a revert without data, Besu's "Execution
 * reverted", Nethermind's "revert" data). ethers' own errors (string codes) are not read: its CALL_EXCEPTION
 * wraps every node error on eth_call, a revert or not, and its message says "missing revert data" either way.
 */
export function nodeSaidReverted(error: unknown): boolean {
  const said = ({ code, message, data }: Record<string, unknown>) =>
    typeof code === "number" && (code === 3 || [message, data].some((text) => typeof text === "string" && !text.startsWith("0x") && /revert/i.test(text))) ? true : null;
  return findInError(error, ["error", "info", "cause", "data"], said) ?? false;
}

/** The revert data inside an ethers, wallet or node error (it nests them differently), if any. */
export function revertData(error: unknown): string | null {
  return findInError(error, ["data", "error", "info", "cause", "revert"], ({ data }) => (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data) ? data : null));
}

/**
 * A custom error decoded with the project's ABIs: its name and `Name(arg, ...)`; null when no ABI knows the selector.
 * A `bytes` argument holding another contract's revert (IndexVaultPermitFailed's `reason`) is decoded in place.
 */
export function decodeRevert(data: string): { name: string; text: string } | null {
  for (const iface of factories.map((f) => contractInterface<Interface>(f))) {
    try {
      const parsed = iface.parseError(data);
      if (parsed === null) continue;
      const args = parsed.args.map((a: unknown, i: number) => (parsed.fragment.inputs[i]?.type === "bytes" && typeof a === "string" ? (decodeRevert(a)?.text ?? a) : String(a)));
      return { name: parsed.name, text: `${parsed.name}(${args.join(", ")})` };
    } catch {
      // Not this contract's error.
    }
  }
  return null;
}
