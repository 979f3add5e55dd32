// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FeeLib} from "../libraries/FeeLib.sol";

/// @notice Exposes FeeLib.
contract FeeLibHarness {
    function feeOnNetUp(uint256 net, uint256 feeBps) external pure returns (uint256) {
        return FeeLib.feeOnNetUp(net, feeBps);
    }

    function feeOnGrossUp(uint256 gross, uint256 feeBps) external pure returns (uint256) {
        return FeeLib.feeOnGrossUp(gross, feeBps);
    }

    function managementFeeSharesDown(uint256 supply, uint256 feeBps, uint256 elapsed) external pure returns (uint256) {
        return FeeLib.managementFeeSharesDown(supply, feeBps, elapsed);
    }
}
