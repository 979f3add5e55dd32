// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test, console} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {MockSwapAdapter} from "../../contracts/test/MockSwapAdapter.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";
import {HookToken, ITransferHook} from "../../contracts/test/HookToken.sol";
import {HostileToken} from "../../contracts/test/HostileToken.sol";

/// @dev A feed whose latestRoundData reverts, as a deprecated or paused aggregator does.
contract RevertingFeed {
    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        revert("feed down");
    }
}

/// @dev Tries to re-enter the vault from a token transfer hook.
contract ReentryHook is ITransferHook {
    IndexVault public vault;
    bool public attempted;
    bytes public revertData;

    constructor(IndexVault vault_) {
        vault = vault_;
    }

    function onTokenTransfer(address, address, uint256) external {
        if (attempted) return;
        attempted = true;
        try vault.deposit(1, address(this)) {} catch (bytes memory data) {
            revertData = data;
        }
    }
}

/// @notice Reads the vault's views from inside an in-kind exit (mid-transfer), as a lending market pricing
/// the share through convertToAssets would.
contract ViewReentryHook is ITransferHook {
    IndexVault public vault;
    bool public attempted;
    bytes public totalAssetsRevert;
    bytes public convertRevert;
    uint256 public maxRedeemSeen = type(uint256).max;
    uint256 public maxDepositSeen = type(uint256).max;

    constructor(IndexVault vault_) {
        vault = vault_;
    }

    function onTokenTransfer(address, address, uint256) external {
        if (attempted) return;
        attempted = true;
        try vault.totalAssets() {} catch (bytes memory data) {
            totalAssetsRevert = data;
        }
        try vault.convertToAssets(1e18) {} catch (bytes memory data) {
            convertRevert = data;
        }
        maxRedeemSeen = vault.maxRedeem(address(this));
        maxDepositSeen = vault.maxDeposit(address(this));
    }
}

