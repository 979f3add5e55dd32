// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ShortFloatLib} from "../../../contracts/libraries/ShortFloatLib.sol";

contract ShortFloatLibTest is Test {
    function test_keepsValuesOfSixteenBitsOrFewerExact() public pure {
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(0)), 0);
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(1)), 1);
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintDown(65_535)), 65_535);
        // A value keeps exact when its odd part fits 16 bits: 1e6 = 5^6 * 2^6 with 5^6 < 2^16; 1e8 does not.
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(1e6)), 1e6);
        assertGt(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(1e8)), 1e8);
    }

    function test_roundsUpAcrossTheMantissaCarry() public pure {
        // 2^17 - 1 has 17 significant bits: up gives 2^17 (mantissa carried into a new bit), down 2^17 - 2.
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(2 ** 17 - 1)), 2 ** 17);
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintDown(2 ** 17 - 1)), 2 ** 17 - 2);
    }

    function test_handlesTheLargestUint128() public pure {
        uint128 max = type(uint128).max;
        assertEq(ShortFloatLib.toUint(ShortFloatLib.fromUintUp(max)), uint256(max) + 1);
        assertLe(ShortFloatLib.toUint(ShortFloatLib.fromUintDown(max)), max);
    }

    function testFuzz_upIsTheNearestAtOrAbove(uint128 x) public pure {
        uint256 up = ShortFloatLib.toUint(ShortFloatLib.fromUintUp(x));
        assertGe(up, x);
        // Within 2^-15 of x: the inner bound lets through every answer not that close to the exact one.
        assertLe(up - x, uint256(x) >> 15);
    }

    function testFuzz_downIsTheNearestAtOrBelow(uint128 x) public pure {
        uint256 down = ShortFloatLib.toUint(ShortFloatLib.fromUintDown(x));
        assertLe(down, x);
        assertLe(x - down, uint256(x) >> 15);
    }
}
