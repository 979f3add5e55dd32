// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BoundedTokenCallLib
/// @notice ERC-20 balanceOf and transfer calls that can neither revert the caller nor eat its gas: each runs
/// with a fixed gas cap and reports failure instead. For the paths one hostile constituent must not block:
/// valuation and in-kind exits.
/// @dev The caps sit far above what real tokens use (a proxied stablecoin's balanceOf costs under 10k gas,
/// its transfer under 70k; an ERC-777-style hook a few tens of thousands more) and bound a hostile token's
/// cost per call. A token that needs more is treated as failing, which the callers handle.
library BoundedTokenCallLib {
    /// @notice Gas cap of one balanceOf call.
    uint256 internal constant BALANCE_GAS = 50_000;
    /// @notice Gas cap of one transfer call.
    uint256 internal constant TRANSFER_GAS = 200_000;

    /// @notice `token.balanceOf(account)`, or ok = false if it reverts, runs out of its gas cap, answers
    /// something other than one word, or answers 2^128 or more (no real balance is that large, and summed into a
    /// NAV it could overflow and revert the vault's max* views, which must not revert).
    function tryBalanceOf(address token, address account) internal view returns (bool ok, uint256 amount) {
        bytes memory data = abi.encodeCall(IBalanceOf.balanceOf, (account));
        assembly ("memory-safe") {
            ok := staticcall(BALANCE_GAS, token, add(data, 0x20), mload(data), 0, 0x20)
            // A call to an address without code succeeds with no return data: that is not a balance.
            ok := and(ok, eq(returndatasize(), 0x20))
            amount := mload(0)
            ok := and(ok, iszero(shr(128, amount)))
        }
        if (!ok) amount = 0;
    }

    /// @notice `token.transfer(to, amount)`, true only if it succeeded within its gas cap and returned true or
    /// nothing (from a contract), as OpenZeppelin's SafeERC20 accepts.
    function tryTransfer(address token, address to, uint256 amount) internal returns (bool ok) {
        bytes memory data = abi.encodeCall(ITransfer.transfer, (to, amount));
        uint256 returnSize;
        uint256 returnValue;
        assembly ("memory-safe") {
            ok := call(TRANSFER_GAS, token, 0, add(data, 0x20), mload(data), 0, 0x20)
            returnSize := returndatasize()
            returnValue := mload(0)
        }
        if (!ok) return false;
        return returnSize == 0 ? token.code.length > 0 : returnSize >= 32 && returnValue == 1;
    }
}

interface IBalanceOf {
    function balanceOf(address account) external view returns (uint256);
}

interface ITransfer {
    function transfer(address to, uint256 amount) external returns (bool);
}
