// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IndexQueue} from "../../contracts/IndexQueue.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexQueue} from "../../contracts/interfaces/IIndexQueue.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {ForgetfulOracle} from "../../contracts/test/ForgetfulOracle.sol";
import {HookToken, ITransferHook} from "../../contracts/test/HookToken.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";

/// @dev A stranger's contract that gets control in the middle of a settlement (the vault pulling the window's
/// cash from the queue calls the asset's transfer hook) and tries to lift or move the queue's cut-off.
contract CutOffThief is ITransferHook {
    OracleRouter public immutable router;
    bool public armed;
    uint256 public seenCutOff;
    address public seenHolder;
    bytes public clearRevert;
    bytes public moveRevert;

    constructor(OracleRouter router_) {
        router = router_;
    }

    function arm() external {
        armed = true;
    }

    function onTokenTransfer(address, address, uint256) external {
        if (!armed) return;
        armed = false;
        (seenCutOff, seenHolder) = router.pricedAfter();
        try router.setPricedAfter(0) {} catch (bytes memory data) {
            clearRevert = data;
        }
        try router.setPricedAfter(seenCutOff - 1 days) {} catch (bytes memory data) {
            moveRevert = data;
        }
    }
}

/// @dev Burns all the gas it is given once armed: a vault call that runs out of gas reverts with no data.
contract GasBurningHook is ITransferHook {
    bool public armed;

    function arm() external {
        armed = true;
    }

    function onTokenTransfer(address, address, uint256) external view {
        if (!armed) return;
        uint256 i;
        while (true) {
            ++i;
        }
    }
}

/// @dev Settles and then, in the same transaction, reads what a later call would see: the router's cut-off and the
/// price of a token whose feed round predates the cut-off.
contract SettleThenPrice {
    function settleThenPrice(IIndexQueue queue, OracleRouter router, uint256 window, address oldToken)
        external
        returns (bool settled, uint256 cutOff, address holder, uint256 oldPrice)
    {
        settled = queue.settle(window);
        (cutOff, holder) = router.pricedAfter();
        oldPrice = router.unitPriceUsd36(oldToken);
    }
}

/// A vault of a stablecoin (a HookToken, so a test can get control mid-settlement) and WETH, with a daily queue.
abstract contract IndexQueueTestBase is Test {
    uint256 constant WINDOW = 1 days;
    uint256 constant GRACE = 6 hours;

    OracleRouter router;
    HookToken usdc;
    TestPriceFeed usdcFeed;
    TestToken weth;
    TestPriceFeed wethFeed;
    IndexVault vault;
    IndexQueue queue;
    uint256 start;

    address alice = makeAddr("alice");
    address keeper = makeAddr("keeper");
    address feeTo = makeAddr("feeTo");

    function setUp() public {
        vm.warp(1_700_000_000);
        start = block.timestamp;
        usdc = new HookToken(6);
        usdcFeed = new TestPriceFeed(8, "USDC / USD", 1e8, address(this));
        weth = new TestToken("Wrapped Ether", "WETH", 18, address(this));
        wethFeed = new TestPriceFeed(8, "WETH / USD", 2_000e8, address(this));
        router = new OracleRouter(address(this), address(0));
        router.setSource(address(usdc), _feedSource(address(usdcFeed), 0.95e8, 1.05e8));
        router.setSource(address(weth), _feedSource(address(wethFeed), 1, 1e14));
        _deploy(IOracleRouter(address(router)));
    }

    function _feedSource(address feed, uint128 minAnswer, uint128 maxAnswer)
        internal
        pure
        returns (IOracleRouter.SourceParams memory p)
    {
        p.kind = IOracleRouter.SourceKind.Chainlink;
        p.feed = feed;
        p.heartbeatSeconds = 1 days;
        p.minAnswer = minAnswer;
        p.maxAnswer = maxAnswer;
    }

    function _pushFeeds() internal {
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
    }

    function _instantDeposit(address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(vault), assets);
        shares = vault.deposit(assets, who);
        vault.approve(address(queue), type(uint256).max);
        vm.stopPrank();
    }

    function _deploy(IOracleRouter oracle) internal {
        vault = new IndexVault(usdc, "Open Index", "OIDX", address(this), oracle, feeTo);
        vault.registerAsset(address(weth), 10_000);
        queue = new IndexQueue(vault, address(this), keeper, start, WINDOW, GRACE);
    }

    /// Alice asks to deposit in window 1; the feeds push a round at `pushedAt`; time moves past the cut-off.
    function _requestAndPassCutOff(uint256 pushedAt) internal returns (uint256 cutOff) {
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.stopPrank();
        cutOff = queue.cutOffOf(1);
        vm.warp(pushedAt);
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
        vm.warp(Math.max(pushedAt, cutOff) + 60);
    }

}

