// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LossBudgetLib} from "../libraries/LossBudgetLib.sol";

/// @notice Exposes LossBudgetLib.
contract LossBudgetLibHarness {
    function capacityDown(uint256 nav, uint256 bps) external pure returns (uint256) {
        return LossBudgetLib.capacityDown(nav, bps);
    }

    function usedNow(uint256 used, uint256 lastUpdate, uint256 capacity, uint256 window, uint256 nowTs)
        external
        pure
        returns (uint256)
    {
        return LossBudgetLib.usedNow(used, lastUpdate, capacity, window, nowTs);
    }

    function available(uint256 usedNow_, uint256 capacity) external pure returns (uint256) {
        return LossBudgetLib.available(usedNow_, capacity);
    }
}
