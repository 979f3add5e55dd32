// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BPS} from "./Bps.sol";

/// @title FeeLib
/// @notice Pure fee math of the IndexVault: entry/exit fees in basis points and the per-second management
/// fee paid by minting shares. Every fee rounds up or dilutes down in favour of the remaining holders.
library FeeLib {
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @notice Fee to add on top of a net amount: `net * feeBps / 10_000`, rounded up.
    /// @dev Up: a user who asks for a net amount pays at least the stated fee.
    function feeOnNetUp(uint256 net, uint256 feeBps) internal pure returns (uint256) {
        return Math.mulDiv(net, feeBps, BPS, Math.Rounding.Ceil);
    }

    /// @notice The fee part of a gross amount that includes it: `gross * feeBps / (10_000 + feeBps)`, rounded up.
    /// @dev Up: a user who hands over a gross amount keeps at most `gross - fee`.
    function feeOnGrossUp(uint256 gross, uint256 feeBps) internal pure returns (uint256) {
        return Math.mulDiv(gross, feeBps, BPS + feeBps, Math.Rounding.Ceil);
    }

    /// @notice Shares to mint so the fee recipient ends up owning `feeBps * elapsed / (10_000 * year)` of the
    /// diluted supply: `supply * x / (D - x)` with `x = feeBps * elapsed`, `D = 10_000 * year`. Rounded down.
    /// @dev Down: holders are never diluted by more than the stated rate. `x` is capped at D/2 (a 50% fee),
    /// reached only after decades without accrual at the hard maximum fee, so the formula cannot blow up.
    function managementFeeSharesDown(uint256 supply, uint256 feeBps, uint256 elapsedSeconds)
        internal
        pure
        returns (uint256)
    {
        uint256 denominator = BPS * SECONDS_PER_YEAR;
        uint256 x = Math.min(feeBps * elapsedSeconds, denominator / 2);
        return Math.mulDiv(supply, x, denominator - x);
    }
}