contract IndexVaultTest is Test {
    IndexVault vault;
    OracleRouter router;
    TestToken usdc;
    TestPriceFeed usdcFeed;
    MockSwapAdapter adapter;
    TestToken[] tokens;
    TestPriceFeed[] feeds;

    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address keeper = makeAddr("keeper");
    address guardian = makeAddr("guardian");
    address feeTo = makeAddr("feeTo");

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestToken("USD Coin", "USDC", 6, address(this));
        usdcFeed = new TestPriceFeed(8, "USDC / USD", 1e8, address(this));
        router = new OracleRouter(address(this), address(0));
        router.setSource(address(usdc), _feedSource(address(usdcFeed), 0.95e8, 1.05e8));
        vault = new IndexVault(usdc, "Open Index", "OIDX", address(this), router, feeTo);
        vault.grantRole(vault.KEEPER_ROLE(), keeper);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        adapter = new MockSwapAdapter();
        vault.setAdapterAllowed(address(adapter), true);
        _addAsset("Wrapped Ether", 18, 2_000e8);
        _addAsset("Wrapped Bitcoin", 8, 100_000e8);
    }

    // --------------------------------------------------------------------------------------------
    // Helpers
    // --------------------------------------------------------------------------------------------

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

    function _addAsset(string memory name, uint8 decimals, int256 answer) internal returns (TestToken token) {
        token = new TestToken(name, name, decimals, address(this));
        TestPriceFeed feed = new TestPriceFeed(8, name, answer, address(this));
        router.setSource(address(token), _feedSource(address(feed), 1, uint128(uint256(answer)) * 100));
        vault.registerAsset(address(token), 10_000);
        tokens.push(token);
        feeds.push(feed);
    }

    function _deposit(address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(vault), assets);
        shares = vault.deposit(assets, who);
        vm.stopPrank();
    }

    function _commit(IIndexVault.Regime regime) internal {
        address[] memory assets = new address[](1);
        assets[0] = address(usdc);
        uint16[] memory weights = new uint16[](1);
        weights[0] = 10_000;
        // Epochs are day starts, at most now.
        uint64 next = uint64(block.timestamp / 1 days * 1 days);
        vm.prank(keeper);
        vault.commitTargets(next, regime, assets, weights, keccak256("snapshot"));
    }

    /// @dev A bull epoch targeting `bps` of NAV in the first constituent (WETH) and the rest in cash.
    function _commitFirst(uint16 bps) internal {
        address[] memory assets = new address[](2);
        assets[0] = address(usdc);
        assets[1] = address(tokens[0]);
        uint16[] memory weights = new uint16[](2);
        weights[0] = 10_000 - bps;
        weights[1] = bps;
        uint64 next = uint64(block.timestamp / 1 days * 1 days);
        vm.prank(keeper);
        vault.commitTargets(next, IIndexVault.Regime.Bull, assets, weights, keccak256("snapshot"));
    }

    function _trade(address tokenIn, address tokenOut, uint256 amountIn, uint256 minOut)
        internal
        view
        returns (IIndexVault.Trade[] memory trades)
    {
        trades = new IIndexVault.Trade[](1);
        trades[0] = IIndexVault.Trade(address(adapter), tokenIn, tokenOut, amountIn, minOut, "");
    }

    function _minAmounts() internal view returns (uint256[] memory) {
        return new uint256[](vault.registeredAssets().length + 1);
    }

    // --------------------------------------------------------------------------------------------
    // ERC-4626 behaviour
    // --------------------------------------------------------------------------------------------

    function test_depositThenRedeemNeverProfits() public {
        vault.setFees(10, 10, 0);
        _deposit(bob, 50_000e6);
        uint256 shares = _deposit(alice, 10_000e6);
        vm.prank(alice);
        uint256 back = vault.redeem(shares, alice, alice);
        assertLt(back, 10_000e6);
        assertApproxEqRel(back, 10_000e6 * 0.998e18 / 1e18, 0.0002e18);
    }

    function test_previewsMatchActions() public {
        vault.setFees(25, 30, 0);
        _deposit(bob, 1_000e6);
        uint256 preview = vault.previewDeposit(123_456_789);
        assertEq(_deposit(alice, 123_456_789), preview);
        uint256 redeemPreview = vault.previewRedeem(vault.balanceOf(alice));
        uint256 shares = vault.balanceOf(alice);
        vm.prank(alice);
        assertEq(vault.redeem(shares, alice, alice), redeemPreview);
    }

    function test_depositWithMinRevertsBelowMinimum() public {
        usdc.mint(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), 1_000e6);
        uint256 expected = vault.previewDeposit(1_000e6);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultSharesBelowMin.selector, expected, expected + 1));
        vault.depositWithMin(1_000e6, alice, expected + 1);
        vm.stopPrank();
    }

    function test_firstDepositorDonationDoesNotPay() public {
        // Attacker deposits 1 wei, donates 10,000 USDC, hoping the victim's shares round to nothing.
        uint256 attackerShares = _deposit(alice, 1);
        usdc.mint(alice, 10_000e6);
        vm.prank(alice);
        usdc.transfer(address(vault), 10_000e6);
        uint256 victimShares = _deposit(bob, 10_000e6);
        assertGt(victimShares, 0);
        vm.prank(alice);
        uint256 attackerOut = vault.redeem(attackerShares, alice, alice);
        assertLt(attackerOut, 10_000e6 + 1, "attacker lost money");
        vm.prank(bob);
        uint256 victimOut = vault.redeem(victimShares, bob, bob);
        assertGe(victimOut, 10_000e6 * 0.9999e18 / 1e18, "victim keeps >= 99.99%");
    }

    function test_cashRedemptionIsLimitedToCashAndMaxRedeemTellsTheTruth() public {
        vault.setFees(0, 20, 0);
        _deposit(alice, 10_000e6);
        // Move 60% of the cash into WETH through a trade.
        _commitFirst(6_000);
        TestToken weth = tokens[0];
        weth.mint(address(adapter), 3e18);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(weth), 6_000e6, 2.97e18), block.timestamp, 0);

        uint256 maxShares = vault.maxRedeem(alice);
        assertLt(maxShares, vault.balanceOf(alice));
        vm.prank(alice);
        uint256 out = vault.redeem(maxShares, alice, alice);
        assertLe(out, 4_000e6);
        assertEq(vault.maxWithdraw(alice), usdc.balanceOf(address(vault)));
        uint256 rest = vault.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert();
        vault.redeem(rest, alice, alice);
    }

    function test_managementFeePendingSharesCountInSupply() public {
        vault.setFees(0, 0, 200);
        _deposit(alice, 100_000e6);
        uint256 supplyBefore = vault.totalSupply();
        vm.warp(block.timestamp + 365 days);
        _refreshFeeds();
        uint256 pending = vault.pendingManagementFeeShares();
        assertGt(pending, 0);
        assertEq(vault.totalSupply(), supplyBefore + pending);
        assertApproxEqRel(vault.convertToAssets(pending), 2_000e6, 0.001e18);
        vault.accrueManagementFee();
        assertEq(vault.balanceOf(feeTo), pending);
        assertEq(vault.pendingManagementFeeShares(), 0);
    }

    function test_feesAboveTheirCapsRevert() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultFeeTooHigh.selector, 501, 500));
        vault.setFees(0, 0, 501);
    }

    function test_settersRejectOutOfRangeAndAcceptTheirBounds() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultSlippageOutOfRange.selector, 0, 500));
        vault.setMaxSlippage(0);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultSlippageOutOfRange.selector, 501, 500));
        vault.setMaxSlippage(501);
        vault.setMaxSlippage(500);
        assertEq(vault.maxSlippageBps(), 500);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultLossBudgetOutOfRange.selector, 501, 7 days));
        vault.setLossBudget(501, 7 days);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultLossBudgetOutOfRange.selector, 50, 1 days - 1));
        vault.setLossBudget(50, 1 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultLossBudgetOutOfRange.selector, 50, 30 days + 1));
        vault.setLossBudget(50, 30 days + 1);
        vault.setLossBudget(500, 1 days);
        vault.setLossBudget(500, 30 days);
        assertEq(vault.lossBudgetBps(), 500);
        assertEq(vault.lossBudgetWindowSeconds(), 30 days);
    }

    // --------------------------------------------------------------------------------------------
    // Oracle failures
    // --------------------------------------------------------------------------------------------

    function test_staleFeedBlocksDepositsAndCashExitButNotInKind() public {
        _deposit(alice, 1_000e6);
        vm.warp(block.timestamp + 2 days);
        usdcFeed.setAnswer(1e8);
        feeds[1].setAnswer(100_000e8); // WETH feed stays stale
        assertEq(vault.maxDeposit(bob), 0);
        assertEq(vault.maxRedeem(alice), 0);
        usdc.mint(bob, 1e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1e6);
        vm.expectPartialRevert(IOracleRouter.OracleRouterStalePrice.selector);
        vault.deposit(1e6, bob);
        vm.stopPrank();

        uint256 shares = vault.balanceOf(alice);
        uint256[] memory mins = _minAmounts();
        vm.prank(alice);
        uint256[] memory out = vault.redeemInKind(shares, alice, alice, mins);
        assertApproxEqAbs(out[0], 1_000e6, 1);
    }

    function test_revertingFeedGivesAClearErrorAndInKindStillWorks() public {
        _deposit(alice, 1_000e6);
        TestToken weth = tokens[0];
        vm.mockCallRevert(address(feeds[0]), abi.encodeWithSignature("latestRoundData()"), "down");
        vm.expectRevert(
            abi.encodeWithSelector(IOracleRouter.OracleRouterFeedReverted.selector, address(weth), address(feeds[0]))
        );
        vault.totalAssets();
        assertEq(vault.maxDeposit(alice), 0);
        uint256 shares = vault.balanceOf(alice);
        uint256[] memory mins = _minAmounts();
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, mins);
        assertApproxEqAbs(usdc.balanceOf(alice), 1_000e6, 1);
    }

    function test_negativeAnswerAndFeedStuckAtItsFloorBlockDeposits() public {
        feeds[0].setAnswer(-1);
        vm.expectPartialRevert(IOracleRouter.OracleRouterNonPositiveAnswer.selector);
        vault.totalAssets();
        // A Chainlink aggregator pins its answer at its own minAnswer while the market collapses; the router's
        // floor sits above it, so a pinned feed blocks instead of overpricing.
        feeds[0].setAnswer(2_000e8);
        router.setSource(address(tokens[0]), _feedSource(address(feeds[0]), 100e8, 100_000e8));
        feeds[0].setAnswer(99e8);
        vm.expectPartialRevert(IOracleRouter.OracleRouterAnswerOutOfBounds.selector);
        vault.totalAssets();
    }

    function test_stablecoinDepegBlocksDepositsAndCashRedemptions() public {
        _deposit(alice, 1_000e6);
        usdcFeed.setAnswer(0.9e8);
        assertEq(vault.maxDeposit(bob), 0);
        assertEq(vault.maxWithdraw(alice), 0);
        uint256 shares = vault.balanceOf(alice);
        vm.prank(alice);
        vm.expectPartialRevert(IOracleRouter.OracleRouterAnswerOutOfBounds.selector);
        vault.redeem(shares, alice, alice);
    }

    // --------------------------------------------------------------------------------------------
    // Pausing and roles
    // --------------------------------------------------------------------------------------------

    function test_guardianPausesDepositsButInKindExitStillWorks() public {
        _deposit(alice, 1_000e6);
        vm.prank(guardian);
        vault.pauseDeposits();
        vm.prank(guardian);
        vault.pauseRebalances();
        assertEq(vault.maxDeposit(bob), 0);
        usdc.mint(bob, 1e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1e6);
        vm.expectRevert(IIndexVault.IndexVaultDepositsPaused.selector);
        vault.deposit(1e6, bob);
        vm.stopPrank();
        uint256 shares = vault.balanceOf(alice);
        uint256[] memory mins = _minAmounts();
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, mins);
        // The guardian cannot unpause.
        vm.prank(guardian);
        vm.expectRevert();
        vault.unpauseDeposits();
    }

    function test_deregisterOnlyUpToTheWriteOffAndKeepsTheListConsistent() public {
        TestToken third = _addAsset("Third", 18, 5e8);
        tokens[0].mint(address(vault), 2);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultAssetHasBalance.selector, address(tokens[0]), 2)
        );
        vault.deregisterAsset(address(tokens[0]), 1);
        vault.deregisterAsset(address(tokens[1]), 0);
        address[] memory list = vault.registeredAssets();
        assertEq(list.length, 2);
        assertEq(list[0], address(tokens[0]));
        assertEq(list[1], address(third));
        assertFalse(vault.isRegistered(address(tokens[1])));
        vault.deregisterAsset(address(third), 0);
        assertEq(vault.registeredAssets().length, 1);
        // Dust up to the write-off does not block it; it stays in the vault, out of NAV.
        vm.expectEmit(address(vault));
        emit IIndexVault.AssetDeregistered(address(tokens[0]), 2);
        vault.deregisterAsset(address(tokens[0]), 2);
        assertEq(vault.registeredAssets().length, 0);
        assertEq(tokens[0].balanceOf(address(vault)), 2);
    }

    function test_guardianRevokesAKeeper() public {
        vm.prank(guardian);
        vault.revokeKeeper(keeper);
        assertFalse(vault.hasRole(vault.KEEPER_ROLE(), keeper));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultNotGuardian.selector, alice));
        vault.revokeKeeper(keeper);
    }

    // --------------------------------------------------------------------------------------------
    // Rebalancing
    // --------------------------------------------------------------------------------------------

    function test_commitRejectsRiskWeightInBearAndNonIncreasingEpochs() public {
        address[] memory assets = new address[](2);
        assets[0] = address(usdc);
        assets[1] = address(tokens[0]);
        uint16[] memory weights = new uint16[](2);
        weights[0] = 5_000;
        weights[1] = 5_000;
        vm.startPrank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultBearRiskWeight.selector, address(tokens[0]), 5_000)
        );
        uint64 today = uint64(block.timestamp / 1 days * 1 days);
        vault.commitTargets(today, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(uint256(7)));
        assertEq(vault.targetWeightBps(address(tokens[0])), 5_000);
        assertEq(vault.targetWeightBps(address(usdc)), 5_000);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultEpochNotIncreasing.selector, today, today));
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        vm.stopPrank();
    }

    function test_commitRejectsAFutureOrMidDayEpochAndASecondRegimeFlipWithin24Hours() public {
        address[] memory assets = new address[](1);
        assets[0] = address(usdc);
        uint16[] memory weights = new uint16[](1);
        weights[0] = 10_000;
        uint64 today = uint64(block.timestamp / 1 days * 1 days);
        vm.startPrank(keeper);
        // The review's freeze: an epoch far in the future would block every later commit.
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultEpochNotPastDayStart.selector, type(uint64).max, block.timestamp)
        );
        vault.commitTargets(type(uint64).max, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultEpochNotPastDayStart.selector, today + 1 days, block.timestamp)
        );
        vault.commitTargets(today + 1 days, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultEpochNotPastDayStart.selector, today - 1 days + 1, block.timestamp)
        );
        vault.commitTargets(today - 1 days + 1, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vault.commitTargets(today - 2 days, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        // Bull to bear: the first change is free; back to bull with the next day's epoch must wait 24 h.
        vault.commitTargets(today - 1 days, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultRegimeFlipTooSoon.selector, block.timestamp, block.timestamp)
        );
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        // Same regime, later day: no flip, allowed at once.
        vault.commitTargets(today, IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        vm.warp(block.timestamp + 1 days);
        vault.commitTargets(today + 1 days, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        assertEq(uint256(vault.currentRegime()), uint256(IIndexVault.Regime.Bull));
        vm.stopPrank();
    }

    function test_tradesRevertWithoutEpochPastDeadlineOrOutsideTheLists() public {
        _deposit(alice, 10_000e6);
        TestToken weth = tokens[0];
        IIndexVault.Trade[] memory t = _trade(address(usdc), address(weth), 1_000e6, 0.495e18);
        vm.startPrank(keeper);
        vm.expectRevert(IIndexVault.IndexVaultNoEpoch.selector);
        vault.executeTrades(t, block.timestamp, 0);
        vm.stopPrank();
        _commit(IIndexVault.Regime.Bull);
        vm.startPrank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultDeadlineExpired.selector, block.timestamp - 1, block.timestamp)
        );
        vault.executeTrades(t, block.timestamp - 1, 0);

        // minAmountOut = 0
        t[0].minAmountOut = 0;
        vm.expectPartialRevert(IIndexVault.IndexVaultMinOutBelowOracle.selector);
        vault.executeTrades(t, block.timestamp, 0);

        // unlisted token
        TestToken junk = new TestToken("Junk", "JUNK", 18, address(this));
        t[0].tokenOut = address(junk);
        t[0].minAmountOut = 1e30;
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultUnknownToken.selector, address(junk)));
        vault.executeTrades(t, block.timestamp, 0);

        // unlisted adapter
        t[0].tokenOut = address(weth);
        t[0].adapter = address(0xBEEF);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultAdapterNotAllowed.selector, address(0xBEEF)));
        vault.executeTrades(t, block.timestamp, 0);
        vm.stopPrank();
    }

    function test_aBearEpochOnlySellsIntoTheStablecoin() public {
        _deposit(alice, 10_000e6);
        _commit(IIndexVault.Regime.Bear);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultBearBuy.selector, address(tokens[0])));
        vault.executeTrades(_trade(address(usdc), address(tokens[0]), 1_000e6, 0.5e18), block.timestamp, 0);
    }

    function test_underDeliveryIsCaughtByTheBalanceCheck() public {
        _deposit(alice, 10_000e6);
        _commit(IIndexVault.Regime.Bull);
        TestToken weth = tokens[0];
        weth.mint(address(adapter), 10e18);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        adapter.setDeliverBps(9_000);
        vm.prank(keeper);
        vm.expectPartialRevert(IIndexVault.IndexVaultReceivedBelowMin.selector);
        vault.executeTrades(_trade(address(usdc), address(weth), 1_000e6, 0.499e18), block.timestamp, 0);
    }

    function test_oracleMinimumIsExactToTheUnit() public {
        _deposit(alice, 100_000e6);
        _commitFirst(1_000);
        TestToken weth = tokens[0];
        weth.mint(address(adapter), 100e18);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        uint256 oracleMin = vault.oracleMinAmountOut(address(usdc), address(weth), 10_000e6);
        // 10,000 USDC of WETH at $2,000 less the 1 % default slippage: 4.95 WETH, to the unit.
        assertEq(oracleMin, 4.95e18);
        vm.startPrank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVaultMinOutBelowOracle.selector, address(usdc), address(weth), oracleMin - 1, oracleMin
            )
        );
        vault.executeTrades(_trade(address(usdc), address(weth), 10_000e6, oracleMin - 1), block.timestamp, 0);
        vault.executeTrades(_trade(address(usdc), address(weth), 10_000e6, oracleMin), block.timestamp, 0);
        vm.stopPrank();
    }

    function test_aLossWellUnderOnePercentIsChargedToTheBudget() public {
        _deposit(alice, 1_000_000e6);
        _commitFirst(100);
        TestToken weth = tokens[0];
        weth.mint(address(adapter), 100e18);
        // 0.3 % below the oracle: inside the slippage bound, so only the budget sees it.
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 * 997 / 1000 / 2_000);
        uint256 minOut = vault.oracleMinAmountOut(address(usdc), address(weth), 10_000e6);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(weth), 10_000e6, minOut), block.timestamp, 0);
        uint256 loss = 10_000e6 - vault.valueInAsset(address(weth), weth.balanceOf(address(vault)));
        assertEq(loss, 30e6);
        // The budget counts the loss as a fraction of the NAV it was made on (3e5 of 1e10), and what is left
        // is that fraction of the NAV now.
        uint256 lostFraction = 30e6 * 1e10 / 1_000_000e6;
        assertEq(vault.lossBudgetAvailable(), (50 * 1e6 - lostFraction) * vault.totalAssets() / 1e10);
    }

    function test_lossBudgetStopsAKeeperBurningValue() public {
        _deposit(alice, 1_000_000e6);
        _commitFirst(8_000);
        TestToken weth = tokens[0];
        weth.mint(address(adapter), 1_000e18);
        // Every trade loses the full 1% slippage allowance: 100 USDC of WETH per 10,000 USDC.
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 * 99 / 100 / 2_000);
        uint256 navBefore = vault.totalAssets();
        uint256 trades;
        vm.startPrank(keeper);
        while (true) {
            uint256 minOut = vault.oracleMinAmountOut(address(usdc), address(weth), 10_000e6);
            try vault.executeTrades(_trade(address(usdc), address(weth), 10_000e6, minOut), block.timestamp, uint64(trades)) {
                ++trades;
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), IIndexVault.IndexVaultLossBudgetExceeded.selector);
                break;
            }
        }
        vm.stopPrank();
        uint256 burnt = navBefore - vault.totalAssets();
        console.log("trades before the budget stopped the keeper:", trades);
        console.log("maximum loss (USDC units) at 50 bps of NAV:", burnt);
        assertLe(burnt, navBefore * 50 / 10_000);
        assertGe(trades, 45);
        // A window later the losses are still counted (no sliding window burns more than the budget); they
        // leave the ring's five quarter-window buckets within 1.25 windows.
        vm.warp(block.timestamp + 7 days);
        _refreshFeeds();
        assertLt(vault.lossBudgetAvailable(), vault.totalAssets() * 1 / 10_000);
        vm.warp(block.timestamp + 7 days / 4);
        _refreshFeeds();
        assertApproxEqRel(vault.lossBudgetAvailable(), vault.totalAssets() * 50 / 10_000, 0.001e18);
    }

    // --------------------------------------------------------------------------------------------
    // Unsupported tokens
    // --------------------------------------------------------------------------------------------

    function test_feeOnTransferStablecoinIsRefusedOnDeposit() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(6, 100);
        TestPriceFeed feed = new TestPriceFeed(8, "FOT", 1e8, address(this));
        router.setSource(address(fot), _feedSource(address(feed), 0.95e8, 1.05e8));
        IndexVault fotVault = new IndexVault(IERC20(address(fot)), "F", "F", address(this), router, feeTo);
        fot.mint(alice, 1_000e6);
        vm.startPrank(alice);
        fot.approve(address(fotVault), 1_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultFeeOnTransfer.selector, address(fot), 1_000e6, 990e6)
        );
        fotVault.deposit(1_000e6, alice);
        vm.stopPrank();
    }

    function test_feeOnTransferConstituentHeldIsRefusedAtRegistration() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(18, 100);
        TestPriceFeed feed = new TestPriceFeed(8, "FOT", 1e8, address(this));
        router.setSource(address(fot), _feedSource(address(feed), 1, 1e10));
        fot.mint(address(vault), 1e18);
        vm.expectPartialRevert(IIndexVault.IndexVaultFeeOnTransfer.selector);
        vault.registerAsset(address(fot), 1_000);
    }

    function test_reentryThroughATransferHookIsBlocked() public {
        HookToken hook = new HookToken(18);
        TestPriceFeed feed = new TestPriceFeed(8, "HOOK", 10e8, address(this));
        router.setSource(address(hook), _feedSource(address(feed), 1, 1e12));
        vault.registerAsset(address(hook), 10_000);
        _deposit(alice, 1_000e6);
        hook.mint(address(vault), 100e18);
        ReentryHook attacker = new ReentryHook(vault);
        hook.setHook(attacker);
        uint256 shares = vault.balanceOf(alice);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, new uint256[](4));
        assertTrue(attacker.attempted());
        assertEq(bytes4(attacker.revertData()), bytes4(keccak256("ReentrancyGuardReentrantCall()")));
        assertGt(hook.balanceOf(alice), 0);
    }

    function test_viewsRevertOrReadZeroMidExit() public {
        HookToken hook = new HookToken(18);
        TestPriceFeed feed = new TestPriceFeed(8, "HOOK", 10e8, address(this));
        router.setSource(address(hook), _feedSource(address(feed), 1, 1e12));
        vault.registerAsset(address(hook), 10_000);
        _deposit(alice, 1_000e6);
        hook.mint(address(vault), 100e18);
        ViewReentryHook reader = new ViewReentryHook(vault);
        hook.setHook(reader);
        uint256 shares = vault.balanceOf(alice) / 2;
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, new uint256[](4));
        assertTrue(reader.attempted());
        // Mid-exit the shares are burnt but the cash and tokens not all sent: a read would be ~2x too high.
        assertEq(bytes4(reader.totalAssetsRevert()), bytes4(keccak256("ReentrancyGuardReentrantCall()")));
        assertEq(bytes4(reader.convertRevert()), bytes4(keccak256("ReentrancyGuardReentrantCall()")));
        assertEq(reader.maxRedeemSeen(), 0);
        assertEq(reader.maxDepositSeen(), 0);
    }

    // --------------------------------------------------------------------------------------------
    // Gas at 100 constituents
    // --------------------------------------------------------------------------------------------

    function test_gasAt100Constituents() public {
        while (tokens.length < 100) _addAsset("T", 18, 10e8);
        _deposit(bob, 1_000_000e6);
        for (uint256 i; i < 100; ++i) tokens[i].mint(address(vault), 1e18);
        usdc.mint(alice, 1_000e6);
        vm.prank(alice);
        usdc.approve(address(vault), 1_000e6);

        // Each measured call starts cold, as its own transaction would.
        _coolEverything();
        vm.prank(alice);
        uint256 g = gasleft();
        vault.deposit(1_000e6, alice);
        uint256 depositGas = g - gasleft();

        uint256 shares = vault.balanceOf(alice);
        uint256[] memory mins = _minAmounts();
        _coolEverything();
        vm.prank(alice);
        g = gasleft();
        vault.redeemInKind(shares, alice, alice, mins);
        uint256 inKindGas = g - gasleft();

        console.log("deposit gas at 100 constituents:", depositGas);
        console.log("redeemInKind gas at 100 constituents:", inKindGas);
        assertLt(depositGas, 2_000_000);
        assertLt(inKindGas, 4_000_000);
    }

    function _coolEverything() internal {
        vm.cool(address(vault));
        vm.cool(address(router));
        vm.cool(address(usdc));
        vm.cool(address(usdcFeed));
        for (uint256 i; i < tokens.length; ++i) {
            vm.cool(address(tokens[i]));
            vm.cool(address(feeds[i]));
        }
    }

    // --------------------------------------------------------------------------------------------
    // Issue 9: loss budget as a fraction of NAV, trades bound by targets, one dead feed
    // --------------------------------------------------------------------------------------------

    /// @dev Buys `amount` USDC of WETH at 1% under the oracle (the whole slippage allowance lost), batch `seq`.
    function _lossyBuy(uint256 amount, uint64 seq) internal returns (bool ok, bytes4 error) {
        adapter.setRate(address(usdc), address(tokens[0]), 1e18 * 1e12 * 99 / 100 / 2_000);
        uint256 minOut = vault.oracleMinAmountOut(address(usdc), address(tokens[0]), amount);
        vm.prank(keeper);
        try vault.executeTrades(_trade(address(usdc), address(tokens[0]), amount, minOut), block.timestamp, seq) {
            return (true, bytes4(0));
        } catch (bytes memory reason) {
            return (false, bytes4(reason));
        }
    }

    function test_aDepositDoesNotRefillTheLossBudget() public {
        // Class 2: a stolen keeper key burns the budget, a 6x-NAV deposit follows, and the key tries again.
        _deposit(alice, 1_000_000e6);
        _commitFirst(8_000);
        tokens[0].mint(address(adapter), 1_000e18);
        uint64 seq;
        while (true) {
            (bool ok,) = _lossyBuy(10_000e6, seq);
            if (!ok) break;
            ++seq;
        }
        _deposit(bob, 6_000_000e6);
        // The key burns again on the sevenfold NAV until the budget stops it.
        uint256 burntAfterDeposit;
        while (true) {
            (bool ok, bytes4 error) = _lossyBuy(10_000e6, seq);
            if (!ok) {
                assertEq(error, IIndexVault.IndexVaultLossBudgetExceeded.selector);
                break;
            }
            ++seq;
            ++burntAfterDeposit;
        }
        // Honest holder: at most the 50 bps budget lost in the window (oracle prices), however large the
        // deposit; before the fix this sequence cost 1.86x the budget.
        uint256 honestValue = vault.convertToAssets(vault.balanceOf(alice));
        console.log("trades the key could add after a 6x-NAV deposit:", burntAfterDeposit);
        console.log("honest holder's loss, bps x100:", (1_000_000e6 - honestValue) * 1e6 / 1_000_000e6);
        assertGe(honestValue, 1_000_000e6 * (10_000 - 50) / 10_000);
    }

    function test_aBatchCannotMoveAPositionAwayFromItsTarget() public {
        // Class 4: targets 100% cash, WETH capped at 10%: no batch may buy WETH at all (tolerance 1%).
        _deposit(alice, 100_000e6);
        vault.setMaxWeight(address(tokens[0]), 1_000);
        _commit(IIndexVault.Regime.Bull);
        tokens[0].mint(address(adapter), 100e18);
        adapter.setRate(address(usdc), address(tokens[0]), 1e18 * 1e12 / 2_000);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVaultPositionAwayFromTarget.selector, address(tokens[0]), 0, 5_000, 0
            )
        );
        vault.executeTrades(_trade(address(usdc), address(tokens[0]), 50_000e6, 24.75e18), block.timestamp, 0);
        // Within the tolerance it may (price noise around a target is not a move away from it).
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(tokens[0]), 900e6, 0.4455e18), block.timestamp, 0);
    }

    function test_aBatchCannotRaiseATokenAboveItsMaxWeight() public {
        _deposit(alice, 100_000e6);
        vault.setMaxWeight(address(tokens[0]), 1_000);
        _commitFirst(1_000);
        tokens[0].mint(address(adapter), 100e18);
        adapter.setRate(address(usdc), address(tokens[0]), 1e18 * 1e12 / 2_000);
        // 10.5% is inside the target tolerance but above the 10% max weight.
        uint256 minOut = vault.oracleMinAmountOut(address(usdc), address(tokens[0]), 10_500e6);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultWeightAboveMax.selector, address(tokens[0]), 1_050, 1_000)
        );
        vault.executeTrades(_trade(address(usdc), address(tokens[0]), 10_500e6, minOut), block.timestamp, 0);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(tokens[0]), 10_000e6, 4.95e18), block.timestamp, 0);
    }

    function test_aHoldingAboveItsMaxDoesNotBlockOtherTradesAndMaySell() public {
        _deposit(alice, 100_000e6);
        TestToken weth = tokens[0];
        TestToken wbtc = tokens[1];
        _commitFirst(2_000);
        weth.mint(address(adapter), 100e18);
        wbtc.mint(address(adapter), 10e8);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(weth), 20_000e6, 9.9e18), block.timestamp, 0);
        // The admin lowers WETH's max to 10%: the 20% holding now sits above it.
        vault.setMaxWeight(address(weth), 1_000);
        address[] memory assets = new address[](3);
        (assets[0], assets[1], assets[2]) = (address(usdc), address(weth), address(wbtc));
        uint16[] memory weights = new uint16[](3);
        (weights[0], weights[1], weights[2]) = (8_000, 1_000, 1_000);
        vm.warp(block.timestamp + 1 days);
        _refreshFeeds();
        vm.prank(keeper);
        vault.commitTargets(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        // Buying WBTC toward its target works; buying more WETH does not; selling WETH toward 10% does.
        adapter.setRate(address(usdc), address(wbtc), 1e8 * 1e18 / 1e6 / 100_000);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(usdc), address(wbtc), 10_000e6, 0.099e8), block.timestamp, 1);
        vm.prank(keeper);
        vm.expectPartialRevert(IIndexVault.IndexVaultWeightAboveMax.selector);
        vault.executeTrades(_trade(address(usdc), address(weth), 100e6, 0.0495e18), block.timestamp, 2);
        usdc.mint(address(adapter), 100_000e6);
        adapter.setRate(address(weth), address(usdc), 2_000 * 1e18 / 1e12);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(weth), address(usdc), 5e18, 9_900e6), block.timestamp, 2);
    }

    function test_aSellThenBuyInOneBatchIsCheckedNetPerToken() public {
        _deposit(alice, 100_000e6);
        TestToken weth = tokens[0];
        _commitFirst(1_000);
        weth.mint(address(adapter), 100e18);
        usdc.mint(address(adapter), 100_000e6);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        adapter.setRate(address(weth), address(usdc), 2_000 * 1e18 / 1e12);
        // Buy 15% then sell 5%: 10% net, on target, though the first leg alone would pass the max tolerance.
        IIndexVault.Trade[] memory trades = new IIndexVault.Trade[](2);
        trades[0] = IIndexVault.Trade(address(adapter), address(usdc), address(weth), 15_000e6, 7.425e18, "");
        trades[1] = IIndexVault.Trade(address(adapter), address(weth), address(usdc), 2.5e18, 4_950e6, "");
        vm.prank(keeper);
        vault.executeTrades(trades, block.timestamp, 0);
        assertEq(weth.balanceOf(address(vault)), 5e18);
    }

    function test_oneDeadFeedDoesNotFreezeTheVault() public {
        _deposit(alice, 100_000e6);
        TestToken weth = tokens[0];
        TestToken wbtc = tokens[1];
        address[] memory assets = new address[](3);
        (assets[0], assets[1], assets[2]) = (address(usdc), address(weth), address(wbtc));
        uint16[] memory weights = new uint16[](3);
        (weights[0], weights[1], weights[2]) = (6_000, 2_000, 2_000);
        vm.prank(keeper);
        vault.commitTargets(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        weth.mint(address(adapter), 100e18);
        wbtc.mint(address(adapter), 10e8);
        usdc.mint(address(adapter), 1_000_000e6);
        adapter.setRate(address(usdc), address(weth), 1e18 * 1e12 / 2_000);
        adapter.setRate(address(usdc), address(wbtc), 1e8 * 1e18 / 1e6 / 100_000);
        IIndexVault.Trade[] memory buys = new IIndexVault.Trade[](2);
        buys[0] = IIndexVault.Trade(address(adapter), address(usdc), address(weth), 20_000e6, 9.9e18, "");
        buys[1] = IIndexVault.Trade(address(adapter), address(usdc), address(wbtc), 20_000e6, 0.198e8, "");
        vm.prank(keeper);
        vault.executeTrades(buys, block.timestamp, 0);

        // Two days on, every feed but WBTC's is refreshed: WBTC's is stale.
        vm.warp(block.timestamp + 2 days);
        usdcFeed.setAnswer(1e8);
        feeds[0].setAnswer(2_000e8);
        // Deposits (and cash exits) need WBTC's price and stop, naming it; max* say 0 without reverting.
        assertEq(vault.maxDeposit(alice), 0);
        assertEq(vault.maxRedeem(alice), 0);
        usdc.mint(bob, 1_000e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1_000e6);
        vm.expectPartialRevert(IOracleRouter.OracleRouterStalePrice.selector);
        vault.deposit(1_000e6, bob);
        vm.stopPrank();
        // The keeper commits bear and sells the healthy WETH; WBTC cannot trade, and is worth 0 to the budget.
        assets = new address[](1);
        assets[0] = address(usdc);
        weights = new uint16[](1);
        weights[0] = 10_000;
        vm.prank(keeper);
        vault.commitTargets(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bear, assets, weights, bytes32(0));
        adapter.setRate(address(weth), address(usdc), 2_000 * 1e18 / 1e12);
        adapter.setRate(address(wbtc), address(usdc), 100_000 * 1e18 / 1e2);
        uint256 wethHeld = weth.balanceOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultPriceUnavailable.selector, address(wbtc)));
        vault.executeTrades(_trade(address(wbtc), address(usdc), 0.1e8, 9_900e6), block.timestamp, 1);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(weth), address(usdc), wethHeld, 19_800e6), block.timestamp, 1);
        assertEq(weth.balanceOf(address(vault)), 0);
        // In kind still works for everyone.
        uint256 shares = vault.balanceOf(alice) / 2;
        uint256[] memory minAmounts = _minAmounts();
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, minAmounts);
        assertGt(wbtc.balanceOf(alice), 0);
        // The feed returns: WBTC is sold.
        feeds[1].setAnswer(100_000e8);
        uint256 wbtcHeld = wbtc.balanceOf(address(vault));
        vm.prank(keeper);
        vault.executeTrades(_trade(address(wbtc), address(usdc), wbtcHeld, wbtcHeld * 100_000 * 99 / 100 / 1e2), block.timestamp, 2);
        assertEq(wbtc.balanceOf(address(vault)), 0);
    }

    // --------------------------------------------------------------------------------------------
    // Issue 9 class 6: one hostile constituent blocks no exit
    // --------------------------------------------------------------------------------------------

    /// @dev Registers a HostileToken priced at $10 and gives the vault 1,000 of it (as a trade would).
    function _addHostile() internal returns (HostileToken hostile) {
        hostile = new HostileToken("Hostile", 18, address(this));
        TestPriceFeed feed = new TestPriceFeed(8, "HOST", 10e8, address(this));
        router.setSource(address(hostile), _feedSource(address(feed), 1, 1_000e8));
        vault.registerAsset(address(hostile), 10_000);
        hostile.mint(address(vault), 1_000e18);
    }

    function test_aGasBurningConstituentIsCreditedAndClaimableLater() public {
        _deposit(alice, 10_000e6);
        _deposit(bob, 10_000e6);
        HostileToken hostile = _addHostile();
        hostile.setMode(HostileToken.Mode.GasBurningTransfer);
        uint256 shares = vault.balanceOf(alice);
        uint256[] memory minAmounts = _minAmounts();
        uint256 gasBefore = gasleft();
        vm.prank(alice);
        // A 3M-gas limit, as a wallet would set: without the vault's per-token gas cap the hostile transfer
        // would burn all of it and the exit would revert, rather than spin for the test runner's whole limit.
        uint256[] memory out = vault.redeemInKind{gas: 3_000_000}(shares, alice, alice, minAmounts);
        uint256 used = gasBefore - gasleft();
        console.log("in-kind exit gas with one gas-burning constituent:", used);
        // Bounded: the hostile transfer costs at most its 200k cap, not the block.
        assertLt(used, 600_000);
        assertApproxEqAbs(usdc.balanceOf(alice), 10_000e6, 1);
        assertEq(out[out.length - 1], 0);
        uint256 owed = vault.creditOf(address(hostile), alice);
        assertApproxEqRel(owed, 500e18, 1e9);
        // The credit is out of NAV and out of bob's slice: bob gets the half that is his, not more.
        uint256 bobShares = vault.balanceOf(bob);
        hostile.setMode(HostileToken.Mode.Honest);
        assertApproxEqAbs(vault.totalAssets(), 10_000e6 + 5_000e6, 2);
        vm.prank(bob);
        vault.redeemInKind(bobShares, bob, bob, minAmounts);
        assertApproxEqRel(hostile.balanceOf(bob), 500e18, 1e9);
        // The token works again: alice claims what she was owed, once.
        vm.prank(alice);
        vault.claimCredit(address(hostile), alice);
        assertEq(hostile.balanceOf(alice), owed);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultNoCredit.selector, address(hostile), alice));
        vault.claimCredit(address(hostile), alice);
    }

    function test_aRevertingBalanceOfBlocksNoExitAndNoView() public {
        _deposit(alice, 10_000e6);
        HostileToken hostile = _addHostile();
        hostile.setMode(HostileToken.Mode.RevertingBalanceOf);
        // max* views say 0 instead of reverting; deposits stop naming the token.
        assertEq(vault.maxDeposit(alice), 0);
        assertEq(vault.maxMint(alice), 0);
        assertEq(vault.maxWithdraw(alice), 0);
        assertEq(vault.maxRedeem(alice), 0);
        usdc.mint(bob, 1_000e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1_000e6);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultBalanceUnreadable.selector, address(hostile)));
        vault.deposit(1_000e6, bob);
        vm.stopPrank();
        // In kind completes: the cash slice arrives, the unmeasurable slice stays, with an event.
        uint256 shares = vault.balanceOf(alice) / 2;
        uint256[] memory minAmounts = _minAmounts();
        vm.expectEmit(true, true, false, false, address(vault));
        emit IIndexVault.InKindSliceUnreadable(address(hostile), alice);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, minAmounts);
        assertApproxEqAbs(usdc.balanceOf(alice), 5_000e6, 1);
        // A caller who requires that slice gets a revert instead of losing it silently.
        minAmounts[minAmounts.length - 1] = 1;
        uint256 rest = vault.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultAmountBelowMin.selector, address(hostile), 0, 1));
        vault.redeemInKind(rest, alice, alice, minAmounts);
    }

    // --------------------------------------------------------------------------------------------
    // Money-path bounds to the unit (each kills a mutant in test/contracts/mutants.json)
    // --------------------------------------------------------------------------------------------

    function test_feeSettersRejectEachCapPlusOneAndAcceptTheCaps() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultFeeTooHigh.selector, 101, 100));
        vault.setFees(101, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultFeeTooHigh.selector, 101, 100));
        vault.setFees(0, 101, 0);
        vault.setFees(100, 100, 500);
        assertEq(vault.entryFeeBps(), 100);
        assertEq(vault.exitFeeBps(), 100);
        assertEq(vault.managementFeeBps(), 500);
    }

    function test_toleranceAndMaxWeightSettersRejectOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultTargetToleranceOutOfRange.selector, 1_001, 1_000));
        vault.setTargetTolerance(1_001);
        vault.setTargetTolerance(1_000);
        assertEq(vault.targetToleranceBps(), 1_000);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultWeightOutOfRange.selector, 10_001));
        vault.setMaxWeight(address(tokens[0]), 10_001);
        vault.setMaxWeight(address(tokens[0]), 10_000);
        assertEq(vault.maxWeightBps(address(tokens[0])), 10_000);
    }

    function test_commitRejectsAWeightOneOverItsMaxAndWeightsThatDoNotSumToOne() public {
        vault.setMaxWeight(address(tokens[0]), 1_000);
        address[] memory assets = new address[](2);
        assets[0] = address(usdc);
        assets[1] = address(tokens[0]);
        uint16[] memory weights = new uint16[](2);
        weights[0] = 8_999;
        weights[1] = 1_001;
        uint64 today = uint64(block.timestamp / 1 days * 1 days);
        vm.startPrank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVaultWeightAboveMax.selector, address(tokens[0]), 1_001, 1_000)
        );
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        weights[1] = 1_000;
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultWeightsSum.selector, 9_999));
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        weights[0] = 9_000;
        vault.commitTargets(today, IIndexVault.Regime.Bull, assets, weights, bytes32(0));
        vm.stopPrank();
        assertEq(vault.targetWeightBps(address(tokens[0])), 1_000);
    }

    function test_aBatchMayLoseExactlyTheBudgetLeftAndNotOneUnitMore() public {
        // A 5 % slippage bound and a 1 bps budget: on a 502,000 USDC NAV the budget (50.2 USDC) binds first.
        vault.setMaxSlippage(500);
        vault.setLossBudget(1, 7 days);
        _deposit(alice, 500_000e6);
        TestToken weth = tokens[0];
        weth.mint(address(vault), 1e18);
        _commit(IIndexVault.Regime.Bull);
        uint256 available = vault.lossBudgetAvailable();
        assertEq(available, 50.2e6);
        usdc.mint(address(adapter), 10_000e6);
        uint256 minOut = vault.oracleMinAmountOut(address(weth), address(usdc), 1e18);
        // The adapter pays `rate` USDC units for 1 WETH (worth 2,000 USDC): a loss of 2,000e6 - rate.
        adapter.setRate(address(weth), address(usdc), 2_000e6 - available - 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultLossBudgetExceeded.selector, available + 1, available));
        vault.executeTrades(_trade(address(weth), address(usdc), 1e18, minOut), block.timestamp, 0);
        adapter.setRate(address(weth), address(usdc), 2_000e6 - available);
        vm.prank(keeper);
        vault.executeTrades(_trade(address(weth), address(usdc), 1e18, minOut), block.timestamp, 0);
        assertEq(vault.lossBudgetAvailable(), 0);
    }

    function test_aDepositIsPricedAtTheNavRoundedUpOneUnitPerConstituentWithARemainder() public {
        _deposit(bob, 1_000e6);
        // 1 WETH + 1 wei is worth 2,000e6 + 2e-9 USDC units: rounded down, with a remainder, so NAV up is +1.
        tokens[0].mint(address(vault), 1e18 + 1);
        uint256 navDown = vault.totalAssets();
        assertEq(navDown, 3_000e6);
        // shares = assets x (supply + 10^6 virtual) / (navUp + 1 virtual asset), navUp = navDown + 1.
        uint256 expected = Math.mulDiv(1_000e6, vault.totalSupply() + 1e6, navDown + 2);
        assertEq(vault.previewDeposit(1_000e6), expected);
        assertEq(_deposit(alice, 1_000e6), expected);
    }

    function _refreshFeeds() internal {
        usdcFeed.setAnswer(1e8);
        for (uint256 i; i < feeds.length; ++i) {
            (, int256 answer,,,) = feeds[i].latestRoundData();
            feeds[i].setAnswer(answer);
        }
    }
}
