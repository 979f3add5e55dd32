// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {FeeLib} from "../../../contracts/libraries/FeeLib.sol";

contract FeeLibTest is Test {
    function test_oneYearAt200BpsGivesTwoPercentOfTheDilutedSupply() public pure {
        uint256 supply = 1_000_000e12;
        uint256 shares = FeeLib.managementFeeSharesDown(supply, 200, 365 days);
        // recipient share = shares / (supply + shares) = 2%
        assertApproxEqRel(shares * 1e18 / (supply + shares), 0.02e18, 1e9);
    }

    function test_entryAndExitFeesRoundUp() public pure {
        // 100 x 10 / 10,010 = 0.0999 and 100 x 10 / 10,000 = 0.1: both charge 1 unit, not 0.
        assertEq(FeeLib.feeOnGrossUp(100, 10), 1);
        assertEq(FeeLib.feeOnNetUp(100, 10), 1);
        assertEq(FeeLib.feeOnGrossUp(10_010, 10), 10);
    }

    function test_managementFeeIsCappedAtHalfTheSupplyTakenOnce() public pure {
        // 15 years at 500 bps would be x = 0.75 D; the cap holds x at D / 2, so at most the supply is minted
        // (the recipient ends with half the diluted supply).
        assertEq(FeeLib.managementFeeSharesDown(1e18, 500, 15 * 365 days), 1e18);
    }

    function testFuzz_managementFeeNeverExceedsTheRate(uint128 supply, uint16 feeBps, uint32 elapsed) public pure {
        feeBps = uint16(bound(feeBps, 0, 500));
        uint256 shares = FeeLib.managementFeeSharesDown(supply, feeBps, elapsed);
        // shares / (supply + shares) <= feeBps * elapsed / (1e4 * year)
        assertLe(shares * (1e4 * 365 days), (uint256(supply) + shares) * feeBps * elapsed);
    }

    function testFuzz_frequentAccrualNeverChargesMore(uint96 supply, uint32 a, uint32 b) public pure {
        // Two accruals leave the recipient 1 - (1 - f1)(1 - f2) <= f1 + f2 of the supply: splitting an
        // interval (anyone can call accrueManagementFee) never costs holders more than one accrual.
        a = uint32(bound(a, 0, 365 days));
        b = uint32(bound(b, 0, 365 days));
        uint256 s1 = FeeLib.managementFeeSharesDown(supply, 200, a);
        uint256 s2 = FeeLib.managementFeeSharesDown(uint256(supply) + s1, 200, b);
        uint256 once = FeeLib.managementFeeSharesDown(supply, 200, uint256(a) + b);
        assertLe(s1 + s2, once + 1);
    }

    function testFuzz_feeOnGrossLeavesAtMostTheNet(uint128 gross, uint16 feeBps) public pure {
        feeBps = uint16(bound(feeBps, 0, 100));
        uint256 fee = FeeLib.feeOnGrossUp(gross, feeBps);
        uint256 net = gross - fee;
        // net * (1 + f) <= gross
        assertLe(net * (1e4 + feeBps), uint256(gross) * 1e4);
        // and the fee on that net, added back, covers the gross within one unit.
        assertLe(net + FeeLib.feeOnNetUp(net, feeBps), uint256(gross) + 1);
    }
}
