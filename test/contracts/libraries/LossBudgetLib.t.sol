// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {LossBudgetLib} from "../../../contracts/libraries/LossBudgetLib.sol";

contract LossBudgetLibTest is Test {
    function test_capacityIs50BpsOfNav() public pure {
        assertEq(LossBudgetLib.capacityDown(1_000_000e6, 50), 5_000e6);
    }

    function test_refillsLinearlyOverTheWindow() public pure {
        uint256 capacity = 700e6;
        // Full bucket, half a window later: half drained.
        assertEq(LossBudgetLib.usedNow(capacity, 1_000, capacity, 7 days, 1_000 + 3.5 days), capacity / 2);
        // A full window later: empty.
        assertEq(LossBudgetLib.usedNow(capacity, 1_000, capacity, 7 days, 1_000 + 7 days), 0);
    }

    function testFuzz_usedNeverGrowsWithTime(uint128 used, uint32 lastUpdate, uint128 capacity, uint32 window, uint32 dt1, uint32 dt2)
        public
        pure
    {
        window = uint32(bound(window, 1, 365 days));
        uint256 t1 = uint256(lastUpdate) + dt1;
        uint256 t2 = t1 + dt2;
        uint256 u1 = LossBudgetLib.usedNow(used, lastUpdate, capacity, window, t1);
        uint256 u2 = LossBudgetLib.usedNow(used, lastUpdate, capacity, window, t2);
        assertLe(u1, used);
        assertLe(u2, u1);
    }

    function testFuzz_availablePlusUsedIsCapacity(uint128 used, uint128 capacity) public pure {
        uint256 avail = LossBudgetLib.available(used, capacity);
        if (used <= capacity) assertEq(avail + used, capacity);
        else assertEq(avail, 0);
    }

    function testFuzz_lossOverAnyWindowIsBounded(uint64 capacity, uint32 window, uint16 steps, uint64 seed) public pure {
        // Spending everything available at each step: total spent over T seconds <= capacity * (1 + T / window).
        window = uint32(bound(window, 1 hours, 30 days));
        steps = uint16(bound(steps, 1, 50));
        uint256 used;
        uint256 last;
        uint256 t;
        uint256 spent;
        for (uint256 i; i < steps; ++i) {
            t += uint256(keccak256(abi.encode(seed, i))) % window;
            uint256 u = LossBudgetLib.usedNow(used, last, capacity, window, t);
            uint256 a = LossBudgetLib.available(u, capacity);
            spent += a;
            used = u + a;
            last = t;
        }
        assertLe(spent, uint256(capacity) + uint256(capacity) * t / window + 1);
    }
}
