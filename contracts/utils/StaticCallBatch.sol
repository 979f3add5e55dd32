// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title StaticCallBatch
/// @notice Never deployed: a reader sends this contract's creation code, with its calls as constructor
/// arguments, in a single eth_call (no `to`), and gets every call's outcome back. One round trip and one
/// EVM run replace hundreds of eth_calls (a 100-token vault takes about 500 reads), on any node, without a
/// multicall contract deployed on the chain.
/// @dev The results leave as the creation code's return data (what would be the deployed code), so they are
/// capped at 24,576 bytes (EIP-170) and a reader keeps each batch under it. Not through a revert: revert data has
/// no cap, but a node that explains every failing eth_call (Hardhat replays it for a Solidity stack trace) then
/// spends longer on one batch than on its calls sent separately. The constructor changes no state.
contract StaticCallBatch {
    /// @notice One read: a view function's calldata for `target`.
    struct Call {
        address target;
        bytes data;
    }

    /// @notice One read's outcome: its return data, or its revert data when `success` is false.
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @param calls The reads, each made with STATICCALL; the creation returns `abi.encode(Result[])`.
    constructor(Call[] memory calls) {
        Result[] memory results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (results[i].success, results[i].returnData) = calls[i].target.staticcall(calls[i].data);
        }
        bytes memory encoded = abi.encode(results);
        assembly ("memory-safe") {
            return(add(encoded, 32), mload(encoded))
        }
    }
}
