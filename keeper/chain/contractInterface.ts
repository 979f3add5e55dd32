import type { Interface } from "ethers";

const parsed = new WeakMap<object, Interface>();

/**
 * A typechain factory's Interface, parsed on first use and then shared: parsing IndexVault's ABI takes ~50 ms, and
 * a browser paid it once per module that made its own at load (and once more per Contract), before its first read.
 */
export function contractInterface<I extends Interface>(factory: { createInterface(): I }): I {
  if (!parsed.has(factory)) parsed.set(factory, factory.createInterface());
  return parsed.get(factory) as I;
}
