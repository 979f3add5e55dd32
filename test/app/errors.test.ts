import { expect } from "chai";
import { JsonRpcProvider, Network, makeError, type JsonRpcError } from "ethers";
import { explainError } from "../../app/src/errors.js";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";

const RPC = "http://127.0.0.1:8545";

describe("app error messages (explainError)", function () {
  // The errors ethers' JsonRpcProvider (the app's read side) makes of a node's error answers.
  const rpc = new JsonRpcProvider(RPC, Network.from(31337), { staticNetwork: true });
  after(() => rpc.destroy());
  const nodeAnswers = (method: "eth_call" | "eth_estimateGas", error: JsonRpcError["error"]) =>
    rpc.getRpcError({ method, params: [{ to: "0x" + "11".repeat(20), data: "0x3644e515" }, "latest"], id: 1, jsonrpc: "2.0" }, { id: 1, error });

  it("says a node's own error on a read is the RPC's, in a sentence, not ethers' 'missing revert data'", function () {
    for (const method of ["eth_call", "eth_estimateGas"] as const) {
      const text = explainError(nodeAnswers(method, { code: -32000, message: "header not found" }), RPC);
      expect(text).to.equal(`The chain's RPC (${RPC}) answered with an error of its own ("header not found"), so nothing was read or sent: try again in a moment.`);
    }
  });

  it("says a revert without error data is the contract's refusal, without a reason", function () {
    const expected = "The contract refused it without giving a reason (a revert with no error data).";
    expect(explainError(nodeAnswers("eth_call", { code: -32000, message: "execution reverted" }), RPC)).to.equal(expected);
    expect(explainError(nodeAnswers("eth_estimateGas", { code: 3, message: "execution reverted", data: "0x" }), RPC)).to.equal(expected);
    // A wallet's wrapping: JSON-RPC's -32603 "Internal JSON-RPC error." with the node's revert nested under data.
    expect(explainError(nodeAnswers("eth_estimateGas", { code: -32603, message: "Internal JSON-RPC error.", data: { code: 3, message: "execution reverted" } }), RPC)).to.equal(expected);
  });

  it("still decodes a custom error by name, and says an unreachable RPC is unreachable", function () {
    const data = IndexVault__factory.createInterface().encodeErrorResult("IndexVaultDepositsPaused", []);
    expect(explainError(nodeAnswers("eth_call", { code: 3, message: "execution reverted", data }), RPC)).to.equal(
      "Deposits are paused by the guardian. Redeeming in kind still works. (IndexVaultDepositsPaused())",
    );
    expect(explainError(makeError("request timeout", "TIMEOUT", { operation: "call", reason: "timeout" }), RPC)).to.equal(`The chain's RPC (${RPC}) is unreachable: check your connection or the node, then try again.`);
  });
});
