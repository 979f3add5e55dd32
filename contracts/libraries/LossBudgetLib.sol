// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title LossBudgetLib
/// @notice A leaky bucket for the oracle-valued loss of trades (the Enzyme/dHEDGE idea): losses fill it,
/// it drains linearly at `capacity` per `window`, and a trade that would overflow it must revert. The
/// capacity is a fraction of NAV re-read at each use, so it tracks the fund's size.
library LossBudgetLib {
    uint256 internal constant BPS = 10_000;

    /// @notice Capacity of the bucket: `navAssets * budgetBps / 10_000`, rounded down.
    /// @dev Down: a keeper never gets more room than the stated fraction.
    function capacityDown(uint256 navAssets, uint256 budgetBps) internal pure returns (uint256) {
        return Math.mulDiv(navAssets, budgetBps, BPS);
    }

    /// @notice What is still in the bucket now: the recorded use minus the linear refill since it was recorded.
    /// @dev The refill rounds down, so the remaining use is never understated.
    function usedNow(uint256 usedAssets, uint256 lastUpdate, uint256 capacity, uint256 windowSeconds, uint256 nowTs)
        internal
        pure
        returns (uint256)
    {
        uint256 elapsed = nowTs > lastUpdate ? nowTs - lastUpdate : 0;
        uint256 refill = elapsed >= windowSeconds ? capacity : Math.mulDiv(capacity, elapsed, windowSeconds);
        // Clamped below at zero: an old loss fully refilled leaves an empty bucket, not a credit.
        return usedAssets > refill ? usedAssets - refill : 0;
    }

    /// @notice Room left for further losses given what is in the bucket now.
    function available(uint256 usedAssetsNow, uint256 capacity) internal pure returns (uint256) {
        return capacity > usedAssetsNow ? capacity - usedAssetsNow : 0;
    }
}
