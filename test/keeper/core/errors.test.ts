import { expect } from "chai";
import { describe, it } from "mocha";
import { InvalidInputError, KeeperError } from "../../../keeper/core/index.js";

describe("#KeeperError", () => {
  it("keeps the short message, the detail lines and the cause apart and together", () => {
    const cause = new Error("socket hang up");
    const error = new InvalidInputError("Bad config.", { details: ["N: 0", "buffer: 2"], cause });
    expect(error).to.be.instanceOf(KeeperError);
    expect(error.name).to.equal("InvalidInputError");
    expect(error.shortMessage).to.equal("Bad config.");
    expect(error.details).to.deep.equal(["N: 0", "buffer: 2"]);
    expect(error.cause).to.equal(cause);
    expect(error.message).to.equal("Bad config.\n  N: 0\n  buffer: 2\nCaused by: socket hang up");
  });
});
