// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {LossBudgetLib} from "../../../contracts/libraries/LossBudgetLib.sol";

contract LossBudgetLibTest is Test {
    uint256 private constant WEEK = 7 days;

    function test_budgetIsAFractionOfNav() public pure {
        // 50 bps of an empty ring, in 1e-10 units, is 5e7; on a 1,000,000 USDC NAV that is 5,000 USDC.
        assertEq(LossBudgetLib.availableFraction(0, 50), 5e7);
        assertEq(LossBudgetLib.assetsDown(5e7, 1_000_000e6), 5_000e6);
        // A loss is never understated: 1 wei of loss on any NAV costs at least one unit.
        assertEq(LossBudgetLib.fractionUp(1, 1_000_000e6), 1);
    }

    function test_aDepositDoesNotRefill() public pure {
        // Burn the whole 50 bps on NAV N; then NAV becomes 7N (a deposit). Nothing is available: the ring
        // counts fractions, not assets.
        uint256 nav = 1_000_000e6;
        uint256 ring = LossBudgetLib.add(0, 10, LossBudgetLib.fractionUp(5_000e6, nav));
        assertEq(LossBudgetLib.availableFraction(ring, 50), 0);
        assertEq(LossBudgetLib.assetsDown(LossBudgetLib.availableFraction(ring, 50), 7 * nav), 0);
    }

    function test_aBudgetLoweredBelowWhatIsUsedLeavesNothingAvailable() public pure {
        // 50 bps used, then the budget is lowered to 40 bps: nothing is available (not an underflow that would
        // block even loss-free trades), and the room comes back only as the losses leave the ring.
        uint256 ring = LossBudgetLib.add(0, 10, 5e7);
        assertEq(LossBudgetLib.availableFraction(ring, 40), 0);
        assertEq(LossBudgetLib.availableFraction(LossBudgetLib.roll(ring, 10, 15), 40), 4e7);
    }

    function test_aLossLeavesAfterFiveBuckets() public pure {
        uint256 ring = LossBudgetLib.add(0, 100, 5e7);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 100, 104)), 5e7, "still counted a window later");
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 100, 105)), 0, "gone after 1.25 windows");
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 100, 1_000)), 0);
    }

    function test_collapseKeepsEveryLoss() public pure {
        uint256 ring = LossBudgetLib.add(LossBudgetLib.add(0, 100, 1e7), 102, 2e7);
        uint256 collapsed = LossBudgetLib.collapse(ring, 7);
        assertEq(LossBudgetLib.used(collapsed), 3e7);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(collapsed, 7, 11)), 3e7);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(collapsed, 7, 12)), 0);
    }

    function test_roundsTheRoomDownAndTheLossUp() public pure {
        // 3 x 1e-10 of 5e9 is 1.5 units: the keeper gets 1. One unit of loss on a NAV of 3 is 3,333,333,333.3 x
        // 1e-10: it counts as ...334.
        assertEq(LossBudgetLib.assetsDown(3, 5e9), 1);
        assertEq(LossBudgetLib.fractionUp(1, 3), 3_333_333_334);
        assertEq(LossBudgetLib.fractionUp(2, 4), 5e9);
    }

    function test_bucketsAreAQuarterWindowLong() public pure {
        assertEq(LossBudgetLib.bucketAt(151_200 * 7 - 1, WEEK), 6);
        assertEq(LossBudgetLib.bucketAt(151_200 * 7, WEEK), 7);
    }

    function test_everyBucketOfTheRingCounts() public pure {
        uint256 ring;
        for (uint256 b = 100; b < 105; ++b) {
            ring = LossBudgetLib.add(ring, b, b);
        }
        assertEq(LossBudgetLib.used(ring), 100 + 101 + 102 + 103 + 104);
    }

    function test_aRollEmptiesEveryBucketItPassesUpToTheCurrentOne() public pure {
        // Losses in buckets 100 and 101; at bucket 105 (four buckets after the last write) the first is out.
        uint256 ring = LossBudgetLib.add(LossBudgetLib.add(0, 100, 7), 101, 11);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 101, 104)), 18);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 101, 105)), 11);
        assertEq(LossBudgetLib.used(LossBudgetLib.roll(ring, 101, 106)), 0);
    }

    /// @dev A keeper that burns everything available at random times never burns more than the budget in any
    /// sliding window of the window's length (the ring's 1.0x bound).
    function testFuzz_noSlidingWindowBurnsMoreThanTheBudget(uint16 budgetBps, uint32 window, uint64 seed) public pure {
        budgetBps = uint16(bound(budgetBps, 1, 500));
        window = uint32(bound(window, 1 days, 30 days));
        uint256 steps = 40;
        uint256[] memory times = new uint256[](steps);
        uint256[] memory burns = new uint256[](steps);
        uint256 ring;
        uint256 last;
        uint256 t = 1_700_000_000;
        for (uint256 i; i < steps; ++i) {
            t += uint256(keccak256(abi.encode(seed, i))) % (window / 2);
            uint256 bucket = LossBudgetLib.bucketAt(t, window);
            ring = LossBudgetLib.roll(ring, last, bucket);
            uint256 burn = LossBudgetLib.availableFraction(ring, budgetBps);
            ring = LossBudgetLib.add(ring, bucket, burn);
            last = bucket;
            times[i] = t;
            burns[i] = burn;
        }
        uint256 budget = uint256(budgetBps) * 1e6;
        for (uint256 i; i < steps; ++i) {
            uint256 sum;
            for (uint256 j = i; j < steps && times[j] < times[i] + window; ++j) {
                sum += burns[j];
            }
            assertLe(sum, budget);
        }
    }

    function testFuzz_usedNeverGrowsWithTime(uint160 ring, uint32 last, uint32 dt1, uint32 dt2) public pure {
        uint256 u0 = LossBudgetLib.used(ring);
        uint256 u1 = LossBudgetLib.used(LossBudgetLib.roll(ring, last, uint256(last) + dt1));
        uint256 u2 = LossBudgetLib.used(LossBudgetLib.roll(ring, last, uint256(last) + dt1 + dt2));
        assertLe(u1, u0);
        assertLe(u2, u1);
    }
}
