// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {NavLib} from "../../../contracts/libraries/NavLib.sol";

contract NavLibTest is Test {
    uint256 constant VIRTUAL = 1e6;

    function test_valuesAnEightDecimalTokenInSixDecimalCash() public pure {
        // BTC at $100,000 (8 decimals), USDC at $1 (6 decimals): 1 BTC = 100,000e6 USDC units.
        uint256 btcUnit = 100_000e8 * 1e36 / 1e16; // answer * 1e36 / 10^(8 feed + 8 token)
        uint256 usdcUnit = 1e8 * 1e36 / 1e14;
        assertEq(NavLib.valueDown(1e8, btcUnit, usdcUnit), 100_000e6);
    }

    function test_aDepegRaisesTheValueOfHoldingsInCash() public pure {
        uint256 ethUnit = 2_000e8 * 1e36 / 1e26;
        uint256 usdcAt90c = 0.9e8 * 1e36 / 1e14;
        assertEq(NavLib.valueDown(1e18, ethUnit, usdcAt90c), 2_222_222_222);
    }

    function test_valueDownWithRemainderSaysWhetherRoundingDroppedAnything() public pure {
        (uint256 value, bool hasRemainder) = NavLib.valueDownWithRemainder(7, 3, 2);
        assertEq(value, 10);
        assertTrue(hasRemainder);
        (value, hasRemainder) = NavLib.valueDownWithRemainder(8, 3, 2);
        assertEq(value, 12);
        assertFalse(hasRemainder);
    }

    function testFuzz_depositThenRedeemNeverProfits(uint96 assets, uint96 supply, uint96 nav) public pure {
        uint256 navDown = nav;
        uint256 navUp = uint256(nav) + 100;
        uint256 shares = NavLib.toShares(assets, supply, navUp, VIRTUAL, Math.Rounding.Floor);
        uint256 back = NavLib.toAssets(shares, uint256(supply) + shares, navDown + assets, VIRTUAL, Math.Rounding.Floor);
        assertLe(back, assets);
    }

    function testFuzz_minAmountOutIsAtLeastTheBound(uint96 amountIn, uint128 priceIn, uint128 priceOut, uint16 slip) public pure {
        priceIn = uint128(bound(priceIn, 1, type(uint128).max));
        priceOut = uint128(bound(priceOut, 1, type(uint128).max));
        slip = uint16(bound(slip, 0, 500));
        uint256 minOut = NavLib.minAmountOutUp(amountIn, priceIn, priceOut, slip);
        // minOut * priceOut * 1e4 >= amountIn * priceIn * (1e4 - slip), and minOut is the smallest such.
        uint256 lhs = Math.mulDiv(minOut, uint256(priceOut) * 1e4, 1);
        assertGe(lhs, Math.mulDiv(amountIn, uint256(priceIn) * (1e4 - slip), 1));
        if (minOut > 0) {
            assertLt(Math.mulDiv(minOut - 1, uint256(priceOut) * 1e4, 1), Math.mulDiv(amountIn, uint256(priceIn) * (1e4 - slip), 1));
        }
    }

    function testFuzz_inKindSliceNeverExceedsShareOfSupply(uint128 balance, uint96 shares, uint96 supply) public pure {
        vm.assume(shares <= supply);
        uint256 slice = NavLib.proRataDown(balance, shares, supply, VIRTUAL);
        assertLe(slice * (uint256(supply) + VIRTUAL), uint256(balance) * shares);
    }
}