/// Forward pricing as the queue's settlement uses it (IOracleRouter.setPricedAfter): the queue must get the
/// cut-off it asked for, nobody can lift it during the settlement, and it is gone when settle returns.
/// The transaction-boundary side (a stranger's cut-off ends with its transaction) is in IndexQueue.test.ts.
contract IndexQueueForwardPricingTest is IndexQueueTestBase {
    /// The real router: rounds from before the cut-off defer the settlement (the baseline the next test breaks).
    function test_settlementWithRoundsFromBeforeTheCutOffWaits() public {
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) - 1 hours);
        vm.prank(keeper);
        assertFalse(queue.settle(1));
        assertFalse(queue.depositWindow(1).settled);
        assertEq(queue.pendingDepositRequest(0, alice), 1_000e6);
        (uint256 setCutOff, address holder) = router.pricedAfter();
        assertEq(setCutOff, 0);
        assertEq(holder, address(0));
        // Deferred, not settled: a settle after fresh rounds (pushed after the cut-off) settles the window.
        vm.warp(cutOff + 2 hours);
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
        vm.prank(keeper);
        assertTrue(queue.settle(1));
        assertEq(queue.depositWindow(1).assets, 1_000e6);
        assertTrue(queue.depositWindow(1).settled);
    }

    /// An oracle that ignores setPricedAfter would let the window settle from rounds before its cut-off (the price
    /// everyone knew when asking): settle reads the cut-off back and refuses, naming what it found.
    function test_settleRefusesAnOracleThatIgnoresTheCutOff() public {
        ForgetfulOracle forgetful = new ForgetfulOracle(router, false);
        _deploy(IOracleRouter(address(forgetful)));
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) - 1 hours);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexQueue.IndexQueueForwardPricingNotSet.selector, address(forgetful), cutOff, 0, address(0)
            )
        );
        queue.settle(1);
    }

    /// An oracle that passes the call on holds the cut-off itself, not for the queue: refused as well.
    function test_settleRefusesAnOracleThatHoldsTheCutOffForItself() public {
        ForgetfulOracle relay = new ForgetfulOracle(router, true);
        _deploy(IOracleRouter(address(relay)));
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) + 10 minutes);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexQueue.IndexQueueForwardPricingNotSet.selector, address(relay), cutOff, cutOff, address(relay)
            )
        );
        queue.settle(1);
    }

    /// Inside the settlement a stranger who gets control (here the asset's transfer hook, as the vault pulls the
    /// window's cash) sees the queue's cut-off and can neither clear nor move it.
    function test_aStrangerCannotLiftOrMoveTheQueuesCutOffDuringSettlement() public {
        CutOffThief thief = new CutOffThief(router);
        usdc.setHook(thief);
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) + 10 minutes);
        thief.arm();
        vm.prank(keeper);
        assertTrue(queue.settle(1));
        assertEq(thief.seenCutOff(), cutOff);
        assertEq(thief.seenHolder(), address(queue));
        bytes memory held = abi.encodeWithSelector(IOracleRouter.OracleRouterCutOffHeld.selector, address(queue));
        assertEq(thief.clearRevert(), held);
        assertEq(thief.moveRevert(), held);
        assertTrue(queue.depositWindow(1).settled);
    }

    /// A stranger's own cut-off, set first in a transaction, cannot be taken over by the queue: the settlement
    /// reverts in that transaction instead of settling at the stranger's cut-off.
    function test_aStrangersCutOffMakesOnlyASettlementInItsOwnTransactionRevert() public {
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) + 10 minutes);
        address stranger = makeAddr("stranger");
        vm.prank(stranger);
        router.setPricedAfter(cutOff - 2 hours);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.OracleRouterCutOffHeld.selector, stranger));
        queue.settle(1);
        vm.prank(stranger);
        router.setPricedAfter(0);
        vm.prank(keeper);
        assertTrue(queue.settle(1));
    }

    /// settle clears its cut-off before it returns: a call after it in the same transaction sees none, and a token
    /// whose feed round predates the cut-off (inside its heartbeat) prices again.
    function test_settleClearsTheCutOffBeforeItReturns() public {
        TestToken old = new TestToken("Old", "OLD", 18, address(this));
        TestPriceFeed oldFeed = new TestPriceFeed(8, "OLD / USD", 5e8, address(this));
        router.setSource(address(old), _feedSource(address(oldFeed), 1, 1e12));
        uint256 cutOff = _requestAndPassCutOff(queue.cutOffOf(1) + 10 minutes);
        oldFeed.setAnswerAt(5e8, cutOff - 1 hours);
        SettleThenPrice probe = new SettleThenPrice();
        queue.grantRole(queue.SETTLER_ROLE(), address(probe));
        (bool settled, uint256 leftCutOff, address leftHolder, uint256 oldPrice) =
            probe.settleThenPrice(queue, router, 1, address(old));
        assertTrue(settled);
        assertEq(leftCutOff, 0);
        assertEq(leftHolder, address(0));
        assertEq(oldPrice, 5e8 * 1e36 / 1e26);
    }
}

