import { expect } from "chai";
import { Contract, getAddress } from "ethers";
import { ethers } from "../../fixtures.js";
import { oneLineError } from "../../../keeper/cli/oneLineError.js";
import { OracleRouter__factory } from "../../../types/ethers-contracts/index.js";

describe("oneLineError: what the keeper and the scripts print for an error they did not anticipate", function () {
  it("names a custom error that the caller's ABI does not know, decoded with the project's ABIs, in one line", async function () {
    const [deployer] = await ethers.getSigners();
    const oracle = await new OracleRouter__factory(deployer).deploy(deployer.address, deployer.address);
    const token = getAddress("0x00000000000000000000000000000000000000aa");
    // A caller with a bare ABI (a script, another contract's interface): ethers cannot name the error itself.
    const bare = new Contract(await oracle.getAddress(), ["function unitPriceUsd36(address) view returns (uint256)"], ethers.provider);
    const error = await bare.getFunction("unitPriceUsd36")(token).then(
      () => expect.fail("unitPriceUsd36 of a token without a source must revert"),
      (e: unknown) => e,
    );
    expect(oneLineError(error)).to.equal(`execution reverted: OracleRouterNoSource(${token})`);
  });

  it("gives anything else as its name, its message's first line and where it was thrown, never the stack", function () {
    let error: unknown;
    try {
      JSON.parse("{ not json");
    } catch (e) {
      error = e;
    }
    expect(oneLineError(error)).to.match(/^SyntaxError: .*JSON.* \(at test\/keeper\/cli\/oneLineError\.test\.ts:\d+\)$/);
    expect(oneLineError(new Error("first line\nsecond line"))).to.match(/^first line \(at test\/keeper\/cli\/oneLineError\.test\.ts:\d+\)$/);
    expect(oneLineError("a string")).to.equal("a string");
  });
});
