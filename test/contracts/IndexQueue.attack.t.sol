// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IndexQueue} from "../../contracts/IndexQueue.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexQueue} from "../../contracts/interfaces/IIndexQueue.sol";
import {IERC7540Deposit} from "../../contracts/interfaces/IERC7540.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";

/// Attack/audit findings against the queued path (IndexQueue), each written as the property an external suite
/// would check; a test here fails while the finding stands.
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

    /// FINDING (liveness): a queued redemption past its cut-off has no exit while the vault's cash redemption
    /// reverts for any reason other than IndexVaultInsufficientCash. Here one constituent's feed stops (the case
    /// AUDITORS.md says cannot freeze the vault: "in-kind exit works"): every settle is deferred, the window is
    /// never marked short, so cancelRedeemRequest reverts IndexQueueCutOffPassed, and the shares sit in the
    /// queue's escrow where redeemInKind cannot reach them. A holder who did not queue leaves in kind at once.
    /// The lock lasts until governance (48 h timelock) replaces the feed; a dust donation of the dead token to the
    /// vault (IndexVaultAssetHasBalance) even rules out deregistering it.
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

        // The queued holder's does not: cancel reverts (IndexQueueCutOffPassed) and nothing else returns the shares.
        vm.prank(alice);
        (bool ok,) = address(queue).call(abi.encodeCall(IIndexQueue.cancelRedeemRequest, (alice, alice)));
        assertTrue(ok, "queued redeemer locked: cannot cancel or exit in kind while a feed is dead");
        assertEq(vault.balanceOf(alice), aliceShares);
    }

    /// FINDING (liveness): a queued deposit past its cut-off has no exit while the vault refuses deposits. The
    /// guardian alone can pause deposits (only the admin, through the 48 h timelock, can unpause): every settle is
    /// then deferred and cancelDepositRequest reverts IndexQueueCutOffPassed, so the requester's cash is frozen in
    /// the queue for as long as the pause lasts, whereas a pause only stops instant depositors from entering.
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
        (bool ok,) = address(queue).call(abi.encodeCall(IIndexQueue.cancelDepositRequest, (alice, alice)));
        assertTrue(ok, "queued depositor locked: cannot cancel while the vault refuses deposits");
        assertEq(usdc.balanceOf(alice), 1_000e6);
    }

    /// FINDING (ERC-7540 conformance, same root as the test above): requestDeposit "MUST revert if all of assets
    /// cannot be requested for deposit/mint (due to deposit limit being reached, ...)". While the vault refuses
    /// deposits (paused: vault.maxDeposit is 0) the queue still takes the cash, and once the window's cut-off
    /// passes the request can neither settle nor be cancelled.
    function test_requestDepositRevertsWhileTheVaultRefusesDeposits() public {
        vm.prank(guardian);
        vault.pauseDeposits();
        assertEq(vault.maxDeposit(address(queue)), 0);
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(queue), 1_000e6);
        (bool ok,) = address(queue).call(abi.encodeCall(IERC7540Deposit.requestDeposit, (1_000e6, alice, alice)));
        vm.stopPrank();
        assertFalse(ok, "requestDeposit took cash the vault cannot accept");
    }
}