/// A controller's two pending windows per direction (the one past its cut-off and the current one): what a
/// cancel takes back from each, and a request two windows after an unsettled one.
contract IndexQueueTwoWindowsTest is IndexQueueTestBase {
    /// Alice deposits 1,000 instantly and requests half her shares in window 1; a donation of WETH makes the vault
    /// worth ~21,000 with 1,000 in cash, so window 1 settles short. Returns her shares.
    function _aliceRedeemsHalfInAShortWindow() internal returns (uint256 shares) {
        shares = _instantDeposit(alice, 1_000e6);
        weth.mint(address(vault), 10e18);
        vm.prank(alice);
        queue.requestRedeem(shares / 2, alice, alice);
        vm.warp(queue.cutOffOf(1) + 60);
        _pushFeeds();
        vm.prank(keeper);
        assertFalse(queue.settle(1));
        assertTrue(queue.redeemWindow(1).short);
    }

    /// A short window's rest and the current window's request are both cancellable: one cancel takes back both,
    /// one event per window, and the short window's filled part stays claimable.
    function test_oneCancelTakesBackAShortWindowsRestAndTheCurrentWindowsRequest() public {
        uint256 shares = _aliceRedeemsHalfInAShortWindow();
        uint256 rest = queue.pendingRedeemRequest(0, alice);
        uint256 filled = queue.claimableRedeemRequest(0, alice);
        assertGt(rest, 0);
        assertGt(filled, 0);
        assertEq(rest + filled, shares / 2);
        uint256 owed = queue.maxWithdraw(alice);

        vm.prank(alice);
        queue.requestRedeem(shares / 4, alice, alice);
        assertEq(queue.pendingRedeemRequest(0, alice), rest + shares / 4);
        assertEq(queue.redeemWindowOf(alice), 1);
        uint256 before = vault.balanceOf(alice);
        // Accounts are kept by window parity: window 2's (even) comes first.
        vm.expectEmit(address(queue));
        emit IIndexQueue.RedeemRequestCancelled(alice, alice, 2, shares / 4);
        vm.expectEmit(address(queue));
        emit IIndexQueue.RedeemRequestCancelled(alice, alice, 1, rest);
        vm.prank(alice);
        assertEq(queue.cancelRedeemRequest(alice, alice), rest + shares / 4);
        assertEq(vault.balanceOf(alice) - before, rest + shares / 4);
        assertEq(queue.pendingRedeemRequest(0, alice), 0);
        assertEq(queue.redeemWindowOf(alice), 0);
        assertEq(queue.redeemWindow(1).sharesLeft, 0);
        assertEq(queue.redeemWindow(2).units, 0);
        // The filled part is still owed, exactly as before the cancel.
        assertEq(queue.maxWithdraw(alice), owed);
        assertEq(queue.maxRedeem(alice), filled);
        vm.prank(alice);
        queue.redeem(filled, alice, alice);
        assertEq(usdc.balanceOf(alice), owed);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexQueue.IndexQueueNothingPending.selector, alice));
        queue.cancelRedeemRequest(alice, alice);
    }

    /// A short window whose every controller takes its rest back leaves nothing pending: the units and the pending
    /// shares reach zero together (the last cancel takes the window's exact rest, its units being all that is
    /// left), so no rounding dust is left for a later settle to divide by zero units. Three controllers with
    /// shares that do not divide evenly, cancelling in an order the fuzzer picks.
    function testFuzz_aShortWindowCancelledByEveryoneLeavesNoDust(uint96 a, uint96 b, uint96 c, uint8 order) public {
        address[3] memory who = [alice, makeAddr("bob"), makeAddr("carol")];
        uint256 total = _instantDeposit(alice, 3_000e6);
        uint256[3] memory shares;
        shares[0] = bound(a, 1e6, total / 3);
        shares[1] = bound(b, 1, total / 3);
        shares[2] = bound(c, 1, total / 3);
        vm.startPrank(alice);
        vault.transfer(who[1], shares[1]);
        vault.transfer(who[2], shares[2]);
        vm.stopPrank();
        for (uint256 i; i < 3; ++i) {
            vm.startPrank(who[i]);
            vault.approve(address(queue), type(uint256).max);
            queue.requestRedeem(shares[i], who[i], who[i]);
            vm.stopPrank();
        }
        // WETH worth 200,000 next to 3,000 in cash: any request above ~1.5% of the shares is short.
        weth.mint(address(vault), 100e18);
        vm.warp(queue.cutOffOf(1) + 60);
        _pushFeeds();
        vm.prank(keeper);
        queue.settle(1);
        vm.assume(queue.redeemWindow(1).short);
        // A controller whose rest rounds to zero has nothing to cancel until another's cancel moves it up a
        // unit: pass again until no one has anything pending.
        for (uint256 pass; pass < 3; ++pass) {
            for (uint256 k; k < 3; ++k) {
                address x = who[(k + order) % 3];
                if (queue.pendingRedeemRequest(0, x) == 0) continue;
                vm.prank(x);
                queue.cancelRedeemRequest(x, x);
            }
        }
        for (uint256 i; i < 3; ++i) {
            assertEq(queue.pendingRedeemRequest(0, who[i]), 0);
        }
        IIndexQueue.RedeemWindow memory w = queue.redeemWindow(1);
        if (w.units == 0) assertEq(w.sharesLeft, 0);
        vm.prank(keeper);
        if (w.sharesLeft == 0) {
            // Nothing pending: settle says so instead of dividing by zero units.
            vm.expectRevert(abi.encodeWithSelector(IIndexQueue.IndexQueueNothingToSettle.selector, 1));
            queue.settle(1);
        } else {
            // Every rest rounded to zero with a few shares still in the window (units left): settle redeems
            // them and divides by the units still counted.
            assertGt(w.units, 0);
            queue.settle(1);
        }
    }

    /// A short window's rest still pending blocks a request two windows later (same account parity): it can be
    /// cancelled, so the controller is told which window holds it; once cancelled the request goes through.
    function test_aShortWindowsPendingRestBlocksARedeemRequestTwoWindowsLater() public {
        uint256 shares = _aliceRedeemsHalfInAShortWindow();
        uint256 rest = queue.pendingRedeemRequest(0, alice);
        assertGt(rest, 0);
        vm.warp(queue.cutOffOf(2) + 1);
        assertEq(queue.currentWindow(), 3);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexQueue.IndexQueueEarlierRequestPending.selector, alice, 1, 3));
        queue.requestRedeem(shares / 4, alice, alice);
        vm.prank(alice);
        assertEq(queue.cancelRedeemRequest(alice, alice), rest);
        vm.prank(alice);
        queue.requestRedeem(shares / 4, alice, alice);
        assertEq(queue.pendingRedeemRequest(0, alice), shares / 4);
        assertEq(queue.redeemWindowOf(alice), 3);
    }

    /// Windows of the same parity share an account: window 3's request waits for window 1 (a full window late),
    /// window 4's goes beside it; both settle into one claim.
    function test_aRequestTwoWindowsAfterAnUnsettledOneWaitsAndTheNextGoesBeside() public {
        usdc.mint(alice, 3_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), type(uint256).max);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.warp(queue.cutOffOf(2) + 1);
        vm.expectRevert(abi.encodeWithSelector(IIndexQueue.IndexQueueEarlierRequestPending.selector, alice, 1, 3));
        queue.requestDeposit(500e6, alice, alice);
        vm.warp(queue.cutOffOf(3) + 1);
        queue.requestDeposit(2_000e6, alice, alice);
        vm.stopPrank();
        assertEq(queue.pendingDepositRequest(0, alice), 3_000e6);
        assertEq(queue.depositWindowOf(alice), 1);
        _pushFeeds();
        vm.prank(keeper);
        assertTrue(queue.settle(1));
        assertEq(queue.pendingDepositRequest(0, alice), 2_000e6);
        assertEq(queue.depositWindowOf(alice), 4);
        assertEq(queue.claimableDepositRequest(0, alice), 1_000e6);
        vm.warp(queue.cutOffOf(4) + 1);
        _pushFeeds();
        vm.prank(keeper);
        assertTrue(queue.settle(4));
        uint256 shares = queue.depositWindow(1).shares + queue.depositWindow(4).shares;
        assertEq(queue.maxMint(alice), shares);
        assertEq(queue.maxDeposit(alice), 3_000e6);
        vm.prank(alice);
        assertEq(queue.deposit(3_000e6, alice, alice), shares);
        assertEq(vault.balanceOf(alice), shares);
        assertEq(queue.depositWindowOf(alice), 0);
    }
}

