import { expect } from "chai";

/**
 * Float closeness. Chai's own closeTo is replaced by Hardhat's matchers with a bigint-only version once they
 * load (in a full `npm test` run), so the keeper's float maths use this instead.
 */
export function expectNear(actual: number, expected: number, tolerance: number, message?: string): void {
  expect(Math.abs(actual - expected), message ?? `${actual} is not within ${tolerance} of ${expected}`).to.be.at.most(tolerance);
}
