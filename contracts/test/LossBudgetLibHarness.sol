// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LossBudgetLib} from "../libraries/LossBudgetLib.sol";

/// @notice Exposes LossBudgetLib, so its TypeScript twin is checked against it.
contract LossBudgetLibHarness {
    function bucketAt(uint256 nowTs, uint256 windowSeconds) external pure returns (uint256) {
        return LossBudgetLib.bucketAt(nowTs, windowSeconds);
    }

    function roll(uint256 ring, uint256 lastBucket, uint256 current) external pure returns (uint256) {
        return LossBudgetLib.roll(ring, lastBucket, current);
    }

    function used(uint256 ring) external pure returns (uint256) {
        return LossBudgetLib.used(ring);
    }

    function availableFraction(uint256 ring, uint256 budgetBps) external pure returns (uint256) {
        return LossBudgetLib.availableFraction(ring, budgetBps);
    }

    function assetsDown(uint256 fraction, uint256 navAssets) external pure returns (uint256) {
        return LossBudgetLib.assetsDown(fraction, navAssets);
    }

    function fractionUp(uint256 lossAssets, uint256 navAssets) external pure returns (uint256) {
        return LossBudgetLib.fractionUp(lossAssets, navAssets);
    }

    function add(uint256 ring, uint256 current, uint256 fraction) external pure returns (uint256) {
        return LossBudgetLib.add(ring, current, fraction);
    }

    function collapse(uint256 ring, uint256 current) external pure returns (uint256) {
        return LossBudgetLib.collapse(ring, current);
    }
}
