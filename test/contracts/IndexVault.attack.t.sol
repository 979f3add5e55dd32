// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {MockSwapAdapter} from "../../contracts/test/MockSwapAdapter.sol";
import {HostileToken} from "../../contracts/test/HostileToken.sol";

/// @dev The three views of a Uniswap V3 pool the router's market bound reads, with a fixed tick and no
/// observation written in the current block (so the router takes slot0's tick as the block-start tick).
contract StaticTickPool {
    address public immutable token0;
    address public immutable token1;
    int24 public tick;

    constructor(address token0_, address token1_, int24 tick_) {
        token0 = token0_;
        token1 = token1_;
        tick = tick_;
    }

    function slot0() external view returns (uint160, int24, uint16, uint16, uint16, uint8, bool) {
        return (uint160(1) << 96, tick, 1, 2, 2, 0, true);
    }

    function observations(uint256) external view returns (uint32, int56, uint160, bool) {
        return (uint32(block.timestamp - 100), 0, 0, true);
    }
}

/// @dev A constituent whose issuer can make its balanceOf over-report the vault's holding (an upgradeable
/// token turned hostile): the vault trusts balanceOf for NAV.
contract InflatingToken is TestToken {
    address public inflated;
    uint256 public factor = 1;

    constructor(address owner_, uint8 decimals_) TestToken("Inflating", "INF", decimals_, owner_) {}

    function inflate(address account, uint256 factor_) external onlyOwner {
        inflated = account;
        factor = factor_;
    }

    function balanceOf(address account) public view override returns (uint256) {
        uint256 b = super.balanceOf(account);
        if (account != inflated) return b;
        return factor == type(uint256).max ? type(uint256).max : b * factor;
    }
}

