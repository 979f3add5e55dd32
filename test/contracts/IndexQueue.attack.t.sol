// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IndexQueue} from "../../contracts/IndexQueue.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexQueue} from "../../contracts/interfaces/IIndexQueue.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";

/// Findings of the queued path's attack review (IndexQueue), each written as the property an external suite would
/// check: a queued request keeps an exit when a broken part stops its settlement, and the queue takes no deposit
/// the vault refuses.
contract IndexQueueAttackTest is Test {
    uint256 constant WINDOW = 1 days;
    uint256 constant GRACE = 6 hours;

    OracleRouter router;
    TestToken usdc;
    TestPriceFeed usdcFeed;
    TestToken weth;
    TestPriceFeed wethFeed;
    IndexVault vault;
    IndexQueue queue;

    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address keeper = makeAddr("keeper");
    address guardian = makeAddr("guardian");
    address feeTo = makeAddr("feeTo");

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestToken("USD Coin", "USDC", 6, address(this));
        usdcFeed = new TestPriceFeed(8, "USDC / USD", 1e8, address(this));
        weth = new TestToken("Wrapped Ether", "WETH", 18, address(this));
        wethFeed = new TestPriceFeed(8, "WETH / USD", 2_000e8, address(this));
        router = new OracleRouter(address(this), address(0));
        router.setSource(address(usdc), _feedSource(address(usdcFeed), 0.95e8, 1.05e8));
        router.setSource(address(weth), _feedSource(address(wethFeed), 1, 1e14));
        vault = new IndexVault(usdc, "Open Index", "OIDX", address(this), IOracleRouter(address(router)), feeTo);
        vault.registerAsset(address(weth), 10_000);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        queue = new IndexQueue(vault, address(this), keeper, block.timestamp, WINDOW, GRACE);
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

    function _instantDeposit(address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(vault), assets);
        shares = vault.deposit(assets, who);
        vault.approve(address(queue), type(uint256).max);
        usdc.approve(address(queue), type(uint256).max);
        vm.stopPrank();
    }

    /// A queued redemption past its cut-off must keep an exit while the vault's cash redemption fails for a
    /// reason other than IndexVaultInsufficientCash. Here one constituent's feed stops (the case AUDITORS.md says
    /// cannot freeze the vault: "in-kind exit works"): the settlement waits, and the window's redeemer takes its
    /// shares back and may leave in kind, as a holder who did not queue does. Before the fix the shares sat in
    /// the queue's escrow until governance (48 h timelock) replaced the feed.
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
        assertEq(queue.pendingRedeemRequest(0, alice), aliceShares);

        // The direct holder's exit works while the feed is dead.
        uint256[] memory mins = new uint256[](2);
        vm.prank(bob);
        vault.redeemInKind(bobShares, bob, bob, mins);
        assertGt(usdc.balanceOf(bob), 0);

        // So does the queued holder's: the waiting window's redemption comes back whole, then leaves in kind.
        assertTrue(queue.settlementDeferred(1));
        vm.prank(alice);
        assertEq(queue.cancelRedeemRequest(alice, alice), aliceShares);
        assertEq(vault.balanceOf(alice), aliceShares);
        vm.prank(alice);
        vault.redeemInKind(aliceShares, alice, alice, mins);
        assertGt(usdc.balanceOf(alice), 0);
    }

    /// A queued deposit past its cut-off must keep an exit while the vault refuses deposits. The guardian alone
    /// can pause deposits (only the admin, through the 48 h timelock, can unpause): every settle waits, and the
    /// requester takes its cash back. Before the fix it was frozen in the queue for as long as the pause lasted.
    function test_queuedDepositorKeepsAnExitWhileTheVaultRefusesDeposits() public {
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        queue.requestDeposit(1_000e6, alice, alice);
        vm.stopPrank();
        vm.warp(queue.cutOffOf(1) + 60);
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
        vm.prank(guardian);
        vault.pauseDeposits();
        vm.prank(keeper);
        assertFalse(queue.settle(1));
        vm.warp(block.timestamp + 30 days);
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
        assertFalse(queue.settle(1));
        assertEq(queue.pendingDepositRequest(0, alice), 1_000e6);

        vm.prank(alice);
        assertEq(queue.cancelDepositRequest(alice, alice), 1_000e6);
        assertEq(usdc.balanceOf(alice), 1_000e6);
        assertEq(queue.depositWindow(1).assets, 0);
    }

    /// ERC-7540 conformance: requestDeposit "MUST revert if all of assets cannot be requested for deposit/mint
    /// (due to deposit limit being reached, ...)". While the vault refuses deposits (paused: vault.maxDeposit is
    /// 0) the queue must not take the cash.
    function test_requestDepositRevertsWhileTheVaultRefusesDeposits() public {
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
