// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {UniswapV3Adapter} from "../adapters/UniswapV3Adapter.sol";

/// @notice Benchmark-only variant of UniswapV3Adapter that gives the router a standing max approval the first
/// time a token is sold, so that `npm run bench:gas` can price the exact per-trade approval against it.
contract StandingApprovalUniswapV3Adapter is UniswapV3Adapter {
    using SafeERC20 for IERC20;

    constructor(address vault_, ISwapRouter swapRouter_, IUniswapV3Factory factory_)
        UniswapV3Adapter(vault_, swapRouter_, factory_)
    {}

    /// @dev A standing approval leaves nothing to measure a partial fill by; this variant only prices approvals.
    function _checkFilled(IERC20, uint256) internal pure override {}

    function _approveRouter(IERC20 token, uint256 amountIn) internal override {
        if (token.allowance(address(this), address(swapRouter)) < amountIn) {
            token.forceApprove(address(swapRouter), type(uint256).max);
        }
    }
}