/// Findings of the vault's attack review (ERC-4626 flows), each written as the property an external suite would
/// check. StaticTickPool stands in for a Uniswap V3 pool only where the router reads one (slot0 and an
/// observation): these tests pin the direction of the bound, which the real-pool tests (IndexVault.staleNav)
/// cover for constituents.
contract IndexVaultAttackTest is Test {
    IndexVault vault;
    OracleRouter router;
    TestToken usdc;
    TestToken usdt;
    TestPriceFeed usdcFeed;
    TestPriceFeed usdtFeed;
    MockSwapAdapter adapter;
    TestToken weth;
    TestPriceFeed wethFeed;

    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    address keeper = makeAddr("keeper");
    address guardian = makeAddr("guardian");
    address feeTo = makeAddr("feeTo");

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestToken("USD Coin", "USDC", 6, address(this));
        usdt = new TestToken("Tether", "USDT", 6, address(this));
        usdcFeed = new TestPriceFeed(8, "USDC / USD", 1e8, address(this));
        usdtFeed = new TestPriceFeed(8, "USDT / USD", 1e8, address(this));
        router = new OracleRouter(address(this), address(0));
        router.setSource(address(usdc), _feedSource(address(usdcFeed), 0.95e8, 1.05e8));
        router.setSource(address(usdt), _feedSource(address(usdtFeed), 0.95e8, 1.05e8));
        vault = new IndexVault(usdc, "Open Index", "OIDX", address(this), router, feeTo);
        vault.grantRole(vault.KEEPER_ROLE(), keeper);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        adapter = new MockSwapAdapter();
        vault.setAdapterAllowed(address(adapter), true);
        weth = new TestToken("Wrapped Ether", "WETH", 18, address(this));
        wethFeed = new TestPriceFeed(8, "WETH / USD", 2_000e8, address(this));
        router.setSource(address(weth), _feedSource(address(wethFeed), 1, 200_000e8));
        vault.registerAsset(address(weth), 10_000);
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

    function _deposit(address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(vault), assets);
        shares = vault.deposit(assets, who);
        vm.stopPrank();
    }

    function _minAmounts() internal view returns (uint256[] memory) {
        return new uint256[](vault.registeredAssets().length + 1);
    }

    /// @dev Bob holds the vault alone; the keeper puts half of it in WETH at the oracle price.
    function _bobsHalfWethVault() internal {
        _deposit(bob, 100_000e6);
        address[] memory assets = new address[](2);
        assets[0] = address(usdc);
        assets[1] = address(weth);
        uint16[] memory weights = new uint16[](2);
        weights[0] = 5_000;
        weights[1] = 5_000;
        vm.prank(keeper);
        vault.commitTargets(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bull, assets, weights, keccak256("s"));
        // 1 USDC base unit = 1e-6 / 2000 WETH = 5e8 WETH base units.
        adapter.setRate(address(usdc), address(weth), 5e26);
        weth.mint(address(adapter), 1_000e18);
        IIndexVault.Trade[] memory trades = new IIndexVault.Trade[](1);
        trades[0] = IIndexVault.Trade(address(adapter), address(usdc), address(weth), 50_000e6, 25e18, "");
        vm.prank(keeper);
        vault.executeTrades(trades, block.timestamp, 0);
        assertEq(weth.balanceOf(address(vault)), 25e18);
    }

    /// @dev Oracle value, in USDC base units, of what `who` holds in USDC and WETH.
    function _oracleWorth(address who) internal view returns (uint256) {
        return usdc.balanceOf(who) + vault.valueInAsset(address(weth), weth.balanceOf(who));
    }

    // --------------------------------------------------------------------------------------------
    // 1. The stablecoin's own market pool bounds the wrong way
    // --------------------------------------------------------------------------------------------

    /// Deposits are meant to be priced at the HIGHER of oracle and market for every holding, so that a
    /// depositor never pays less than either says a share is worth. NAV is in stablecoin units, so the
    /// stablecoin's own price divides every constituent: with a market pool on the stablecoin,
    /// boundedUnitPricesUsd36(High) returns the HIGHER stablecoin price, i.e. the LOWER NAV. A depositor
    /// then buys at the cheaper of the two and leaves in kind with more than he paid, from the other holders.
    function test_aStablecoinMarketPoolCannotLowerTheDepositNav() public {
        _bobsHalfWethVault();
        // The USDC/USDT pool trades USDC 2 % above its feed (tick 200: 1.0001^200 = 1.0202 USDT per USDC).
        StaticTickPool pool = new StaticTickPool(address(usdc), address(usdt), 200);
        router.setMarketPool(address(usdc), address(pool));

        uint256 bobBefore = vault.previewRedeem(vault.balanceOf(bob));
        // What a deposit of 100k is priced at, against the oracle's conversion.
        uint256 sharesQuoted = vault.previewDeposit(100_000e6);
        uint256 sharesAtOracle = vault.convertToShares(100_000e6);

        // The attack: deposit, leave in kind in the same block.
        uint256 shares = _deposit(alice, 100_000e6);
        uint256[] memory minAmounts = _minAmounts();
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice, minAmounts);
        uint256 aliceWorth = _oracleWorth(alice);
        router.setMarketPool(address(usdc), address(0));
        uint256 bobAfter = vault.previewRedeem(vault.balanceOf(bob));

        // A deposit must not buy more shares than the oracle NAV gives (the bound may only make it dearer)...
        assertLe(sharesQuoted, sharesAtOracle, "deposit priced below the oracle NAV");
        // ...so a round trip in kind cannot take out more than it put in.
        assertLe(aliceWorth, 100_000e6, "deposit + in-kind exit extracted value");
        assertGe(bobAfter + 2, bobBefore, "the holder lost to the round trip");
    }

    /// The mirror image for cash exits: Bound.Low takes the LOWER stablecoin price, i.e. the HIGHER NAV,
    /// so a redeemer is paid above both the oracle's and the market's valuation.
    function test_aStablecoinMarketPoolCannotRaiseTheCashExitNav() public {
        _bobsHalfWethVault();
        _deposit(alice, 100_000e6);
        // Keep the vault at 50 % WETH: the cash is what alice's exit is paid from.
        StaticTickPool pool = new StaticTickPool(address(usdc), address(usdt), -200);
        router.setMarketPool(address(usdc), address(pool));
        uint256 shares = vault.balanceOf(alice);
        uint256 atOracle = vault.convertToAssets(shares);
        uint256 quoted = vault.previewRedeem(shares);
        vm.prank(alice);
        uint256 paid = vault.redeem(shares, alice, alice);
        assertLe(paid, atOracle, "cash exit paid above the oracle NAV");
    }

    // --------------------------------------------------------------------------------------------
    // 2. A constituent that answers an absurd balance
    // --------------------------------------------------------------------------------------------

    /// docs/AUDITORS.md (hostile constituent): "max* return 0 and never revert" (ERC-4626: they MUST NOT
    /// revert). A balanceOf answering 2^128 or more counts as unreadable, as a reverting one does: summed into
    /// the NAV it would overflow inside _tryMarketValuation, which catches only the oracle call.
    function test_maxViewsReturnZeroWhenAConstituentReportsAHugeBalance() public {
        // Six decimals at $1 (as the stablecoin): its worth in NAV is its balance, so cash + balance overflows.
        InflatingToken inf = new InflatingToken(address(this), 6);
        TestPriceFeed feed = new TestPriceFeed(8, "INF / USD", 1e8, address(this));
        router.setSource(address(inf), _feedSource(address(feed), 1, 1_000e8));
        vault.registerAsset(address(inf), 10_000);
        _deposit(bob, 10_000e6);
        inf.inflate(address(vault), type(uint256).max);
        (bool okDeposit,) = address(vault).staticcall(abi.encodeCall(vault.maxDeposit, (bob)));
        (bool okWithdraw,) = address(vault).staticcall(abi.encodeCall(vault.maxWithdraw, (bob)));
        (bool okRedeem,) = address(vault).staticcall(abi.encodeCall(vault.maxRedeem, (bob)));
        // In kind still works (the slice is credited), as documented.
        uint256[] memory minAmounts = _minAmounts();
        uint256 shares = vault.balanceOf(bob);
        vm.prank(bob);
        vault.redeemInKind(shares, bob, bob, minAmounts);
        assertApproxEqAbs(usdc.balanceOf(bob), 10_000e6, 1);
        assertTrue(okDeposit && okWithdraw && okRedeem, "a max* view reverted");
        assertEq(vault.maxDeposit(bob), 0);
    }

    // --------------------------------------------------------------------------------------------
    // 3. One unit of dust must not keep a dead constituent registered (and deposits and cash exits stopped)
    // --------------------------------------------------------------------------------------------

    /// The keeper sold a constituent out, its feed then died (delisted). Deregistering it is the way back to
    /// deposits and cash exits; anyone can send 1 unit first (front-running the timelock's predictable
    /// execution), and with a dead feed the keeper cannot sell the dust. The admin's write-off allowance
    /// (deregisterAsset's maxWriteOff) takes it out anyway.
    function test_dustDoesNotBlockDeregisteringADeadConstituent() public {
        TestToken dead = new TestToken("Dead", "DEAD", 18, address(this));
        TestPriceFeed feed = new TestPriceFeed(8, "DEAD / USD", 1e8, address(this));
        router.setSource(address(dead), _feedSource(address(feed), 1, 1_000e8));
        vault.registerAsset(address(dead), 10_000);
        _deposit(bob, 10_000e6);
        vm.warp(block.timestamp + 2 days);
        usdcFeed.setAnswer(1e8);
        wethFeed.setAnswer(2_000e8);
        // The dead token's feed stopped updating: deposits and cash exits stop, as documented.
        assertEq(vault.maxDeposit(bob), 0);
        // The attacker's whole cost: one base unit.
        dead.mint(alice, 1);
        vm.prank(alice);
        dead.transfer(address(vault), 1);
        // The zero-balance rule would refuse...
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultAssetHasBalance.selector, address(dead), 1));
        vault.deregisterAsset(address(dead), 0);
        // ...a write-off of up to 1e12 base units (a millionth of a token) does not.
        vm.expectEmit(address(vault));
        emit IIndexVault.AssetDeregistered(address(dead), 1);
        vault.deregisterAsset(address(dead), 1e12);
        assertGt(vault.maxDeposit(bob), 0);
    }

    /// Neither an in-kind credit nobody can claim (a receiver the token refuses, or a token that stopped
    /// transferring) nor a balanceOf that reverts keeps a constituent registered: the credit stays claimable
    /// after the removal, only the vault's own holding is written off, and an unreadable balance is removed by
    /// writing off everything.
    function test_aCreditOrAnUnreadableBalanceDoesNotBlockDeregistering() public {
        HostileToken h = new HostileToken("Hostile", 18, address(this));
        TestPriceFeed feed = new TestPriceFeed(8, "HOSTILE / USD", 1e8, address(this));
        router.setSource(address(h), _feedSource(address(feed), 1, 1_000e8));
        vault.registerAsset(address(h), 10_000);
        uint256 shares = _deposit(bob, 10_000e6);
        h.mint(address(vault), 10e18);
        // Its transfers stop: half of bob's exit in kind is credited to him instead of paid.
        h.setMode(HostileToken.Mode.GasBurningTransfer);
        uint256[] memory minAmounts = _minAmounts();
        vm.prank(bob);
        vault.redeemInKind(shares / 2, bob, bob, minAmounts);
        uint256 owed = vault.creditOf(address(h), bob);
        assertGt(owed, 0);
        uint256 held = h.balanceOf(address(vault)) - owed;
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultAssetHasBalance.selector, address(h), held));
        vault.deregisterAsset(address(h), held - 1);
        vm.expectEmit(address(vault));
        emit IIndexVault.AssetDeregistered(address(h), held);
        vault.deregisterAsset(address(h), held);
        // Bob's credit is his once the token transfers again.
        h.setMode(HostileToken.Mode.Honest);
        vm.prank(bob);
        assertEq(vault.claimCredit(address(h), bob), owed);
        assertEq(h.balanceOf(bob), owed);

        // A balanceOf that reverts: only a write-off of everything removes it.
        HostileToken r = new HostileToken("Reverting", 18, address(this));
        router.setSource(address(r), _feedSource(address(feed), 1, 1_000e8));
        vault.registerAsset(address(r), 10_000);
        r.setMode(HostileToken.Mode.RevertingBalanceOf);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultAssetHasBalance.selector, address(r), type(uint256).max));
        vault.deregisterAsset(address(r), 1e30);
        vault.deregisterAsset(address(r), type(uint256).max);
        assertFalse(vault.isRegistered(address(r)));
    }
}
