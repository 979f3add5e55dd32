import { InvalidInputError } from "../errors.js";
import type { RegimeState } from "./types.js";

/** The vault's `Regime` enum (IIndexVault): Bull = 0, Bear = 1. */
const CODES: Readonly<Record<RegimeState, 0 | 1>> = Object.freeze({ bull: 0, bear: 1 });

/** The uint8 the vault stores and emits for a regime. */
export function regimeCode(state: RegimeState): 0 | 1 {
  return CODES[state];
}

/** The regime a vault's uint8 (a view's return or an event's argument) stands for. */
export function regimeFromCode(code: bigint | number): RegimeState {
  const n = Number(code);
  if (n === CODES.bull) return "bull";
  if (n === CODES.bear) return "bear";
  throw new InvalidInputError(`regime code ${n} is neither Bull (0) nor Bear (1)`);
}
