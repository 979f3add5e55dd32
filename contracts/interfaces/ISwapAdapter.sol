// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ISwapAdapter
/// @notice A venue connector that the vault allowlists. The vault transfers exactly `amountIn` of `tokenIn`
/// to the adapter, then calls `swap`; the adapter must send at least `minAmountOut` of `tokenOut` to the
/// vault (msg.sender) and keep nothing. The vault measures what it received itself, so an adapter's return
/// value is informational only.
interface ISwapAdapter {
    /// @notice Swaps `amountIn` of `tokenIn`, already held by the adapter, into at least `minAmountOut` of
    /// `tokenOut`, delivered to the caller.
    /// @param data Venue-specific route, e.g. a Uniswap V3 packed path.
    /// @return amountOut What the venue reported as delivered.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, bytes calldata data)
        external
        returns (uint256 amountOut);
}
