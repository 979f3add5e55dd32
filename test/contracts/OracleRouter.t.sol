// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";

/// The router keeps a feed's bounds twice: rounded inwards beside the feed (read on every price) and exact in
/// a second slot (read only near a bound). These tests pin the exact, exclusive behaviour at the bounds.
contract OracleRouterTest is Test {
    OracleRouter router;
    TestToken token;
    TestPriceFeed feed;

    // Bounds whose short floats are inexact (17+ significant bits), so the inner bounds differ from them.
    uint128 constant MIN_ANSWER = 123_456_789;
    uint128 constant MAX_ANSWER = 987_654_321_987;

    function setUp() public {
        vm.warp(1_700_000_000);
        router = new OracleRouter(address(this), address(0));
        token = new TestToken("Token", "TKN", 18, address(this));
        feed = new TestPriceFeed(8, "TKN / USD", 1e10, address(this));
        IOracleRouter.SourceParams memory p;
        p.kind = IOracleRouter.SourceKind.Chainlink;
        p.feed = address(feed);
        p.heartbeatSeconds = 1 days;
        p.minAnswer = MIN_ANSWER;
        p.maxAnswer = MAX_ANSWER;
        router.setSource(address(token), p);
    }

    function test_ownershipMovesInTwoStepsAndTheConfiguratorRenouncesForGood() public {
        address timelock = address(0x7111);
        address deployer = address(0xD3);
        OracleRouter r = new OracleRouter(timelock, deployer);
        IOracleRouter.SourceParams memory p = router.sourceOf(address(token));
        // The deployer configures before the hand-over, then renounces; after that only the owner can.
        vm.prank(deployer);
        r.setSource(address(token), p);
        vm.prank(deployer);
        r.renounceConfigurator();
        assertEq(r.configurator(), address(0));
        vm.prank(deployer);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", deployer));
        r.setSource(address(token), p);
        vm.prank(address(0));
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", address(0)));
        r.removeSource(address(token));
        // A transfer only proposes: the old owner keeps control until the new one accepts.
        address next = address(0x7222);
        vm.prank(timelock);
        r.transferOwnership(next);
        assertEq(r.owner(), timelock);
        assertEq(r.pendingOwner(), next);
        vm.prank(next);
        r.acceptOwnership();
        assertEq(r.owner(), next);
    }

    function test_acceptsAnswersJustInsideEitherBound() public {
        feed.setAnswer(int256(uint256(MIN_ANSWER) + 1));
        assertEq(router.unitPriceUsd36(address(token)), (uint256(MIN_ANSWER) + 1) * 1e36 / 1e26);
        feed.setAnswer(int256(uint256(MAX_ANSWER) - 1));
        assertEq(router.unitPriceUsd36(address(token)), (uint256(MAX_ANSWER) - 1) * 1e36 / 1e26);
    }

    function test_rejectsAnAnswerAtEitherBoundWithTheExactBounds() public {
        feed.setAnswer(int256(uint256(MIN_ANSWER)));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleRouter.OracleRouterAnswerOutOfBounds.selector,
                address(token),
                address(feed),
                int256(uint256(MIN_ANSWER)),
                MIN_ANSWER,
                MAX_ANSWER
            )
        );
        router.unitPriceUsd36(address(token));
        feed.setAnswer(int256(uint256(MAX_ANSWER)));
        vm.expectPartialRevert(IOracleRouter.OracleRouterAnswerOutOfBounds.selector);
        router.unitPriceUsd36(address(token));
    }

    function testFuzz_acceptsExactlyTheAnswersStrictlyInsideTheBounds(uint128 answer) public {
        answer = uint128(bound(answer, 1, uint256(MAX_ANSWER) * 2));
        feed.setAnswer(int256(uint256(answer)));
        if (answer > MIN_ANSWER && answer < MAX_ANSWER) {
            assertEq(router.unitPriceUsd36(address(token)), uint256(answer) * 1e36 / 1e26);
        } else {
            vm.expectPartialRevert(IOracleRouter.OracleRouterAnswerOutOfBounds.selector);
            router.unitPriceUsd36(address(token));
        }
    }

    function test_reportsAFeedThatReturnsNothingAsReverted() public {
        // A feed whose code is gone answers every call with empty return data, which is not a round.
        vm.etch(address(feed), "");
        vm.expectRevert(
            abi.encodeWithSelector(IOracleRouter.OracleRouterFeedReverted.selector, address(token), address(feed))
        );
        router.unitPriceUsd36(address(token));
    }

    /// Forward pricing (the queue's settlement): while a cut-off is set, every read in the transaction waits for
    /// a round after it, before any other check; nobody but its holder can lift it, and the holder's zero does.
    function test_forwardPricingRefusesRoundsAtOrBeforeTheCutOffUntilItsHolderClearsIt() public {
        uint256 cutOff = block.timestamp;
        router.setPricedAfter(cutOff);
        (uint256 set, address holder) = router.pricedAfter();
        assertEq(set, cutOff);
        assertEq(holder, address(this));
        address[] memory tokens = new address[](1);
        tokens[0] = address(token);
        // The feed's round is stamped at the cut-off: not after it.
        bytes memory atCutOff = abi.encodeWithSelector(
            IOracleRouter.OracleRouterPricedBeforeCutOff.selector, address(token), cutOff, cutOff
        );
        vm.expectRevert(atCutOff);
        router.unitPriceUsd36(address(token));
        vm.expectRevert(atCutOff);
        router.boundedUnitPricesUsd36(tokens, IOracleRouter.Bound.High);
        // A round also past its heartbeat is reported as before the cut-off: the settlement waits for a new one.
        feed.setAnswerAt(1e10, cutOff - 2 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleRouter.OracleRouterPricedBeforeCutOff.selector, address(token), cutOff - 2 days, cutOff
            )
        );
        router.unitPricesUsd36(tokens);
        // Nobody else can lift or move it.
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.OracleRouterCutOffHeld.selector, address(this)));
        router.setPricedAfter(0);
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.OracleRouterCutOffHeld.selector, address(this)));
        router.setPricedAfter(cutOff - 1 days);
        // A round after the cut-off prices.
        vm.warp(cutOff + 1);
        feed.setAnswer(2e10);
        assertEq(router.unitPriceUsd36(address(token)), 2e10 * 1e36 / 1e26);
        // Cleared by its holder: an older round inside its heartbeat prices again.
        feed.setAnswerAt(3e10, cutOff - 1 hours);
        router.setPricedAfter(0);
        (set, holder) = router.pricedAfter();
        assertEq(set, 0);
        assertEq(holder, address(0));
        assertEq(router.unitPriceUsd36(address(token)), 3e10 * 1e36 / 1e26);
    }
}
