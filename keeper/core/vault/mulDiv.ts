import { InvalidInputError } from "../errors.js";

const UINT256_MAX = 2n ** 256n - 1n;

/**
 * OpenZeppelin's Math.mulDiv: floor (or ceil) of a x b / c at full precision, for uint256 inputs. Like the
 * Solidity function it refuses a zero divisor and a result that does not fit in 256 bits.
 */
export function mulDiv(a: bigint, b: bigint, c: bigint, rounding: "floor" | "ceil" = "floor"): bigint {
  for (const [name, v] of [["a", a], ["b", b], ["c", c]] as const) {
    if (v < 0n || v > UINT256_MAX) throw new InvalidInputError("mulDiv takes uint256 values.", { details: `${name}: ${v}` });
  }
  if (c === 0n) throw new InvalidInputError("mulDiv by zero.");
  const product = a * b;
  const result = product / c + (rounding === "ceil" && product % c !== 0n ? 1n : 0n);
  if (result > UINT256_MAX) throw new InvalidInputError("mulDiv result does not fit in uint256.", { details: `${a} x ${b} / ${c}` });
  return result;
}
