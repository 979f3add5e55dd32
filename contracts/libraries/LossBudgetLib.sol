// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BPS} from "./Bps.sol";

/// @title LossBudgetLib
/// @notice The keeper's loss budget: the oracle-valued loss of trades, as a FRACTION of NAV at the time of
/// each batch, summed over a ring of five buckets of a quarter window each. A batch may only add what keeps
/// the sum of the current bucket and the four before it within the budget.
/// @dev Why a fraction of NAV: every holder bears a trade's loss pro rata, so a loss of x assets at NAV N
/// costs each holder exactly x / N of their stake. A deposit raises N and the absolute room with it, but not
/// the fraction any holder can lose: the attacker's own deposit bears its share. (A budget kept in assets
/// against a capacity re-read from NAV is refilled by a large deposit.)
/// @dev Why five quarter-window buckets: two losses less than one window apart are at most four buckets
/// apart, so both are inside one five-bucket sum; the most any sliding window of the window's length can
/// burn is the budget itself (1.0x). A loss leaves the sum between 1 and 1.25 windows after it was made.
/// @dev The ring is one uint160: bucket i is bits [32i, 32i + 32), fractions in units of 1e-10 of NAV
/// (FRACTION_ONE), so a 500 bps budget (5e8) fits a bucket.
library LossBudgetLib {
    /// @notice One whole NAV in the ring's units.
    uint256 internal constant FRACTION_ONE = 1e10;
    /// @notice Buckets in the ring.
    uint256 internal constant BUCKETS = 5;
    /// @notice Buckets per window: each bucket is a quarter of the window long.
    uint256 internal constant BUCKETS_PER_WINDOW = 4;
    uint256 private constant MASK = type(uint32).max;

    /// @notice The index of the bucket `nowTs` falls in.
    function bucketAt(uint256 nowTs, uint256 windowSeconds) internal pure returns (uint256) {
        return nowTs / (windowSeconds / BUCKETS_PER_WINDOW);
    }

    /// @notice The ring as of bucket `current`: buckets that fell out since `lastBucket` are emptied.
    function roll(uint256 ring, uint256 lastBucket, uint256 current) internal pure returns (uint256) {
        if (current <= lastBucket) return ring;
        uint256 gap = current - lastBucket;
        if (gap >= BUCKETS) return 0;
        for (uint256 k = 1; k <= gap; ++k) {
            ring &= ~(MASK << (32 * ((lastBucket + k) % BUCKETS)));
        }
        return ring;
    }

    /// @notice The fraction of NAV used in the ring (the current bucket and the four before it).
    function used(uint256 ring) internal pure returns (uint256 sum) {
        for (uint256 i; i < BUCKETS; ++i) {
            sum += (ring >> (32 * i)) & MASK;
        }
    }

    /// @notice The fraction of NAV still available under `budgetBps`.
    function availableFraction(uint256 ring, uint256 budgetBps) internal pure returns (uint256) {
        uint256 budget = budgetBps * (FRACTION_ONE / BPS);
        uint256 usedFraction = used(ring);
        return budget > usedFraction ? budget - usedFraction : 0;
    }

    /// @notice Assets that a fraction of `navAssets` is, rounded down (the keeper never gets more room).
    function assetsDown(uint256 fraction, uint256 navAssets) internal pure returns (uint256) {
        return Math.mulDiv(fraction, navAssets, FRACTION_ONE);
    }

    /// @notice The fraction of `navAssets` that `lossAssets` is, rounded up (a loss is never understated).
    function fractionUp(uint256 lossAssets, uint256 navAssets) internal pure returns (uint256) {
        return Math.mulDiv(lossAssets, FRACTION_ONE, navAssets, Math.Rounding.Ceil);
    }

    /// @notice The ring with `fraction` added to bucket `current`.
    /// @dev The caller keeps the ring's sum within a budget of at most 500 bps (5e8 < 2^32), so no bucket overflows.
    function add(uint256 ring, uint256 current, uint256 fraction) internal pure returns (uint256) {
        return ring + (fraction << (32 * (current % BUCKETS)));
    }

    /// @notice The ring collapsed into bucket `current`: what a change of window length keeps (every loss
    /// still counted, now as recent, so a new window never frees room early).
    function collapse(uint256 ring, uint256 current) internal pure returns (uint256) {
        return used(ring) << (32 * (current % BUCKETS));
    }
}