/// Findings of the queued path's attack review, each written as the property an external suite would check: a
/// queued request keeps an exit when a broken part stops its settlement, and the queue takes no deposit the vault
/// refuses.
contract IndexQueueLockedExitTest is IndexQueueTestBase {
    address bob = makeAddr("bob");
    address guardian = makeAddr("guardian");

    /// A queued redemption past its cut-off keeps an exit while the vault's cash redemption fails for a reason
    /// other than IndexVaultInsufficientCash. Here one constituent's feed stops (the case AUDITORS.md says cannot
    /// freeze the vault: "in-kind exit works"): the settlement waits, and the window's redeemer takes its shares
    /// back and leaves in kind, as a holder who did not queue does. Before the fix the shares sat in the queue's
    /// escrow until governance (48 h timelock) replaced the feed.
    function test_queuedRedeemerKeepsAnExitWhileADeadFeedBlocksSettlement() public {
        uint256 aliceShares = _instantDeposit(alice, 1_000e6);
        uint256 bobShares = _instantDeposit(bob, 1_000e6);
        vm.prank(alice);
        queue.requestRedeem(aliceShares, alice, alice);

        // WETH's feed dies just before the cut-off; USDC's keeps updating.
        vm.warp(queue.cutOffOf(1) - 1 hours);
        wethFeed.setAnswer(2_000e8);
        vm.warp(queue.cutOffOf(1) + 3 days);
        usdcFeed.setAnswer(1e8);
        vm.prank(keeper);
        assertFalse(queue.settle(1));
        assertFalse(queue.redeemWindow(1).short);
        assertTrue(queue.settlementDeferred(1));
        assertEq(queue.pendingRedeemRequest(0, alice), aliceShares);

        // The direct holder's exit works while the feed is dead.
        uint256[] memory mins = new uint256[](2);
        vm.prank(bob);
        vault.redeemInKind(bobShares, bob, bob, mins);
        assertGt(usdc.balanceOf(bob), 0);

        // So does the queued holder's: the waiting window's redemption comes back whole, then leaves in kind.
        vm.prank(alice);
        assertEq(queue.cancelRedeemRequest(alice, alice), aliceShares);
        assertEq(vault.balanceOf(alice), aliceShares);
        vm.prank(alice);
        vault.redeemInKind(aliceShares, alice, alice, mins);
        assertGt(usdc.balanceOf(alice), 0);
    }

    /// A queued deposit past its cut-off keeps an exit while the vault refuses deposits. The guardian alone can
    /// pause deposits (only the admin, through the 48 h timelock, can unpause): every settle waits, and the
    /// requester takes its cash back. Before the fix it was frozen in the queue for as long as the pause lasted.
    function test_queuedDepositorKeepsAnExitWhileTheVaultRefusesDeposits() public {
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.stopPrank();
        vm.warp(queue.cutOffOf(1) + 60);
        _pushFeeds();
        vm.prank(guardian);
        vault.pauseDeposits();
        vm.prank(keeper);
        assertFalse(queue.settle(1));
        vm.warp(block.timestamp + 30 days);
        _pushFeeds();
        assertFalse(queue.settle(1));
        assertEq(queue.pendingDepositRequest(0, alice), 1_000e6);

        vm.prank(alice);
        assertEq(queue.cancelDepositRequest(alice, alice), 1_000e6);
        assertEq(usdc.balanceOf(alice), 1_000e6);
        assertEq(queue.depositWindow(1).assets, 0);
    }

    /// A settlement whose vault call ran out of gas (a settler after the grace period can choose the gas so that
    /// only the inner call fails) waits like any other, but opens no cancellation: no part is broken, and a
    /// settler must not be able to hand the window's requesters a free option.
    function test_aSettlementThatRanOutOfGasOpensNoCancellation() public {
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.stopPrank();
        vm.warp(queue.cutOffOf(1) + 60);
        _pushFeeds();
        GasBurningHook burner = new GasBurningHook();
        usdc.setHook(burner);
        burner.arm();
        // The settler picks the gas: the vault's call burns its 63/64, the queue finishes on the rest.
        vm.prank(keeper);
        assertFalse(queue.settle{gas: 5_000_000}(1));
        assertFalse(queue.settlementDeferred(1));
        uint256 cutOff = queue.cutOffOf(1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexQueue.IndexQueueCutOffPassed.selector, 1, cutOff));
        queue.cancelDepositRequest(alice, alice);
    }

    /// ERC-7540 conformance: requestDeposit "MUST revert if all of assets cannot be requested for deposit/mint
    /// (due to deposit limit being reached, ...)". While the vault refuses deposits (paused: vault.maxDeposit is
    /// 0) the queue takes no cash.
    function test_requestDepositRevertsWhileTheVaultRefusesDeposits() public {
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        vm.prank(guardian);
        vault.pauseDeposits();
        assertEq(vault.maxDeposit(address(queue)), 0);
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        vm.expectRevert(IIndexQueue.IndexQueueVaultDepositsPaused.selector);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.stopPrank();
        assertEq(usdc.balanceOf(alice), 1_000e6);
    }
}
