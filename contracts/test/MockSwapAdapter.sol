// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";

/// @notice Test-only adapter that "swaps" at a rate the test sets, paying tokenOut from its own pre-funded
/// balance and keeping tokenIn. It can under-deliver (pay less than it reports) to test the vault's
/// balance-change check.
contract MockSwapAdapter is ISwapAdapter {
    /// @notice tokenOut base units paid per tokenIn base unit, scaled by 1e18, per (tokenIn, tokenOut).
    mapping(address => mapping(address => uint256)) public rateX18;
    /// @notice Fraction (bps) of the computed output actually delivered.
    uint256 public deliverBps = 10_000;

    function setRate(address tokenIn, address tokenOut, uint256 rateX18_) external {
        rateX18[tokenIn][tokenOut] = rateX18_;
    }

    function setDeliverBps(uint256 bps) external {
        deliverBps = bps;
    }

    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256, bytes calldata)
        external
        returns (uint256 amountOut)
    {
        require(IERC20(tokenIn).balanceOf(address(this)) >= amountIn, "not funded");
        amountOut = amountIn * rateX18[tokenIn][tokenOut] / 1e18;
        IERC20(tokenOut).transfer(msg.sender, amountOut * deliverBps / 10_000);
    }
}
